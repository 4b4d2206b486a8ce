"""Activation layers: Step, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, PReLU, Softmax."""

from __future__ import annotations

import numpy as np

from ..backend import floatx, get_array_module
from ..layout import in_layout_of
from ..ops import sigmoid, softmax
from ..validation import Interval, Real, validate_params
from .base import Layer

__all__ = ["Step", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax"]


_NON_NEGATIVE = [Interval(Real, 0, None)]


class Step(Layer):
    """y = 1 if x > 0 else 0 (the perceptron's activation); its derivative is 0 almost everywhere."""

    def forward(self, x, training=False):
        x = self._prepare(x)
        return (x > 0).astype(x.dtype)

    def backward(self, dout):
        return get_array_module(dout).zeros_like(dout)


class Sigmoid(Layer):
    """y = 1 / (1 + exp(-x))."""

    def __init__(self, name=None):
        super().__init__(name)
        self.y = None

    def forward(self, x, training=False):
        self.y = sigmoid(self._prepare(x))
        return self.y

    def backward(self, dout):
        y = self._cache_or_raise(self.y)
        return dout * y * (1.0 - y)  # dσ/dx = σ(1 - σ)


class Tanh(Layer):
    """y = tanh(x)."""

    def __init__(self, name=None):
        super().__init__(name)
        self.y = None

    def forward(self, x, training=False):
        x = self._prepare(x)
        self.y = get_array_module(x).tanh(x)
        return self.y

    def backward(self, dout):
        y = self._cache_or_raise(self.y)
        return dout * (1.0 - y * y)  # d tanh/dx = 1 - tanh²


_SMALL = 1 << 14  # ReLU: batches smaller than this compare against the scalar 0


class ReLU(Layer):
    """y = max(0, x)."""

    def __init__(self, name=None):
        super().__init__(name)
        self.y = None  # the last output; backward passes dout where it is > 0

    def forward(self, x, training=False):
        x = self._prepare(x)
        xp = get_array_module(x)
        # one pass and no mask array (x * (x > 0) made two arrays and read x twice); NaN stays NaN either way
        # NOTE: against zeros of one sample's shape and layout, broadcast over the batch: NumPy's SIMD loop
        # takes two arrays; against the scalar 0 the same pass is 2-3x slower (1.7M values: 0.22 vs 0.58 ms).
        # Below ~10^4 values making the zeros costs more than it saves (a 100x50 batch: 3.6 vs 2.8 µs).
        zero = 0 if x.size < _SMALL else xp.zeros_like(x[0])
        self.y = xp.maximum(x, zero)
        return self.y

    def backward(self, dout):
        # NOTE: a new array; the book's version zeroes dout in place, which corrupts the caller's gradient.
        y = self._cache_or_raise(self.y)
        # NOTE: in y's memory layout (a channels-last conv output stays channels-last, a Flatten hands back NCHW):
        # across layouts a copy, then one pass over matching ones (see nerve/layout.py); the layer below then
        # reads it in order
        dx = in_layout_of(dout, y) if y.ndim > 2 else dout
        if dx is dout:
            return dout * (y > 0)
        dx *= y > 0
        return dx

    @property
    def mask(self):
        """True where the last input was > 0 (None before a forward)."""
        return None if self.y is None else self.y > 0


class LeakyReLU(Layer):
    """y = x if x > 0 else alpha * x."""

    @validate_params({"alpha": _NON_NEGATIVE})
    def __init__(self, alpha: float = 0.01, name=None):
        super().__init__(name)
        self.alpha = float(alpha)
        self.mask = None

    def forward(self, x, training=False):
        x = self._prepare(x)
        self.mask = x > 0
        return get_array_module(x).where(self.mask, x, self.alpha * x)

    def backward(self, dout):
        return get_array_module(dout).where(self._cache_or_raise(self.mask), dout, self.alpha * dout)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class ELU(Layer):
    """y = x if x > 0 else alpha * (exp(x) - 1)."""

    @validate_params({"alpha": _NON_NEGATIVE})
    def __init__(self, alpha: float = 1.0, name=None):
        super().__init__(name)
        self.alpha = float(alpha)
        self.mask = self.y = None

    def forward(self, x, training=False):
        x = self._prepare(x)
        self.mask = x > 0
        xp = get_array_module(x)
        # NOTE: expm1 of min(x, 0) so the branch not taken cannot overflow.
        self.y = xp.where(self.mask, x, self.alpha * xp.expm1(xp.minimum(x, 0)))
        return self.y

    def backward(self, dout):
        mask = self._cache_or_raise(self.mask)
        # for x <= 0: dy/dx = alpha·eˣ = y + alpha
        return get_array_module(dout).where(mask, dout, dout * (self.y + self.alpha))


class PReLU(Layer):
    """y = x if x > 0 else alpha * x, with a learned alpha per feature (2-D input) or per channel (4-D).

    Args:
        init: initial value of every alpha (0.25 as in PyTorch).
    """

    @validate_params({"init": _NON_NEGATIVE})
    def __init__(self, init: float = 0.25, name=None):
        super().__init__(name)
        self.init = float(init)
        self.x = None

    def build(self, input_shape):
        super().build(input_shape)
        self.params["alpha"] = np.full(input_shape[0], self.init, dtype=floatx())
        self.grads["alpha"] = np.zeros_like(self.params["alpha"])

    def weight_shapes(self, input_shape):
        return {"alpha": (input_shape[0],)}

    def _alpha(self, ndim: int) -> np.ndarray:
        return self.params["alpha"].reshape((-1,) + (1,) * (ndim - 2))  # (C,) -> (C, 1, ..., 1)

    def forward(self, x, training=False):
        self.x = x = self._prepare(x)
        return get_array_module(x).where(x > 0, x, self._alpha(x.ndim) * x)

    def backward(self, dout):
        x = self._cache_or_raise(self.x)
        neg = x <= 0
        axes = (0,) + tuple(range(2, x.ndim))  # every axis but the feature/channel one
        self.grads["alpha"][...] = (dout * x * neg).sum(axis=axes)  # dy/dalpha = x where x <= 0
        return get_array_module(x).where(neg, self._alpha(x.ndim) * dout, dout)

    def get_config(self):
        return {**super().get_config(), "init": self.init}


class Softmax(Layer):
    """y_i = exp(x_i) / Σ_j exp(x_j) along the last axis."""

    def __init__(self, name=None):
        super().__init__(name)
        self.y = None

    def forward(self, x, training=False):
        self.y = softmax(self._prepare(x), axis=-1)
        return self.y

    def backward(self, dout):
        y = self._cache_or_raise(self.y)
        # dx_i = y_i (dout_i - Σ_j dout_j y_j)
        return y * (dout - (dout * y).sum(axis=-1, keepdims=True))

