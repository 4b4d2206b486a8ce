"""Dense (the book's Affine), Flatten, Reshape and Identity."""

from __future__ import annotations

import math

import numpy as np

from .. import initializers
from ..backend import get_array_module
from ..validation import Boolean, Integral, Interval, Real, Satisfies, validate_params
from .base import Layer

__all__ = ["Dense", "Flatten", "Reshape", "Identity"]


class Dense(Layer):
    """Fully connected layer: ``y = x @ W + b``.

    Args:
        units: number of outputs.
        weight_init: "he" (default), "xavier", "normal", an std (float, the book's ``weight_init_std``)
            or an Initializer.
        use_bias: add ``b``.
        l1: L1 weight decay for this layer's ``W`` (overrides the model's).
        l2: L2 weight decay for this layer's ``W`` (overrides the model's).
    Input shape: (batch, in). Output shape: (batch, units).
    """

    weight_names = ("W",)

    @validate_params({"units": [Interval(Integral, 1, None)], "use_bias": [Boolean],
                      "l1": [None, Interval(Real, 0, None)], "l2": [None, Interval(Real, 0, None)]})
    def __init__(self, units: int, weight_init="he", use_bias: bool = True, l1=None, l2=None, name=None):
        super().__init__(name)
        self.units = int(units)
        self.weight_init = initializers.get(weight_init)
        self.use_bias = bool(use_bias)
        self.l1, self.l2 = l1, l2
        self.x = None

    def build(self, input_shape):
        if len(input_shape) != 1:
            raise ValueError(
                f"{self}: expects 2-D input (batch, features), got sample shape {tuple(input_shape)}; "
                "add Flatten() before it"
            )
        super().build(input_shape)
        self.params["W"] = self.weight_init((input_shape[0], self.units))
        self.grads["W"] = np.zeros_like(self.params["W"])
        if self.use_bias:
            self.params["b"] = np.zeros(self.units, dtype=self.params["W"].dtype)
            self.grads["b"] = np.zeros_like(self.params["b"])

    def weight_shapes(self, input_shape):
        return {"W": (input_shape[0], self.units), **({"b": (self.units,)} if self.use_bias else {})}

    def compute_output_shape(self, input_shape):
        return (self.units,)

    def forward(self, x, training=False):
        self.x = x = self._prepare(x)
        y = x @ self.params["W"]
        if self.use_bias:
            y += self.params["b"]
        return y

    def backward(self, dout):
        x = self._cache_or_raise(self.x)
        # y = xW + b  =>  dW = xᵀ·dout, db = Σ_batch dout, dx = dout·Wᵀ
        get_array_module(x).matmul(x.T, dout, out=self.grads["W"])
        if self.use_bias:
            dout.sum(axis=0, out=self.grads["b"])
        if not self.need_input_grad:  # the first layer: dL/dx would be thrown away
            return None
        return dout @ self.params["W"].T

    def get_config(self):
        return {**super().get_config(), "units": self.units, "weight_init": initializers.serialize(self.weight_init),
                "use_bias": self.use_bias}


class Flatten(Layer):
    """Flattens each sample: (batch, d1, d2, ...) -> (batch, d1*d2*...)."""

    def compute_output_shape(self, input_shape):
        return (math.prod(input_shape),)

    def forward(self, x, training=False):
        x = self._prepare(x)
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(dout.shape[0], *self.input_shape)


def _is_target_shape(shape) -> bool:
    """A tuple/list of integer sizes >= 1, one of which may be -1."""
    return isinstance(shape, (tuple, list)) and all(isinstance(d, Integral) and not isinstance(d, bool)
                                                    and (d >= 1 or d == -1) for d in shape) \
        and sum(d == -1 for d in shape) <= 1


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (one entry may be -1)."""

    @validate_params({"target_shape": [Satisfies(_is_target_shape, "a tuple of sizes >= 1 with at most one -1")]})
    def __init__(self, target_shape, name=None):
        super().__init__(name)
        target = tuple(int(d) for d in target_shape)
        self.target_shape = target

    def compute_output_shape(self, input_shape):
        size = math.prod(input_shape)
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size % known:
                raise ValueError(f"{self}: cannot reshape samples of shape {input_shape} into {self.target_shape}")
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if known != size:
            raise ValueError(f"{self}: cannot reshape samples of shape {input_shape} ({size} values) "
                             f"into {self.target_shape} ({known} values)")
        return self.target_shape

    def forward(self, x, training=False):
        x = self._prepare(x)
        return x.reshape(x.shape[0], *self.output_shape)

    def backward(self, dout):
        return dout.reshape(dout.shape[0], *self.input_shape)

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Identity(Layer):
    """y = x (the book's identity output function)."""

    def forward(self, x, training=False):
        return self._prepare(x)

    def backward(self, dout):
        return dout
