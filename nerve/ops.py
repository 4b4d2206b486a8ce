"""Numerically stable elementwise and row-wise functions shared by layers and losses."""

from __future__ import annotations

import numpy as np

from .backend import get_array_module
from .im2col import col2im, im2col

__all__ = ["sigmoid", "sigmoid_from_exp", "softmax", "log_softmax", "im2col", "col2im"]


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    xp = get_array_module(x)
    x = xp.asarray(x)
    # NOTE: exp(-|x|) is always in (0, 1], so neither branch can overflow.
    e = xp.exp(-abs(x))
    return sigmoid_from_exp(x, e)


def sigmoid_from_exp(x: np.ndarray, e: np.ndarray) -> np.ndarray:
    """sigmoid(x) given e = exp(-|x|): 1/(1+e) where x >= 0, e/(1+e) elsewhere."""
    s = 1.0 / (1.0 + e)
    xp = get_array_module(x)
    return xp.where(x >= 0, s, e * s).astype(xp.result_type(x.dtype, np.float32), copy=False)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) computed as x - max - log(sum(exp(x - max)))."""
    shifted = x - x.max(axis=axis, keepdims=True)
    xp = get_array_module(shifted)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x) / sum(exp(x)) along ``axis``, shifted by the max so it never overflows."""
    e = get_array_module(x).exp(x - x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e
