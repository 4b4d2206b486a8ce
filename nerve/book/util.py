"""The book's ``common.util``: ``im2col``/``col2im`` (nerve's loop-free kernels), ``smooth_curve``,
``shuffle_dataset`` (through nerve's seeded generator) and ``conv_output_size``."""

from __future__ import annotations

import numpy as np

from .. import im2col as _kernels
from ..backend import rng

# "np": the book's modules have no __all__, so its scripts get numpy from their star imports
__all__ = ["np", "smooth_curve", "shuffle_dataset", "conv_output_size", "im2col", "col2im"]

im2col = _kernels.im2col  # (N, C, H, W) -> (N*OH*OW, C*FH*FW)
col2im = _kernels.col2im  # (N*OH*OW, C*FH*FW) -> (N, C, H, W), overlaps summed


def smooth_curve(x):
    """A loss curve smoothed by an 11-tap Kaiser window (β = 2), same length as ``x``, for plots."""
    x = np.asarray(x, dtype=np.float64)
    window_len = 11
    if x.size < window_len:
        return x.copy()  # too short to smooth (the book's version fails here)
    s = np.r_[x[window_len - 1:0:-1], x, x[-1:-window_len:-1]]  # mirrored ends
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode="valid")
    return y[5:len(y) - 5]


def shuffle_dataset(x, t):
    """``x`` and ``t`` in the same random order (nerve's generator, so ``nerve.seed`` makes it repeatable)."""
    permutation = rng().permutation(x.shape[0])
    return x[permutation], t[permutation]


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """(input + 2·pad - filter) / stride + 1, as the book computes it (a float when it does not divide)."""
    return (input_size + 2 * pad - filter_size) / stride + 1
