"""A bias over the channels of a channels-last batch, and its gradient, as passes along long rows.

A convolution's output laid out channels-last is a (rows, C) matrix with C small (16-64). ``out += b`` and
``dout.sum(axis=0)`` on it run NumPy's inner loop over C values per row, 3-6x slower than the same pass over a
(C, rows) matrix (57,600 x 30: 0.39 and 0.83 ms against 0.07 and 0.26 ms). Viewing k rows as one,
(rows/k, k*C), and tiling ``b`` k times makes the inner loop k*C long; the arithmetic per value is unchanged
(the sum adds k partial column sums at the end).
"""

from __future__ import annotations

import math

from .backend import get_array_module

__all__ = ["add_channel_bias", "channel_bias_gradient"]

_ROWS = 64  # rows per long row: inner loops of 64*C values


def _long_rows(a):
    """(R, C) contiguous -> (R/k, k*C), k the largest divisor of R up to ``_ROWS``."""
    r, c = a.shape
    k = math.gcd(r, _ROWS)
    return a.reshape(r // k, k * c), k


def add_channel_bias(a, b) -> None:
    """``a += b`` for a C-contiguous (rows, C) array ``a`` and a (C,) bias ``b``, in place."""
    rows, k = _long_rows(a)
    rows += get_array_module(a).tile(b, k)


def channel_bias_gradient(a, out) -> None:
    """``out[...] = a.sum(axis=0)`` for a C-contiguous (rows, C) ``a``: the bias gradient of ``add_channel_bias``."""
    rows, k = _long_rows(a)
    rows.sum(axis=0).reshape(k, a.shape[1]).sum(axis=0, out=out)
