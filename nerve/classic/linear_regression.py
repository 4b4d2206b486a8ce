"""Linear regression y = X w + b (tutorials 000 and 003): least squares by the normal equation, or the
tutorials' gradient descent on J = 1/(2m) sum (X w + b - y)^2 with the loss recorded per iteration."""

from __future__ import annotations

import numpy as np

from ..backend import rng
from ..validation import Integral, Interval, Options, Real
from .base import Estimator, check_fitted, check_n_features, check_X

__all__ = ["LinearRegression"]

_SOLVERS = ("normal", "gd", "sgd")


def _check_targets(y, n_samples: int, where: str) -> np.ndarray:
    """Regression targets as a finite float64 (N, K) array (1-D y becomes one column)."""
    try:
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where}: y must be numeric ({e})") from None
    if y.ndim not in (1, 2):
        raise ValueError(f"{where}: y must be 1-D or 2-D (samples, outputs), got shape {y.shape}")
    if y.shape[0] != n_samples:
        raise ValueError(f"{where}: X and y have different lengths: {n_samples} != {y.shape[0]}")
    if not np.isfinite(y).all():
        raise ValueError(f"{where}: y contains NaN or inf")
    return y.reshape(n_samples, -1)


def _check_validation(validation_data, X: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``validation_data = (X_val, y_val)`` checked against the training X and Y."""
    where = "LinearRegression.fit(validation_data)"
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise ValueError(f"{where}: expected a tuple (X_val, y_val), got {type(validation_data).__name__}")
    X_val = check_X(validation_data[0], where)
    check_n_features(X_val, X.shape[1], where)
    Y_val = _check_targets(validation_data[1], X_val.shape[0], where)
    if Y_val.shape[1] != Y.shape[1]:
        raise ValueError(f"{where}: y_val has {Y_val.shape[1]} outputs but y has {Y.shape[1]}")
    return X_val, Y_val


class LinearRegression(Estimator):
    """Least-squares linear regression, solved exactly or by gradient descent.

    Args:
        solver: "normal" (normal equation / least squares), "gd" (full-batch gradient descent, as the
            tutorials) or "sgd" (mini-batch gradient descent, shuffled each epoch).
        lr: learning rate of gradient descent.
        n_iter: iterations ("gd") or epochs ("sgd").
        batch_size: mini-batch size for "sgd" (default 32); unused by the other solvers.
        l2: ridge penalty; the objective is 1/(2m) (||X w + b - y||^2 + l2 ||w||^2), the same minimum as
            scikit-learn's ``Ridge(alpha=l2)``. The intercept is not penalised.
        seed: seed for the "sgd" shuffling; None uses ``nerve.seed``'s generator.

    Attributes: ``coef_`` (n_features,) or (n_outputs, n_features) for 2-D y, ``intercept_``, and ``history_``:
    ``{"loss": [...]}`` (plus ``"val_loss"`` with ``validation_data``) where entry i is the cost J at the start
    of iteration i, as in the tutorial's house-price example (the "normal" solver records its final cost).
    """

    def __init__(self, solver: str = "normal", lr: float = 0.01, n_iter: int = 1000, batch_size: int | None = None,
                 l2: float = 0.0, seed: int | None = None):
        self.solver = solver
        self.lr = lr
        self.n_iter = n_iter
        self.batch_size = batch_size
        self.l2 = l2
        self.seed = seed
        self.coef_ = None

    _parameter_constraints = {
        "solver": [Options(_SOLVERS)], "lr": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 1, None)], "batch_size": [None, Interval(Integral, 1, None)],
        "l2": [Interval(Real, 0, None)], "seed": [None, Interval(Integral, 0, None)],
    }

    def _cost(self, X: np.ndarray, Y: np.ndarray, W: np.ndarray, b: np.ndarray) -> float:
        """J = 1/(2m) (sum (X W + b - Y)^2 + l2 ||W||^2) for validated arrays."""
        err = X @ W + b - Y
        return float((np.sum(err * err) + self.l2 * np.sum(W * W)) / (2 * X.shape[0]))

    def _gradients(self, X: np.ndarray, Y: np.ndarray, W: np.ndarray, b: np.ndarray, m: int | None = None):
        """dJ/dW = (X^T err + l2 W) / m and dJ/db = sum(err) / m, err = X W + b - Y (m: the full sample count)."""
        m = X.shape[0] if m is None else m
        err = X @ W + b - Y  # (B, K)
        return (X.T @ err) / X.shape[0] + self.l2 * W / m, err.mean(axis=0)

    def fit(self, X, y, validation_data=None):
        """Fit on X (samples, features) and y (samples,) or (samples, outputs); returns self."""
        self._validate_params()
        X = check_X(X, "LinearRegression.fit")
        Y = _check_targets(y, X.shape[0], "LinearRegression.fit")
        val = None if validation_data is None else _check_validation(validation_data, X, Y)
        self.history_ = {"loss": []} if val is None else {"loss": [], "val_loss": []}
        if self.solver == "normal":
            W, b = self._solve_normal(X, Y)
            self._record(X, Y, W, b, val)
        else:
            W, b = self._descend(X, Y, val)
        self._W, self._b = W, b
        self.coef_ = W.T if _is_2d(y) else W[:, 0]
        self.intercept_ = b if _is_2d(y) else float(b[0])
        return self

    def _solve_normal(self, X: np.ndarray, Y: np.ndarray):
        """Least squares on centred data (so the intercept is free): W = argmin ||Xc W - Yc||^2 + l2 ||W||^2."""
        x_mean, y_mean = X.mean(axis=0), Y.mean(axis=0)
        Xc, Yc = X - x_mean, Y - y_mean
        if self.l2 == 0:
            W = np.linalg.lstsq(Xc, Yc, rcond=None)[0]
        else:  # (Xc^T Xc + l2 I) W = Xc^T Yc, the ridge normal equation
            W = np.linalg.solve(Xc.T @ Xc + self.l2 * np.eye(X.shape[1]), Xc.T @ Yc)
        return W, y_mean - x_mean @ W

    def _record(self, X, Y, W, b, val) -> None:
        """Append the training (and validation) cost to ``history_``; stop with a clear error if it diverged."""
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self._cost(X, Y, W, b)
        if not np.isfinite(loss):
            raise ValueError(
                f"LinearRegression.fit: gradient descent diverged at iteration {len(self.history_['loss'])} "
                f"(loss={loss}); lower `lr` (got {self.lr}) or scale the features (nerve.preprocessing.StandardScaler)"
            )
        self.history_["loss"].append(loss)
        if val is not None:
            self.history_["val_loss"].append(self._cost(val[0], val[1], W, b))

    def _descend(self, X: np.ndarray, Y: np.ndarray, val):
        """Gradient descent from W = 0, b = 0: full batch ("gd") or shuffled mini-batches ("sgd")."""
        n = X.shape[0]
        W, b = np.zeros((X.shape[1], Y.shape[1])), np.zeros(Y.shape[1])
        batch = n if self.solver == "gd" else min(self.batch_size or 32, n)
        gen = np.random.default_rng(self.seed) if self.seed is not None else rng()
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(self.n_iter):
                self._record(X, Y, W, b, val)  # the cost before this iteration's update, as the tutorial
                order = np.arange(n) if batch == n else gen.permutation(n)
                for start in range(0, n, batch):  # one step per mini-batch, not per sample
                    idx = order[start : start + batch]
                    dW, db = self._gradients(X[idx], Y[idx], W, b, m=n)
                    W -= self.lr * dW
                    b -= self.lr * db
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            self._record(X, Y, W, b, None)  # raises the divergence error
        return W, b

    def predict(self, X) -> np.ndarray:
        """X w + b: (samples,) for a 1-D training y, else (samples, outputs)."""
        check_fitted(self, "coef_")
        X = check_X(X, "LinearRegression.predict")
        check_n_features(X, self._W.shape[0], "LinearRegression.predict")
        out = X @ self._W + self._b
        return out if np.ndim(self.coef_) == 2 else out[:, 0]

    def score(self, X, y) -> float:
        """Coefficient of determination R^2 = 1 - SS_res / SS_tot (averaged over outputs, as scikit-learn)."""
        pred = self.predict(X).reshape(np.shape(X)[0], -1)
        Y = _check_targets(y, pred.shape[0], "LinearRegression.score")
        ss_res = np.sum((Y - pred) ** 2, axis=0)
        ss_tot = np.sum((Y - Y.mean(axis=0)) ** 2, axis=0)
        # A constant target: R^2 is 1 for a perfect fit and 0 otherwise (scikit-learn's force_finite).
        r2 = np.where(ss_tot > 0, 1 - ss_res / np.where(ss_tot > 0, ss_tot, 1), np.where(ss_res == 0, 1.0, 0.0))
        return float(r2.mean())

    def __repr__(self) -> str:
        return (f"LinearRegression(solver={self.solver!r}, lr={self.lr}, n_iter={self.n_iter}, "
                f"batch_size={self.batch_size}, l2={self.l2})")


def _is_2d(y) -> bool:
    """True for (samples, outputs) targets with more than one column or an explicit 2-D shape."""
    return np.ndim(y) == 2
