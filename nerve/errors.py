"""Data validation shared by layers, losses and models (arrays, not arguments: see ``nerve.validation``)."""

from __future__ import annotations

import math

import numpy as np

from .backend.arrays import get_array_module

__all__ = ["as_float_array", "all_finite", "check_finite", "TrainingDivergedError"]


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


def all_finite(x) -> bool:
    """Every element finite, on any device? For a contiguous float32/float64 array one BLAS pass: a NaN or inf
    makes Σ x² NaN or inf, and no boolean array as large as ``x`` is written (fit checks the whole training set
    on every call: 6 ms against 12 ms for 60,000 MNIST images; the update guard checks every weight every
    step). Only a finite Σ x² that overflows (|x| > 1.8e19 in float32), another dtype or layout takes the
    element-wise test."""
    xp = get_array_module(x)
    if x.dtype in (np.float32, np.float64) and x.flags.c_contiguous:
        flat = x.reshape(-1)
        if math.isfinite(xp.vdot(flat, flat)):
            return True
    return bool(xp.isfinite(x).all())


def check_finite(x: np.ndarray, where: str) -> None:
    """Raise if ``x`` holds NaN or inf."""
    if not all_finite(x):
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(f"{where}: input contains {bad} NaN or inf value(s); clean the data first")


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or inf during training; the step that produced it was not applied."""
