"""Endless batch iterators behind ImageDataGenerator.flow and flow_from_directory (Keras's Iterator)."""

from __future__ import annotations

import numpy as np

from ..backend import rng
from ..validation import Integral, Interval, check_param

__all__ = ["BatchIterator", "NumpyArrayIterator"]


class BatchIterator:
    """Yields batches of sample indices forever, epoch after epoch, reshuffled each epoch.

    Subclasses turn indices into data in ``_get_batch(indices)``. ``len(it)`` is the number of batches in
    one epoch (the last may be smaller); ``it[i]`` gives batch ``i`` of the current epoch's order.
    """

    def __init__(self, n: int, batch_size: int, shuffle: bool, seed: int | None):
        if n <= 0:
            raise ValueError(f"{type(self).__name__}: found no samples")
        self.n = int(n)
        self.batch_size = int(check_param(self, "batch_size", batch_size, Interval(Integral, 1, None)))
        self.shuffle = bool(shuffle)
        self.seed = seed
        self._gen = np.random.default_rng(seed) if seed is not None else None
        self.epoch = 0
        self._order = self._new_order()
        self._pos = 0

    def _new_order(self) -> np.ndarray:
        return (self._gen or rng()).permutation(self.n) if self.shuffle else np.arange(self.n)

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)

    def reset(self) -> None:
        """Start a new epoch at its first batch."""
        self._order = self._new_order()
        self._pos = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self._pos >= self.n:
            self.epoch += 1
            self.reset()
        idx = self._order[self._pos:self._pos + self.batch_size]
        self._pos += len(idx)
        return self._get_batch(idx)

    next = __next__  # Keras spelling

    def __getitem__(self, i: int):
        if not -len(self) <= i < len(self):
            raise IndexError(f"{type(self).__name__}: batch {i} out of range for {len(self)} batches")
        i %= len(self)
        return self._get_batch(self._order[i * self.batch_size:(i + 1) * self.batch_size])

    def _get_batch(self, idx: np.ndarray):
        raise NotImplementedError


class NumpyArrayIterator(BatchIterator):
    """Augmented batches from arrays ``x`` (N, C, H, W) and optional ``y`` (N, ...); see ImageDataGenerator.flow."""

    def __init__(self, generator, x, y=None, batch_size: int = 32, shuffle: bool = True,
                 seed: int | None = None):
        self.x = np.asarray(x)
        if self.x.ndim != 4:
            raise ValueError(
                f"ImageDataGenerator.flow: `x` must be images (N, C, H, W), got shape {self.x.shape}; "
                "add a channel axis with x[:, None] for grayscale (N, H, W) data"
            )
        self.y = None if y is None else np.asarray(y)
        if self.y is not None and len(self.y) != len(self.x):
            raise ValueError(
                f"ImageDataGenerator.flow: `x` and `y` must have the same number of samples, got x "
                f"{self.x.shape} and y {self.y.shape}"
            )
        self.generator = generator
        super().__init__(len(self.x), batch_size, shuffle, seed)

    def _get_batch(self, idx):
        xb = self.generator.standardize(self.generator.random_transform(self.x[idx]))
        return xb if self.y is None else (xb, self.y[idx])
