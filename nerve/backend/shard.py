"""Which part of a global batch this process computes, so that per-sample random draws agree across processes.

In data-parallel training each process computes a contiguous shard ``[start, stop)`` of every global batch of
``total`` samples. A layer that draws per-sample randomness (Dropout's mask) draws for the whole global batch
from nerve's generator, which every process holds in the same state, and keeps its shard's rows: the masks are
then exactly those of a single process, and the generators stay in step. Outside data-parallel training there
is no shard and draws are the batch's own.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .random import rng

__all__ = ["BatchShard", "current_shard", "batch_shard", "random_for_batch"]


@dataclass(frozen=True)
class BatchShard:
    """Rows ``[start, stop)`` of a global batch of ``total`` samples."""

    start: int
    stop: int
    total: int

    def __post_init__(self):
        if not 0 <= self.start < self.stop <= self.total:
            raise ValueError(f"BatchShard: expected 0 <= start < stop <= total, got {self.start}, {self.stop}, "
                             f"{self.total}")


_shard: contextvars.ContextVar[BatchShard | None] = contextvars.ContextVar("nerve_batch_shard", default=None)


def current_shard() -> BatchShard | None:
    """The shard of the batch being computed in this context, or None (the batch is the whole batch)."""
    return _shard.get()


@contextlib.contextmanager
def batch_shard(shard: BatchShard | None) -> Iterator[BatchShard | None]:
    """Within the block, the batch being computed is ``shard`` of its global batch (None: the whole batch).

    ``fit`` computes each step inside ``batch_shard(batches.shard)``.
    """
    if shard is not None and not isinstance(shard, BatchShard):
        raise TypeError(f"batch_shard: expected a BatchShard or None, got {type(shard).__name__}")
    token = _shard.set(shard)
    try:
        yield shard
    finally:
        _shard.reset(token)


def random_for_batch(shape: tuple, dtype=np.float32) -> np.ndarray:
    """Uniform [0, 1) numbers for a batch of ``shape``: this shard's rows of a draw for the whole global batch."""
    shard = _shard.get()
    if shard is None:
        return rng().random(shape, dtype=dtype)
    if shape[0] != shard.stop - shard.start:
        raise ValueError(f"random_for_batch: the batch has {shape[0]} samples but its shard is rows "
                         f"[{shard.start}, {shard.stop}) of {shard.total}")
    return rng().random((shard.total, *shape[1:]), dtype=dtype)[shard.start:shard.stop]
