"""The training step: the one place that computes forward, loss and backward, then transforms and updates.

``loss_and_gradients`` is "forward, loss, backward, weight decay" (the gradient of the whole objective); the book's
``model.gradient``, ``model.loss`` and ``check_gradients`` use it. ``train_step`` adds what happens between the
gradient and the new weights: ``optimizer.update`` runs the optimizer's gradient transforms (user transforms such
as an Allreduce, then clipping) and its step.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from ..backend import to_numpy
from ..errors import TrainingDivergedError, all_finite
from .buffers import FlatBuffer
from .transforms import WeightDecay

__all__ = ["StepResult", "require_compiled", "forward_loss", "loss_and_gradients", "check_divergence",
           "finite_update", "train_step"]

_BACKUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # optimizer -> (weights, state) FlatBuffers


@dataclass
class StepResult:
    """What one forward/backward pass produced: the loss (with weight decay), the outputs and dL/dx."""

    loss: float
    outputs: np.ndarray
    input_grad: np.ndarray | None = None


def require_compiled(model, where: str) -> None:
    """Raise a clear error unless ``model`` has a loss and an optimizer."""
    if getattr(model, "loss_fn", None) is None or getattr(model, "optimizer", None) is None:
        raise RuntimeError(f"{where}: call compile(optimizer=..., loss=...) first")


def _loss_fn(model, where: str):
    if getattr(model, "loss_fn", None) is None:
        raise RuntimeError(f"{where}: call compile(optimizer=..., loss=...) first")
    return model.loss_fn


def forward_loss(model, x, t, training: bool = True) -> StepResult:
    """Forward pass and the compiled loss plus the weight-decay penalty (no backward)."""
    loss_fn = _loss_fn(model, "Sequential.loss")
    out = model.forward(x, training=training)
    loss = loss_fn.forward(out, t)
    return StepResult(loss + WeightDecay.of(model).penalty(), out)


# -- the step's divergence checks: a NaN/inf loss (before backward) and a NaN/inf weight (after the update) --------
def check_divergence(loss: float) -> None:
    """A NaN or inf loss stops training before anything is updated."""
    if not math.isfinite(loss):
        raise TrainingDivergedError(f"the loss became {loss}")


def finite_update(optimizer, params: dict, grads: dict) -> None:
    """``optimizer.update``, undone (weights and optimizer state) if it leaves any weight non-finite."""
    # NOTE: a finite loss can still give an update that overflows (huge lr, float32): check after, restore.
    # The copies go to buffers reused from step to step: fresh arrays cost page faults, several times the update.
    backups = _BACKUPS.get(optimizer)
    if backups is None:
        backups = _BACKUPS[optimizer] = (FlatBuffer(), FlatBuffer())
    weights, state = backups
    iterations = optimizer.iterations
    slots = {(s, k): a for s, per in optimizer.slots.items() for k, a in per.items()} if optimizer.slots else None
    weights.pack(params)
    if slots:  # SGD keeps none
        state.pack(slots)
    with np.errstate(over="ignore", invalid="ignore"):
        optimizer.update(params, grads)
        bad = [k for k, p in params.items() if not all_finite(p)]
    if bad:
        weights.unpack(params)
        saved: dict = {}
        for (s, k) in slots or ():
            saved.setdefault(s, {})[k] = state.views[(s, k)]
        optimizer.load_state_dict({"iterations": iterations, "slots": saved})  # copies the saved values
        raise TrainingDivergedError(f"the update made {len(bad)} weight array(s) NaN or inf ({', '.join(bad[:3])})")


def loss_and_gradients(model, x, t, *, training: bool = True, input_grad: bool = False,
                       check_finite: bool = False) -> StepResult:
    """Forward, loss, backward and weight decay: afterwards ``model.grads`` holds dL/dparam for every parameter.

    ``input_grad`` also returns dL/dx (gradient checks need it; training does not). With ``check_finite`` a NaN
    or inf loss raises TrainingDivergedError before backward, so a diverged step changes no gradient.
    """
    loss_fn = _loss_fn(model, "Sequential.gradient")
    if check_finite:
        # NOTE: overflow in a diverging step must surface as the clear error below, not as NumPy warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = model.forward(x, training=training)
            loss = loss_fn.forward(out, t)
        check_divergence(loss)
    else:
        out = model.forward(x, training=training)
        loss = loss_fn.forward(out, t)
    dx = model.backward(input_grad=input_grad)
    return StepResult(loss + WeightDecay.of(model).apply(), out, dx)


def train_step(model, x, y) -> dict[str, float]:
    """Forward, loss, backward, weight decay, gradient transforms and the optimizer's update, on one batch.

    Returns the batch's loss and metrics. If the loss is NaN or inf, or the update would leave a weight NaN or
    inf, the weights and the optimizer state stay as they were and TrainingDivergedError is raised.
    """
    require_compiled(model, "train_step")
    result = loss_and_gradients(model, x, y, check_finite=True)
    finite_update(model.optimizer, model.params, model.grads)  # the optimizer runs its gradient transforms first
    logs = {"loss": result.loss}
    outputs = to_numpy(result.outputs) if model.metrics else None  # metrics compute on the host
    for name, fn in model.metrics.items():
        logs[name] = fn(outputs, y)
    return logs
