"""One batching path for fit and evaluate: arrays, DataLoaders and endless iterators, whole or one shard each.

Data parallelism splits every global batch into ``world_size`` contiguous, near-equal parts (the first
``size % world_size`` parts get one sample more, as ``numpy.array_split``) and gives part ``rank`` to process
``rank``. Every process draws the same permutation from the same generator state, so the shards of a seeded run
put together are exactly the single-process batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..backend import BatchShard
from ..backend import rng as default_rng
from ..validation import Integral, Interval, check_param

__all__ = ["Batches", "shard_bounds", "endless_epoch_length"]


def endless_epoch_length(data) -> int | None:
    """len() of an iterator that is its own iterable and knows its epoch (Keras's flow); None otherwise.

    Such iterators never raise StopIteration, so an epoch must be counted out in batches.
    """
    if not isinstance(data, np.ndarray) and iter(data) is data and hasattr(data, "__len__"):
        return len(data)
    return None


def _check_rank(rank, world_size) -> None:
    check_param("batches", "world_size", world_size, Interval(Integral, 1, None))
    check_param("batches", "rank", rank, Interval(Integral, 0, world_size, closed="left"))


def shard_bounds(size: int, rank: int, world_size: int) -> tuple[int, int]:
    """``(start, stop)`` of part ``rank`` of ``size`` samples split into ``world_size`` contiguous near-equal parts."""
    _check_rank(rank, world_size)
    if size < world_size:
        raise ValueError(f"a batch of {size} sample(s) cannot be split across world_size={world_size} processes: "
                         f"every process needs at least one sample; use batches of at least {world_size}")
    base, extra = divmod(size, world_size)
    start = rank * base + min(rank, extra)
    return start, start + base + (rank < extra)


class Batches:
    """The batches of one epoch, every time it is iterated; ``steps`` is their number (None if unknown).

    Args:
        x: an array of samples (with ``y``), or an iterable of ``(x, y)`` batches (a DataLoader, a generator,
            an endless iterator such as ``ImageDataGenerator.flow``).
        y: targets for array ``x``.
        batch_size: samples per global batch (arrays only).
        shuffle: a fresh permutation of the samples every epoch (arrays only), drawn from ``rng``.
        steps: batches per epoch (for arrays: at most that many). An iterable is then read across epochs,
            restarted when exhausted if ``repeat`` (fit) or stopped there (evaluate). Defaults to the length of
            an endless iterator.
        rank: yield only part ``rank`` of each batch (see :func:`shard_bounds`).
        world_size: the number of parts each batch is split into.
        check: called as ``check(xb, yb)`` on each batch of an iterable; returns the checked inputs.
        rng: the generator that shuffles (default: nerve's). Every process must pass one in the same state.
        where: the name errors start with.
    """

    def __init__(self, x, y=None, *, batch_size: int = 32, shuffle: bool = False, steps: int | None = None,
                 repeat: bool = True, rank: int = 0, world_size: int = 1, check: Callable | None = None,
                 rng: np.random.Generator | None = None, where: str = "fit"):
        _check_rank(rank, world_size)
        self.rank, self.world_size, self.where = rank, world_size, where
        #: samples in the whole (unsharded) batch last yielded: a shard of n samples weighs n / global_batch_size
        self.global_batch_size = 0
        #: which rows of its global batch the batch last yielded is (None without sharding); ``fit`` computes the
        #: step inside ``backend.batch_shard(batches.shard)`` so per-sample draws (Dropout) agree across ranks
        self.shard: BatchShard | None = None
        self.check, self.rng, self.repeat = check, rng, repeat
        self.arrays = y is not None
        if self.arrays:
            if len(x) != len(y):
                raise ValueError(f"{where}: x has {len(x)} samples but y has {len(y)}")
            self.x, self.y, self.batch_size, self.shuffle = x, y, int(batch_size), bool(shuffle)
            n = len(x)
            total = -(-n // self.batch_size)
            self.steps = total if steps is None else min(steps, total)
            full = min(n, self.batch_size)
            last = n - (total - 1) * self.batch_size if self.steps == total else full
            if min(full, last) < world_size:  # a world size larger than a batch fails now, before training
                which, size = ("a batch", full) if full < world_size else \
                    (f"the last batch of an epoch ({n} samples in batches of {self.batch_size})", last)
                raise ValueError(f"{where}: {which} holds {size} sample(s), which cannot be split across "
                                 f"world_size={world_size} processes: every process needs at least one sample")
            return
        self.data = x
        self.steps = steps if steps is not None else endless_epoch_length(x)
        self._iterator = iter(x) if self.steps is not None else None
        if self.steps is None:
            try:
                self.steps = len(x)
            except TypeError:
                self.steps = None
            self._counted = False
        else:
            self._counted = True

    def __len__(self) -> int:
        if self.steps is None:
            raise TypeError(f"{self.where}: the number of batches of {type(self.data).__name__} is unknown")
        return self.steps

    def _bounds(self, size: int) -> tuple[int, int]:
        try:
            start, stop = shard_bounds(size, self.rank, self.world_size)
        except ValueError as e:
            raise ValueError(f"{self.where}: {e}") from None
        self.shard = BatchShard(start, stop, size) if self.world_size > 1 else None
        return start, stop

    def _shard(self, xb, yb):
        self.global_batch_size = len(xb)
        if self.world_size == 1:
            return xb, yb
        start, stop = self._bounds(len(xb))
        return xb[start:stop], yb[start:stop]

    def __iter__(self) -> Iterator[tuple]:
        if self.arrays:
            yield from self._array_epoch()
        elif self._counted:
            yield from self._counted_epoch()
        else:
            for xb, yb in self.data:
                yield self._checked(xb, yb)

    def _checked(self, xb, yb):
        if self.check is not None:
            xb = self.check(xb, yb)
        return self._shard(xb, yb)

    def _array_epoch(self):
        x, y, bs = self.x, self.y, self.batch_size
        # NOTE: one fresh permutation per epoch, last partial batch included (the book samples with replacement).
        order = (self.rng or default_rng()).permutation(len(x)) if self.shuffle else None
        for i in range(self.steps):
            size = self.global_batch_size = min(bs, len(x) - i * bs)
            start, stop = self._bounds(size) if self.world_size > 1 else (0, size)
            if order is None:
                yield x[i * bs + start:i * bs + stop], y[i * bs + start:i * bs + stop]
            else:
                idx = order[i * bs + start:i * bs + stop]
                yield x[idx], y[idx]

    def _counted_epoch(self):  # Keras's fit_generator: the iterator carries on across epochs
        for _ in range(self.steps):
            try:
                xb, yb = next(self._iterator)
            except StopIteration:
                if not self.repeat:
                    return
                self._iterator = iter(self.data)
                try:
                    xb, yb = next(self._iterator)
                except StopIteration:
                    raise ValueError(f"{self.where}: the data iterable yields no batches") from None
            yield self._checked(xb, yb)
