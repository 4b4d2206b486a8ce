"""The book's ``common.layers`` with the book's constructors and attributes, computed by nerve's layers.

Each class keeps the book's interface (``Affine(W, b)`` with ``dW``/``db``, ``forward(x, train_flg)``,
``SoftmaxWithLoss.backward(dout=1)``) and hands the arithmetic to the nerve layer of the same idea
(:class:`nerve.layers.Dense`, :class:`nerve.layers.ReLU`, ...). The parameter arrays are the ones the network's
``params`` dict holds, so the book's optimizers, which update them in place, and ``numerical_gradient``, which
perturbs them in place, are seen by the layers. Like the book's module, this one also exports the book's
functions, ``im2col``/``col2im``, ``Convolution``/``Pooling`` and the chapter 5 ``AddLayer``/``MulLayer``.
"""

from __future__ import annotations

import numpy as np

from .. import layers as nl
from .. import losses
from .adapter import as_float, engine_for, fresh_grads, share_params
from .conv_layers import Convolution, Pooling
from .functions import (
    cross_entropy_error,
    identity_function,
    relu,
    sigmoid,
    softmax,
    step_function,
    sum_squared_error,
)
from .layer_naive import AddLayer, MulLayer
from .util import col2im, im2col

# "np": the book's modules have no __all__, so its scripts get numpy from their star imports
__all__ = ["np", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "Dropout", "BatchNormalization", "Convolution",
           "Pooling", "AddLayer", "MulLayer", "identity_function", "step_function", "sigmoid", "relu", "softmax",
           "sum_squared_error", "cross_entropy_error", "im2col", "col2im"]


class Relu:
    """y = max(0, x).

    NOTE: fixes the book's ``backward``, which zeroes ``dout`` in place and so changes the caller's array;
    this one returns a new array (nerve's ReLU).
    """

    def __init__(self):
        self._layer = None

    def forward(self, x):
        x = as_float(x)
        self._layer = engine_for(self._layer, (x.shape[1:], x.dtype), x.shape[1:], nl.ReLU, x.dtype)
        return self._layer.forward(x, training=True)

    def backward(self, dout):
        return self._layer.backward(dout)

    @property
    def mask(self):
        """True where the input was <= 0 (the book's meaning)."""
        return None if self._layer is None or self._layer.mask is None else ~self._layer.mask


class Sigmoid:
    """y = 1 / (1 + exp(-x)), overflow-safe; ``out`` is the last output."""

    def __init__(self):
        self._layer = None

    def forward(self, x):
        x = as_float(x)
        self._layer = engine_for(self._layer, (x.shape[1:], x.dtype), x.shape[1:], nl.Sigmoid, x.dtype)
        return self._layer.forward(x, training=True)

    def backward(self, dout):
        return self._layer.backward(dout)

    @property
    def out(self):
        return None if self._layer is None else self._layer.y


class Affine:
    """out = x·W + b (nerve's Dense) on the arrays ``W`` (in, out) and ``b`` (out,) given.

    Input of any shape (N, ...) is flattened to (N, in), as the book does for a convolution's output;
    ``backward`` returns dx in the input's shape and sets ``dW`` and ``db``.
    """

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None
        self._dense = None

    def forward(self, x):
        x = np.asarray(x)
        self.original_x_shape = x.shape
        self.x = x = as_float(x.reshape(x.shape[0], -1), self.W.dtype)  # (N, ...) -> (N, in)
        if x.shape[1] != self.W.shape[0]:
            raise ValueError(f"Affine: input has {x.shape[1]} features per sample (shape {self.original_x_shape}) "
                             f"but W has shape {self.W.shape}; expected {self.W.shape[0]}")
        key = (self.W.shape, self.W.dtype)
        self._dense = engine_for(self._dense, key, (self.W.shape[0],),
                                 lambda: nl.Dense(self.W.shape[1], weight_init="zeros"), self.W.dtype)
        share_params(self._dense, {"W": self.W, "b": self.b})
        return self._dense.forward(x, training=True)

    def backward(self, dout):
        fresh_grads(self._dense)
        dx = self._dense.backward(dout)
        self.dW, self.db = self._dense.grads["W"], self._dense.grads["b"]
        return dx.reshape(*self.original_x_shape)


class SoftmaxWithLoss:
    """Softmax then cross-entropy, fused (nerve's :class:`~nerve.losses.SoftmaxCrossEntropy`).

    ``t``: one-hot rows or class indices. The loss is computed through log-softmax, exact where the book's
    ``log(y + 1e-7)`` differs by up to 1e-7 per sample; ``backward(dout=1)`` returns (y - t) / batch · dout.
    """

    def __init__(self):
        self.loss = None
        self.t = None
        self._x = None
        self._single = False
        self._loss = losses.SoftmaxCrossEntropy()

    @property
    def y(self):
        """softmax of the last input."""
        return None if self._x is None else softmax(self._x)

    def forward(self, x, t):
        self.t = t
        self._x = x = as_float(x)
        self._single = x.ndim == 1  # one sample, as cross_entropy_error accepts: (C,) -> (1, C)
        if self._single:
            t = np.asarray(t)
            x, t = x[None], (t[None] if t.size == x.size else t.reshape(1))
        self.loss = self._loss.forward(x, t)
        return self.loss

    def backward(self, dout=1):
        dx = self._loss.backward()
        if self._single:
            dx = dx[0]
        return dx if np.isscalar(dout) and dout == 1 else dx * dout


class Dropout:
    """Drops each input with probability ``dropout_ratio`` while training (masks from nerve's generator).

    The book's convention is kept, so numbers mean what they mean in the book: training passes ``x · mask``,
    inference ``x · (1 - dropout_ratio)``. Computed as nerve's inverted dropout scaled by (1 - ratio).
    """

    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self._layer = nl.Dropout(dropout_ratio)

    def forward(self, x, train_flg=True):
        return self._layer.forward(as_float(x), training=bool(train_flg)) * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return self._layer.backward(dout) * (1.0 - self.dropout_ratio)

    @property
    def mask(self):
        """True where the input was kept by the last training forward."""
        return None if self._layer.mask is None else self._layer.mask != 0


class BatchNormalization:
    """Batch normalisation on the arrays ``gamma`` and ``beta`` given (nerve's BatchNorm, eps 1e-6 as the book).

    For 4-D input, a ``gamma`` with one entry per channel normalises per channel (the usual CNN way);
    one with C·H·W entries normalises every activation apart, as the book does. ``running_mean`` and
    ``running_var`` are updated in place as ``momentum · running + (1 - momentum) · batch``.

    NOTE: ``running_var`` starts at ones where the book starts at zeros, so inference before any training
    step divides by √(1 + eps), not √eps. ``dgamma``/``dbeta`` are set by ``backward``.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.input_shape = None
        self.running_mean = running_mean
        self.running_var = running_var
        self.dgamma = None
        self.dbeta = None
        self._bn = None

    def _as_2d_or_channels(self, x):
        x = np.asarray(x)
        size = int(np.prod(x.shape[1:]))
        if x.ndim == 4 and self.gamma.size == x.shape[1] != size:
            return x  # per channel
        if self.gamma.size != size:
            raise ValueError(f"BatchNormalization: gamma has {self.gamma.size} entries; input of shape {x.shape} "
                             f"needs {size} (one per activation) or, for 4-D input, {x.shape[1]} (per channel)")
        return x.reshape(x.shape[0], -1)  # (N, C, H, W) -> (N, C*H*W): one statistic per activation

    def forward(self, x, train_flg=True):
        self.input_shape = np.shape(x)
        x = as_float(self._as_2d_or_channels(x), self.gamma.dtype)
        key = (x.shape[1:], self.gamma.dtype)
        self._bn = engine_for(self._bn, key, x.shape[1:], lambda: nl.BatchNorm(self.momentum, eps=1e-6),
                              self.gamma.dtype)
        share_params(self._bn, {"gamma": self.gamma, "beta": self.beta})
        if self.running_mean is None:
            self.running_mean = np.zeros(self.gamma.shape, dtype=self.gamma.dtype)
            self.running_var = np.ones(self.gamma.shape, dtype=self.gamma.dtype)
        self._bn.state["running_mean"], self._bn.state["running_var"] = self.running_mean, self.running_var
        return self._bn.forward(x, training=bool(train_flg)).reshape(self.input_shape)

    def backward(self, dout):
        fresh_grads(self._bn)
        dx = self._bn.backward(self._as_2d_or_channels(dout))
        self.dgamma, self.dbeta = self._bn.grads["gamma"], self._bn.grads["beta"]
        return dx.reshape(self.input_shape)
