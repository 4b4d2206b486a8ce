"""Training: the step (forward, loss, backward, gradient transforms, update), its transforms and ``fit``."""

from __future__ import annotations

from .batching import Batches, endless_epoch_length, shard_bounds
from .buffers import FlatBuffer
from .loop import fit
from .state import TrainingState
from .step import StepResult, forward_loss, loss_and_gradients, train_step
from .transforms import ClipByGlobalNorm, ClipByNorm, ClipByValue, WeightDecay, apply_transforms

__all__ = ["fit", "train_step", "endless_epoch_length", "Batches", "shard_bounds", "TrainingState", "FlatBuffer",
           "loss_and_gradients", "forward_loss", "StepResult", "WeightDecay", "ClipByValue", "ClipByNorm",
           "ClipByGlobalNorm", "apply_transforms"]
