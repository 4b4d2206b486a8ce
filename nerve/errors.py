"""Input validation shared by layers, losses and models: one place for the clear messages."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_float_array", "check_finite", "positive_int", "fraction", "TrainingDivergedError"]


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
    if not np.isfinite(x).all():
        bad = int(np.size(x) - np.count_nonzero(np.isfinite(x)))
        raise ValueError(f"{where}: input contains {bad} NaN or inf value(s); clean the data first")


def positive_int(value, name: str, owner: str) -> int:
    """``value`` as an int > 0, or a Keras-style error naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(
            f"{owner}: received an invalid value for `{name}`, expected a positive integer. "
            f"Received: {name}={value!r}"
        )
    return int(value)


def fraction(value, name: str, owner: str, *, low_open=False, high_open=True) -> float:
    """``value`` as a float in [0, 1) (bounds configurable), or a clear error."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    if ok:
        v = float(value)
        ok = (v > 0 if low_open else v >= 0) and (v < 1 if high_open else v <= 1)
    if not ok:
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{owner}: `{name}` must be in {lo}0, 1{hi}, got {value!r}")
    return float(value)


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or inf during training; the step that produced it was not applied."""
