"""The book's ``common.functions``: activations, softmax and losses as plain NumPy functions.

``sigmoid`` and ``softmax`` are nerve's overflow-safe kernels (:mod:`nerve.ops`); the losses keep the book's
formulas so the book's printed numbers come out (``cross_entropy_error`` adds ``delta = 1e-7`` inside the log,
as the book does, where :class:`nerve.losses.CrossEntropy` clips instead).
"""

from __future__ import annotations

import numpy as np

from ..ops import sigmoid as _stable_sigmoid
from ..ops import softmax as _stable_softmax

# "np": the book's modules have no __all__, so its scripts get numpy from their star imports
__all__ = ["np", "identity_function", "step_function", "sigmoid", "sigmoid_grad", "relu", "relu_grad", "softmax",
           "sum_squared_error", "mean_squared_error", "cross_entropy_error", "softmax_loss"]

_DELTA = 1e-7  # the book's guard against log(0)


def identity_function(x):
    """y = x (the regression output)."""
    return x


def step_function(x):
    """1 where x > 0, else 0, as integers (the perceptron's activation)."""
    return np.array(np.asarray(x) > 0, dtype=int)


def sigmoid(x):
    """1 / (1 + exp(-x)); nerve's version never overflows for large negative x (the book's warns)."""
    y = _stable_sigmoid(np.asarray(x))
    return y[()] if y.ndim == 0 else y  # a scalar in, a scalar out


def sigmoid_grad(x):
    """dσ/dx = (1 - σ(x))·σ(x)."""
    s = sigmoid(x)
    return (1.0 - s) * s


def relu(x):
    """max(0, x)."""
    return np.maximum(0, x)


def relu_grad(x):
    """1 where x >= 0, else 0 (the book's convention at 0)."""
    return (np.asarray(x) >= 0).astype(np.result_type(np.asarray(x).dtype, np.float64))


def softmax(x):
    """exp(x) / Σ exp(x) along the last axis, shifted by the max (nerve's kernel)."""
    return _stable_softmax(np.asarray(x), axis=-1)


def sum_squared_error(y, t):
    """½·Σ(y - t)²: the book's squared error (the ½ cancels the 2 of the derivative)."""
    return 0.5 * np.sum((np.asarray(y) - np.asarray(t)) ** 2)


#: the name the book's chapter 4 text uses for the same ½·Σ(y - t)²
mean_squared_error = sum_squared_error


def cross_entropy_error(y, t):
    """-Σ t·log(y + 1e-7) / batch, for one-hot rows or class indices ``t``; a 1-D ``y`` is a batch of one."""
    y, t = np.asarray(y), np.asarray(t)
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:  # one-hot rows -> class indices
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t.astype(np.intp)] + _DELTA)) / batch_size


def softmax_loss(X, t):
    """cross_entropy_error(softmax(X), t)."""
    return cross_entropy_error(softmax(X), t)
