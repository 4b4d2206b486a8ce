"""What the classic estimators and the scalers share: the not-fitted error, the convergence warning and the
checks that turn user data into validated float64 arrays with clear messages."""

from __future__ import annotations

import numpy as np

from ..validation import check_params

__all__ = ["NotFittedError", "ConvergenceWarning", "Estimator", "check_fitted", "check_X", "check_n_features",
           "check_y"]


class NotFittedError(ValueError, AttributeError):
    """An estimator or scaler was used before ``fit``."""


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped at ``n_iter`` without reaching its goal."""


def check_fitted(estimator, attribute: str) -> None:
    """Raise :class:`NotFittedError` unless ``fit`` has set ``attribute``."""
    if getattr(estimator, attribute, None) is None:
        name = type(estimator).__name__
        raise NotFittedError(f"{name} is not fitted yet; call {name}.fit(X, y) first")


def check_X(X, where: str, dtype=np.float64) -> np.ndarray:
    """``X`` as a finite 2-D (samples, features) array of ``dtype``, or a clear error."""
    try:
        arr = np.asarray(X, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where}: X must be numeric, got {type(X).__name__} ({e})") from None
    if arr.ndim != 2:
        hint = "; reshape a single feature with X.reshape(-1, 1)" if arr.ndim == 1 else ""
        raise ValueError(f"{where}: X must be 2-D (samples, features), got shape {arr.shape}{hint}")
    if arr.size == 0:
        raise ValueError(f"{where}: X is empty (shape {arr.shape}); expected at least one sample and feature")
    if not np.isfinite(arr).all():
        raise ValueError(f"{where}: X contains NaN or inf; clean the data first")
    return arr


def check_n_features(X: np.ndarray, n_features: int, where: str) -> None:
    """Raise unless ``X`` has the number of features seen in ``fit``."""
    if X.shape[1] != n_features:
        raise ValueError(f"{where}: X has {X.shape[1]} features, but it was fitted with {n_features}")


def check_y(y, n_samples: int, where: str) -> np.ndarray:
    """``y`` as a 1-D array of ``n_samples`` labels or targets, or a clear error."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{where}: y must be 1-D, got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(f"{where}: X and y have different lengths: {n_samples} != {y.shape[0]}")
    return y


class Estimator:
    """scikit-learn's contract: arguments are stored as given and checked against ``_parameter_constraints``
    (see ``nerve.validation``) when ``fit`` calls ``_validate_params()``."""

    _parameter_constraints: dict = {}

    def _validate_params(self) -> None:
        check_params(self, self._parameter_constraints, vars(self))
