"""DataLoader: mini-batches of (x, y), shuffled anew each epoch, reproducible with a seed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..backend import rng
from ..validation import Boolean, Integral, Interval, validate_params

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over mini-batches of arrays; each ``for`` loop is one epoch.

    Every epoch draws a fresh permutation (when ``shuffle``); with ``seed`` the sequence of permutations is
    the same on every run, otherwise it comes from ``nerve.seed``'s generator. Batches are taken by fancy
    indexing (no Python loop over samples). ``Sequential.fit(loader, epochs=...)`` accepts it directly.

    Args:
        x: inputs, an array (N, ...).
        y: targets (N, ...) or None (then batches are ``x_batch`` alone).
        batch_size: samples per batch; the last one may be smaller unless ``drop_last``.
        shuffle: draw a new order each epoch (else batches are views in the original order).
        drop_last: skip a final incomplete batch.
        seed: seed of the loader's own generator.
        transform: ``transform(x_batch) -> x_batch``, applied to each batch (e.g. augmentation).

    ``len(loader)`` is the number of batches per epoch.
    """

    @validate_params({"batch_size": [Interval(Integral, 1, None)], "shuffle": [Boolean], "drop_last": [Boolean],
                      "transform": [None, callable]})
    def __init__(self, x, y=None, batch_size: int = 32, shuffle: bool = True, drop_last: bool = False,
                 seed: int | None = None, transform: Callable[[np.ndarray], np.ndarray] | None = None):
        self.x = np.asarray(x)
        self.y = None if y is None else np.asarray(y)
        if self.x.ndim == 0 or len(self.x) == 0:
            raise ValueError(f"DataLoader: `x` must hold at least one sample, got shape {self.x.shape}")
        if self.y is not None and (self.y.ndim == 0 or len(self.y) != len(self.x)):
            raise ValueError(
                f"DataLoader: `x` and `y` must have the same number of samples, got x {self.x.shape} and "
                f"y {self.y.shape}"
            )
        self.batch_size = int(batch_size)
        if drop_last and self.batch_size > len(self.x):
            raise ValueError(
                f"DataLoader: drop_last=True with batch_size={self.batch_size} > {len(self.x)} samples "
                "gives no batch at all"
            )
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.seed = seed
        self.transform = transform
        self._gen = np.random.default_rng(seed) if seed is not None else None

    @property
    def num_samples(self) -> int:
        """Number of samples (N)."""
        return len(self.x)

    def __len__(self) -> int:
        n, b = len(self.x), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator:
        n, b = len(self.x), self.batch_size
        order = (self._gen or rng()).permutation(n) if self.shuffle else None
        for start in range(0, len(self) * b, b):
            part = slice(start, min(start + b, n)) if order is None else order[start:start + b]
            xb = self.x[part]
            if self.transform is not None:
                xb = self.transform(xb)
            yield xb if self.y is None else (xb, self.y[part])

    def __repr__(self) -> str:
        return (f"DataLoader(samples={len(self.x)}, batch_size={self.batch_size}, batches={len(self)}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last})")
