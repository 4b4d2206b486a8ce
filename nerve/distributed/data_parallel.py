"""Data-parallel training: one model on K processes, each computing its shard of every global batch."""

from __future__ import annotations

import numpy as np

from ..backend import to_numpy
from ..callbacks import Callback
from ..training import Batches, FlatBuffer
from .allreduce import GradientAllreduce

__all__ = ["DataParallel", "shard", "broadcast_model"]


def shard(x, y, world, *, batch_size: int = 32, shuffle: bool = True) -> Batches:
    """This process's part of every global batch of ``batch_size`` (``fit`` takes it in place of ``x, y``).

    Every process must hold the same generator state (``nerve.seed(k)`` everywhere) so that they draw the same
    permutation; the parts of a global batch are contiguous and near-equal (see ``training.shard_bounds``).
    """
    return Batches(x, y, batch_size=batch_size, shuffle=shuffle, rank=world.rank, world_size=world.size)


def broadcast_model(model, world, root: int = 0) -> None:
    """Give every process rank ``root``'s parameters and non-trainable state (BatchNorm statistics): one
    broadcast per dtype of a flat buffer."""
    if world.size == 1:
        return
    arrays = {**{f"params/{k}": v for k, v in model.params.items()},
              **{f"state/{k}": v for k, v in model.state.items()}}
    buffer = FlatBuffer()
    for flat in buffer.pack(arrays).values():
        world.broadcast(flat, root=root)
    buffer.unpack(arrays)


class DataParallel(Callback):
    """Makes ``fit`` data-parallel across ``world``: same start, averaged gradients, averaged logs.

    At the start of training rank 0's weights are broadcast and a :class:`GradientAllreduce` joins the
    optimizer's gradient transforms (before clipping, so clipping sees the global gradient). Before each step it
    tells the Allreduce how many samples this process's shard holds; after each epoch the training logs
    (loss, metrics) become the averages over all processes' samples. Validation logs need no averaging: every
    process evaluates the whole validation set with the same weights.

    BatchNorm normalises each shard by its own batch statistics and keeps its own running averages per process
    (like PyTorch's DistributedDataParallel without SyncBatchNorm). ``average_batchnorm=True`` averages the
    running statistics across processes after every epoch, so every process (and the saved model) holds the same.

    Args:
        world: the processes (``nerve.distributed.init()``).
        average_batchnorm: average non-trainable state across processes after each epoch.
    """

    def __init__(self, world, average_batchnorm: bool = False):
        super().__init__()
        self.world = world
        self.average_batchnorm = bool(average_batchnorm)
        self.allreduce = GradientAllreduce(world)

    def on_train_begin(self, logs=None):
        optimizer = self.model.optimizer
        if optimizer is None:
            raise RuntimeError("DataParallel: compile the model before fit")
        optimizer.transforms = [t for t in optimizer.transforms if not isinstance(t, GradientAllreduce)]
        optimizer.transforms.insert(0, self.allreduce)
        broadcast_model(self.model, self.world)

    def on_train_end(self, logs=None):
        transforms = self.model.optimizer.transforms
        if self.allreduce in transforms:
            transforms.remove(self.allreduce)

    def on_batch_begin(self, batch, logs=None):
        self.allreduce.local_count = int((logs or {}).get("size", 1))

    def on_epoch_end(self, epoch, logs=None):
        if self.world.size == 1 or logs is None:
            return
        keys = sorted(k for k in logs if not k.startswith("val_") and isinstance(logs[k], (int, float)))
        count = self.model.training_state.samples  # this process's samples this epoch
        buf = np.array([float(logs[k]) * count for k in keys] + [float(count)], dtype=np.float64)
        self.world.allreduce_sum(buf)
        for i, k in enumerate(keys):
            logs[k] = float(buf[i] / buf[-1])
        if self.average_batchnorm:
            self._average_state()

    def _average_state(self) -> None:
        for key in sorted(self.model.state):
            array = self.model.state[key]
            host = np.ascontiguousarray(to_numpy(array), dtype=np.float64)
            self.world.allreduce_sum(host)
            array[...] = (host / self.world.size).astype(array.dtype)
