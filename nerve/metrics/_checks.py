"""Shared input checks and the zero-division rule for the scikit-learn style metrics."""

from __future__ import annotations

import warnings

import numpy as np

from ..validation import Options

__all__ = ["UndefinedMetricWarning", "ZERO_DIVISION", "as_labels", "as_label_pair", "as_scores", "same_length",
           "index_in", "divide"]

#: the constraint on every metric's ``zero_division`` argument (see ``nerve.validation``)
ZERO_DIVISION = [Options(("warn", 0, 1))]


class UndefinedMetricWarning(UserWarning):
    """A metric had a zero denominator (no predicted positives, a single class...) and was set to 0."""


def as_labels(y, name: str, where: str) -> np.ndarray:
    """``y`` as a 1-D array of class labels (numbers, booleans or strings), or a clear error."""
    try:
        a = np.asarray(y)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where}: `{name}` is not an array of labels ({e})") from None
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(
            f"{where}: `{name}` must be 1-D class labels, got shape {a.shape}; "
            "for one-hot rows or probabilities pass y.argmax(axis=1)"
        )
    if a.size == 0:
        raise ValueError(f"{where}: `{name}` is empty; expected at least one sample")
    if a.dtype.kind not in "biufUSO":
        raise TypeError(f"{where}: `{name}` has unsupported dtype {a.dtype}; expected numbers or strings")
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ValueError(f"{where}: `{name}` contains NaN or inf")
    return a


def as_label_pair(y_true, y_pred, where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated ``y_true``, ``y_pred`` and the sorted labels present in either."""
    y_true = as_labels(y_true, "y_true", where)
    y_pred = as_labels(y_pred, "y_pred", where)
    same_length(y_true, y_pred, "y_true and y_pred", where)
    if (y_true.dtype.kind in "US") != (y_pred.dtype.kind in "US"):
        raise TypeError(f"{where}: y_true ({y_true.dtype}) and y_pred ({y_pred.dtype}) mix label types")
    try:
        present = np.unique(np.concatenate([y_true, y_pred]))
    except TypeError as e:
        raise TypeError(
            f"{where}: y_true ({y_true.dtype}) and y_pred ({y_pred.dtype}) mix label types ({e})"
        ) from None
    return y_true, y_pred, present


def as_scores(y_score, where: str, ndim: tuple[int, ...] = (1,), name: str = "y_score") -> np.ndarray:
    """``y_score`` as a finite float64 array with one of the allowed numbers of dimensions."""
    try:
        s = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where}: `{name}` must be numeric ({e})") from None
    if s.ndim == 2 and s.shape[1] == 1 and 1 in ndim:
        s = s[:, 0]
    if s.ndim not in ndim:
        dims = " or ".join(map(str, ndim))
        raise ValueError(f"{where}: `{name}` must have {dims} dimension(s), got shape {s.shape}")
    if s.size == 0:
        raise ValueError(f"{where}: `{name}` is empty; expected at least one sample")
    if not np.isfinite(s).all():
        raise ValueError(f"{where}: `{name}` contains NaN or inf")
    return s


def same_length(a: np.ndarray, b: np.ndarray, names: str, where: str) -> None:
    """Raise unless ``a`` and ``b`` have the same number of samples."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{where}: {names} have different lengths: {a.shape[0]} != {b.shape[0]}")


def index_in(labels: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in ``labels`` (any order), or -1 where it is not one of them."""
    sorter = np.argsort(labels, kind="stable")
    ordered = labels[sorter]
    pos = np.clip(np.searchsorted(ordered, values), 0, labels.size - 1)
    return np.where(ordered[pos] == values, sorter[pos], -1)


def divide(num, den, zero_division, message: str, warn: bool = True) -> np.ndarray:
    """num / den in float64; where den == 0 the result is ``zero_division`` (a checked ZERO_DIVISION value):
    0 with a warning for "warn", else the 0 or 1 given."""
    value = 0.0 if isinstance(zero_division, str) else float(zero_division)
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    zero = den == 0
    out = num / np.where(zero, 1.0, den)
    if zero.any():
        out = np.where(zero, value, out)
        if warn and zero_division == "warn":
            message += " Use `zero_division` to choose the value."
            warnings.warn(message, UndefinedMetricWarning, stacklevel=3)
    return out
