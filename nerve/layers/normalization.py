"""Batch normalisation over features (2-D input) or per channel (4-D NCHW input)."""

from __future__ import annotations

import numpy as np

from ..backend import get_array_module
from ..validation import Interval, Real, validate_params
from .base import Layer

__all__ = ["BatchNorm"]


def _channels_last(a) -> bool:
    """Are the channels of ``a`` (N, C, H, W) innermost in memory, with a row's pixels one after another?"""
    c, w = a.shape[1], a.shape[3]
    return a.strides[1] == a.itemsize and (w == 1 or a.strides[3] == c * a.itemsize)


class _Form:
    """How a batch is laid out for the per-channel arithmetic: (N, F), (N, C, H, W), or channels-last rows.

    A 4-D batch whose channels are innermost in memory (the grid convolution's output and what follows it) is
    computed on its (N, H, W*C) view, statistics tiled W times along the rows: NumPy's passes over an NCHW view
    of channels-last memory, and its reductions over (N, H, W) there, ran 3-6x slower (inner loops of C values).
    """

    def __init__(self, x):
        self.shape = x.shape
        self.rows = x.ndim == 4 and _channels_last(x)
        self.channels = x.shape[1]
        self.count = x.size // self.channels

    def enter(self, a, copy: bool = False):
        """``a`` (the batch's shape) in this form: itself, or its (N, H, W*C) rows (a copy if it must be)."""
        if not self.rows:
            return a
        n, c, h, w = self.shape
        v = a.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
        if copy and not _channels_last(a):
            v = get_array_module(a).ascontiguousarray(v)  # dout in another layout: one copy into this one
        return v.reshape(n, h, w * c)

    def leave(self, a):
        """A result computed in this form, as (N, C, H, W) (a view)."""
        if not self.rows:
            return a
        n, c, h, w = self.shape
        return a.reshape(n, h, w, c).transpose(0, 3, 1, 2)

    def expand(self, v):
        """A per-channel vector (C,), broadcastable against the form."""
        if self.rows:
            return get_array_module(v).tile(v, self.shape[3])  # (C,) -> (W*C,): channel c at w*C + c
        return v.reshape((1, -1) if len(self.shape) == 2 else (1, -1, 1, 1))

    def sum(self, a):
        """Per-channel sums over the batch (and the pixels)."""
        if self.rows:
            return a.sum(axis=(0, 1)).reshape(self.shape[3], self.channels).sum(axis=0)  # (W*C,) -> (C,)
        return a.sum(axis=(0,) if len(self.shape) == 2 else (0, 2, 3))

    def mean(self, a):
        return self.sum(a) / self.count


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
        form = _Form(x)
        a = form.enter(x)
        if training:
            mean = form.mean(a)
            xc = a - form.expand(mean)  # centred once: for the variance and for xhat
            var = form.mean(xc * xc)
            m = self.momentum
            self.state["running_mean"] *= m
            self.state["running_mean"] += (1 - m) * mean
            self.state["running_var"] *= m
            self.state["running_var"] += (1 - m) * var
        else:
            var = self.state["running_var"]
            xc = a - form.expand(self.state["running_mean"])
        inv_std = (1.0 / get_array_module(x).sqrt(var + self.eps)).astype(x.dtype, copy=False)
        xhat = xc * form.expand(inv_std)
        self.cache = (xhat, inv_std, form, training)
        return form.leave(form.expand(self.params["gamma"]) * xhat + form.expand(self.params["beta"]))

    def backward(self, dout):
        xhat, inv_std, form, training = self._cache_or_raise(self.cache)
        d = form.enter(dout, copy=True)
        dbeta = form.sum(d)
        dgamma = form.sum(d * xhat)
        self.grads["beta"][...] = dbeta
        self.grads["gamma"][...] = dgamma
        scale = form.expand(self.params["gamma"] * inv_std)
        if not training:  # the statistics are constants
            return form.leave(d * scale)
        m = form.count  # samples per statistic
        # dx = gamma/σ · (dout - mean(dout) - xhat · mean(dout · xhat))
        return form.leave(scale * (d - form.expand(dbeta / m) - xhat * form.expand(dgamma / m)))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "eps": self.eps}
