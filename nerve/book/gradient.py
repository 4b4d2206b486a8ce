"""The book's ``common.gradient``: central-difference gradients (h = 1e-4), computed by :mod:`nerve.gradcheck`."""

from __future__ import annotations

import numpy as np

from .. import gradcheck

# "np": the book's modules have no __all__, so its scripts get numpy from their star imports
__all__ = ["np", "numerical_gradient", "numerical_gradient_2d", "numerical_diff", "gradient_descent"]

numerical_diff = gradcheck.numerical_diff
gradient_descent = gradcheck.gradient_descent  # NOTE: unlike the book's, it leaves ``init_x`` unchanged


def numerical_gradient(f, x):
    """∂f/∂x by central differences for a float array ``x`` of any shape, which ``f`` reads and which is
    perturbed in place one element at a time (so ``f`` may ignore its argument and read shared parameters).
    """
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and not x.flags.c_contiguous:
        # nerve's kernel walks a flat view; a strided array gets the same loop through its indices
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            old = x[idx]
            x[idx] = old + 1e-4
            fxh1 = f(x)
            x[idx] = old - 1e-4
            fxh2 = f(x)
            x[idx] = old
            grad[idx] = (fxh1 - fxh2) / 2e-4
        return grad
    return gradcheck.numerical_gradient(f, x, h=1e-4)


def numerical_gradient_2d(f, X):
    """Row by row for a 2-D ``X`` (``f`` maps one row to a scalar): the gradient field of chapter 4."""
    if X.ndim == 1:
        return numerical_gradient(f, X)
    grad = np.zeros_like(X)
    for idx, x in enumerate(X):
        grad[idx] = numerical_gradient(f, x)
    return grad
