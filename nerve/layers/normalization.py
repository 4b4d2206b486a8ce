"""Batch normalisation over features (2-D input) or per channel (4-D NCHW input)."""

from __future__ import annotations

import numpy as np

from ..backend import get_array_module
from ..validation import Interval, Real, validate_params
from .base import Layer

__all__ = ["BatchNorm"]


class BatchNorm(Layer):
    """y = gamma * (x - mean) / sqrt(var + eps) + beta, statistics per feature or per channel.

    Training uses the batch's mean and (biased) variance and updates ``running_mean``/``running_var`` as
    ``running = momentum * running + (1 - momentum) * batch``; inference uses the running statistics.

    Args:
        momentum: weight of the old running statistics, in [0, 1).
        eps: added to the variance for stability.
    Input shape: (batch, features) or (batch, channels, height, width). Output shape: the same.
    """

    @validate_params({"momentum": [Interval(Real, 0, 1, closed="left")],
                      "eps": [Interval(Real, 0, None, closed="neither")]})
    def __init__(self, momentum: float = 0.9, eps: float = 1e-5, name=None):
        super().__init__(name)
        self.momentum = float(momentum)
        self.eps = float(eps)
        self.cache = None

    def build(self, input_shape):
        if len(input_shape) not in (1, 3):
            raise ValueError(f"{self}: expects (batch, features) or (batch, C, H, W) input, "
                             f"got sample shape {tuple(input_shape)}")
        super().build(input_shape)
        from ..backend import floatx

        c = input_shape[0]
        self.params["gamma"] = np.ones(c, dtype=floatx())
        self.params["beta"] = np.zeros(c, dtype=floatx())
        self.grads["gamma"] = np.zeros_like(self.params["gamma"])
        self.grads["beta"] = np.zeros_like(self.params["beta"])
        self.state["running_mean"] = np.zeros(c, dtype=floatx())
        self.state["running_var"] = np.ones(c, dtype=floatx())

    def weight_shapes(self, input_shape):
        c = (input_shape[0],)
        return {"gamma": c, "beta": c, "running_mean": c, "running_var": c}

    def forward(self, x, training=False):
        x = self._prepare(x)
        axes = (0,) if x.ndim == 2 else (0, 2, 3)
        shape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)  # (C,) -> broadcastable against x
        if training:
            mean = x.mean(axis=axes)
            xc = x - mean.reshape(shape)  # centred once: for the variance and for xhat
            var = (xc * xc).mean(axis=axes)
            m = self.momentum
            self.state["running_mean"] *= m
            self.state["running_mean"] += (1 - m) * mean
            self.state["running_var"] *= m
            self.state["running_var"] += (1 - m) * var
        else:
            var = self.state["running_var"]
            xc = x - self.state["running_mean"].reshape(shape)
        inv_std = (1.0 / get_array_module(x).sqrt(var + self.eps)).astype(x.dtype, copy=False)
        xhat = xc * inv_std.reshape(shape)
        self.cache = (xhat, inv_std, axes, shape, training)
        return self.params["gamma"].reshape(shape) * xhat + self.params["beta"].reshape(shape)

    def backward(self, dout):
        xhat, inv_std, axes, shape, training = self._cache_or_raise(self.cache)
        dbeta = dout.sum(axis=axes)
        dgamma = (dout * xhat).sum(axis=axes)
        self.grads["beta"][...] = dbeta
        self.grads["gamma"][...] = dgamma
        scale = (self.params["gamma"] * inv_std).reshape(shape)
        if not training:  # the statistics are constants
            return dout * scale
        m = dout.size // dbeta.size  # samples per statistic
        # dx = gamma/σ · (dout - mean(dout) - xhat · mean(dout · xhat))
        return scale * (dout - (dbeta / m).reshape(shape) - xhat * (dgamma / m).reshape(shape))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "eps": self.eps}
