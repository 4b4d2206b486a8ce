"""Data validation shared by layers, losses and models (arrays, not arguments: see ``nerve.validation``)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["as_float_array", "check_finite", "TrainingDivergedError"]


def as_float_array(x, where: str, dtype=None) -> np.ndarray:
    """``x`` as a float array of ``dtype`` (default: the backend's), with a clear error for bad input."""
    from .backend import floatx

    dtype = dtype or floatx()
    if isinstance(x, np.ndarray) and x.dtype == dtype:
        arr = x
    else:
        try:
            arr = np.asarray(x, dtype=dtype)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{where}: expected a numeric array, got {type(x).__name__} ({e})") from None
    if arr.size == 0:
        raise ValueError(f"{where}: got an empty array of shape {arr.shape}; expected at least one sample")
    return arr


def check_finite(x: np.ndarray, where: str) -> None:
    """Raise if ``x`` holds NaN or inf."""
    if not _all_finite(x):
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(f"{where}: input contains {bad} NaN or inf value(s); clean the data first")


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or inf during training; the step that produced it was not applied."""


def _all_finite(x: np.ndarray) -> bool:
    """Every element finite? For a contiguous float32/float64 array one BLAS pass: a NaN or inf makes Σ x² NaN
    or inf. Only a finite Σ x² that overflows (or another dtype or layout) needs the element-wise check, which
    writes a boolean array as large as ``x`` (fit checks the whole training set on every call: 12 ms against
    6 ms for 60,000 MNIST images)."""
    if x.dtype in (np.float32, np.float64) and x.flags.c_contiguous:
        flat = x.reshape(-1)
        if math.isfinite(np.vdot(flat, flat)):
            return True
    return bool(np.isfinite(x).all())
