"""Feature scaling (tutorial 002's normalisation): min-max, z-score, mean normalisation and the log transform,
each with scikit-learn's ``fit / transform / fit_transform / inverse_transform``. Constant features never give
NaN: their range or standard deviation counts as 1, as in scikit-learn."""

from __future__ import annotations

import numpy as np

from .backend import floatx
from .classic.base import Estimator, NotFittedError, check_fitted, check_n_features, check_X
from .data.split import one_hot, train_test_split
from .validation import Boolean, Interval, Real, Satisfies

__all__ = [
    "MinMaxScaler",
    "StandardScaler",
    "MeanNormalizer",
    "LogTransformer",
    "NotFittedError",
    "one_hot",
    "train_test_split",
]


class _Transformer(Estimator):
    """fit / transform / inverse_transform around the per-feature ``_fit``, ``_forward`` and ``_backward``."""

    n_features_in_: int | None = None

    def fit(self, X, y=None):
        """Learn the per-feature statistics of X (samples, features); returns self."""
        self._validate_params()
        X = check_X(X, f"{type(self).__name__}.fit")
        self._fit(X)
        self.n_features_in_ = X.shape[1]
        return self

    def _check(self, X, method: str) -> tuple[np.ndarray, type]:
        """X checked against the fit, as float64, plus the dtype the result is given in."""
        where = f"{type(self).__name__}.{method}"
        check_fitted(self, "n_features_in_")
        kind = np.asarray(X).dtype
        dtype = kind.type if kind in (np.float32, np.float64) else floatx()
        X = check_X(X, where)
        check_n_features(X, self.n_features_in_, where)
        return X, dtype

    def transform(self, X) -> np.ndarray:
        """Scale X with the statistics learned in ``fit`` (float inputs keep their dtype)."""
        X, dtype = self._check(X, "transform")
        return self._forward(X).astype(dtype, copy=False)

    def fit_transform(self, X, y=None) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X) -> np.ndarray:
        """Undo ``transform``: map scaled values back to the original units."""
        X, dtype = self._check(X, "inverse_transform")
        return self._backward(X).astype(dtype, copy=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _nonzero(scale: np.ndarray, constant: np.ndarray) -> np.ndarray:
    """``scale`` with constant features' entries replaced by 1, so dividing never makes NaN or inf."""
    return np.where(constant, 1.0, scale)


def _flat_range(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Features whose range is rounding noise: max - min < 10·eps (scikit-learn's ``_handle_zeros_in_scale``)."""
    return (high - low) < 10 * np.finfo(np.float64).eps


def _flat_variance(var: np.ndarray, mean: np.ndarray, n: int) -> np.ndarray:
    """Features whose variance is within the rounding error of computing it (scikit-learn's bound)."""
    eps = np.finfo(np.float64).eps
    return var <= n * eps * var + (n * mean * eps) ** 2


_FINITE = Interval(Real, None, None)


class MinMaxScaler(_Transformer):
    """x' = (x - min) / (max - min), mapped onto ``feature_range`` (default [0, 1]).

    Args:
        feature_range: (low, high) of the transformed data, low < high.

    Attributes: ``data_min_``, ``data_max_``, ``data_range_``, ``scale_``, ``min_`` (x' = x * scale_ + min_).
    """

    _parameter_constraints = {"feature_range": [Satisfies(
        lambda r: len(r) == 2 and all(map(_FINITE.is_satisfied_by, r)) and r[0] < r[1], "(low, high) with low < high")]}

    def __init__(self, feature_range: tuple[float, float] = (0.0, 1.0)):
        self.feature_range = feature_range

    def _fit(self, X: np.ndarray) -> None:
        low, high = self.feature_range
        self.data_min_ = X.min(axis=0)
        self.data_max_ = X.max(axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        self.scale_ = (high - low) / _nonzero(self.data_range_, _flat_range(self.data_min_, self.data_max_))
        self.min_ = low - self.data_min_ * self.scale_

    def _forward(self, X: np.ndarray) -> np.ndarray:
        return X * self.scale_ + self.min_

    def _backward(self, X: np.ndarray) -> np.ndarray:
        return (X - self.min_) / self.scale_

    def __repr__(self) -> str:
        return f"MinMaxScaler(feature_range={tuple(self.feature_range)})"


class StandardScaler(_Transformer):
    """Z-score: x' = (x - mean) / std (population std, ddof=0, as scikit-learn).

    Args:
        with_mean: subtract the mean.
        with_std: divide by the standard deviation.

    Attributes: ``mean_``, ``var_``, ``scale_`` (std, 1 for constant features).
    """

    _parameter_constraints = {"with_mean": [Boolean], "with_std": [Boolean]}

    def __init__(self, with_mean: bool = True, with_std: bool = True):
        self.with_mean = with_mean
        self.with_std = with_std

    def _fit(self, X: np.ndarray) -> None:
        self.mean_ = X.mean(axis=0)
        self.var_ = X.var(axis=0)
        # NOTE: a constant column's computed variance may be 1e-33, not 0, and a column of 1 ± 1e-15 rounding
        # noise is constant too: its noise must not be blown up to ±1.6
        constant = (X.max(axis=0) == X.min(axis=0)) | _flat_variance(self.var_, self.mean_, len(X))
        self.scale_ = _nonzero(np.sqrt(self.var_), constant)

    def _forward(self, X: np.ndarray) -> np.ndarray:
        if self.with_mean:
            X = X - self.mean_
        return X / self.scale_ if self.with_std else X

    def _backward(self, X: np.ndarray) -> np.ndarray:
        if self.with_std:
            X = X * self.scale_
        return X + self.mean_ if self.with_mean else X

    def __repr__(self) -> str:
        return f"StandardScaler(with_mean={self.with_mean}, with_std={self.with_std})"


class MeanNormalizer(_Transformer):
    """Mean normalisation: x' = (x - mean) / (max - min), values in [-1, 1] centred on 0.

    Attributes: ``mean_``, ``data_range_`` (max - min, 1 for constant features).
    """

    def _fit(self, X: np.ndarray) -> None:
        self.mean_ = X.mean(axis=0)
        low, high = X.min(axis=0), X.max(axis=0)
        self.data_range_ = _nonzero(high - low, _flat_range(low, high))

    def _forward(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean_) / self.data_range_

    def _backward(self, X: np.ndarray) -> np.ndarray:
        return X * self.data_range_ + self.mean_


class LogTransformer(_Transformer):
    """Non-linear normalisation x' = log(1 + x) for skewed, widely spread data; the inverse is exp(x') - 1.

    Inputs must be > -1. ``fit`` learns nothing but the number of features.
    """

    def _fit(self, X: np.ndarray) -> None:
        self._check_domain(X, "fit")

    def _check_domain(self, X: np.ndarray, method: str) -> None:
        if X.min() <= -1:
            raise ValueError(f"LogTransformer.{method}: log1p needs X > -1, got a minimum of {X.min()}")

    def _forward(self, X: np.ndarray) -> np.ndarray:
        self._check_domain(X, "transform")
        return np.log1p(X)

    def _backward(self, X: np.ndarray) -> np.ndarray:
        return np.expm1(X)
