"""The book's ``Convolution`` and ``Pooling`` layers (part of its ``common.layers``), on nerve's Conv2D and
MaxPool2D: the same im2col idea, without Python loops over pixels."""

from __future__ import annotations

import numpy as np

from .. import layers as nl
from .adapter import as_float, engine_for, fresh_grads, share_params

__all__ = ["Convolution", "Pooling"]


class Convolution:
    """Convolution with filters ``W`` (FN, C, FH, FW) and biases ``b`` (FN,), the arrays given.

    Input (N, C, H, W) -> output (N, FN, OH, OW), OH = (H + 2·pad - FH) // stride + 1.
    ``backward`` sets ``dW`` and ``db`` and returns dx.
    """

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x = None
        self.dW = None
        self.db = None
        self._conv = None

    def forward(self, x):
        x = as_float(x, self.W.dtype)
        if x.ndim != 4 or x.shape[1] != self.W.shape[1]:
            raise ValueError(f"Convolution: expected input (N, {self.W.shape[1]}, H, W) for filters of shape "
                             f"{self.W.shape}, got {x.shape}")
        self.x = x
        FN, C, FH, FW = self.W.shape
        key = (x.shape[1:], self.W.shape, self.W.dtype)
        self._conv = engine_for(self._conv, key, x.shape[1:], lambda: nl.Conv2D(
            FN, (FH, FW), stride=self.stride, padding=self.pad, weight_init="zeros"), self.W.dtype)
        share_params(self._conv, {"W": self.W, "b": self.b})
        return self._conv.forward(x, training=True)

    def backward(self, dout):
        fresh_grads(self._conv)
        dx = self._conv.backward(dout)
        self.dW, self.db = self._conv.grads["W"], self._conv.grads["b"]
        return dx


class Pooling:
    """Max pooling over ``pool_h`` x ``pool_w`` windows moved by ``stride`` (default 1, as in the book).

    NOTE: fixes the book's padding bug: its output size ignores ``pad`` (so ``pad > 0`` cannot reshape)
    and it pads with zeros, which win over negative inputs. Here padded cells never win (nerve's MaxPool2D)
    and the output is (H + 2·pad - pool_h) // stride + 1 high; ``pad`` may be at most half the window.
    """

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x = None
        self._pool = None

    def forward(self, x):
        x = as_float(x)
        if x.ndim != 4:
            raise ValueError(f"Pooling: expected input (N, C, H, W), got shape {x.shape}")
        self.x = x
        self._pool = engine_for(self._pool, (x.shape[1:], x.dtype), x.shape[1:], lambda: nl.MaxPool2D(
            (self.pool_h, self.pool_w), stride=self.stride, padding=self.pad), x.dtype)
        return self._pool.forward(x, training=True)

    def backward(self, dout):
        return self._pool.backward(np.asarray(dout))
