"""Inverted dropout."""

from __future__ import annotations

import numpy as np

from ..backend import get_array_module, random_for_batch
from ..validation import Interval, Real, validate_params
from .base import Layer

__all__ = ["Dropout"]


class Dropout(Layer):
    """Zeroes each input with probability ``rate`` while training and scales the rest by 1 / (1 - rate).

    Scaling at training time (inverted dropout) makes inference the identity, unlike the book's version that
    multiplies by (1 - rate) at test time.

    Args:
        rate: fraction of inputs to drop, in [0, 1).
    """

    @validate_params({"rate": [Interval(Real, 0, 1, closed="left")]})
    def __init__(self, rate: float = 0.5, name=None):
        super().__init__(name)
        self.rate = float(rate)
        self.mask = None

    def forward(self, x, training=False):
        x = self._prepare(x)
        if not training or self.rate == 0.0:
            self.mask = None
            return x
        # NOTE: the mask is drawn on the host with nerve's generator and moved, so every device drops the same units;
        # in data-parallel training it is this shard's rows of the global batch's mask (backend.random_for_batch)
        keep = get_array_module(x).asarray(random_for_batch(x.shape, dtype=np.float32) >= self.rate)
        self.mask = keep * x.dtype.type(1.0 / (1.0 - self.rate))  # kept units scaled, dropped ones 0
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}
