"""Rosenblatt's perceptron (tutorial 002): a step activation and the online update w += lr * (t - y) * x."""

from __future__ import annotations

import warnings

import numpy as np

from ..backend import rng
from ..validation import Integral, Interval, Real
from .base import ConvergenceWarning, Estimator, check_fitted, check_n_features, check_X, check_y

__all__ = ["Perceptron"]

# Rows scanned per vectorised step when looking for the next misclassified sample.
_WINDOW = 256


class Perceptron(Estimator):
    """Single-layer perceptron: predicts ``classes_[1]`` where x.w + b >= 0, else ``classes_[0]``.

    Args:
        lr: learning rate of the update w += lr * (t - y) * x, b += lr * (t - y).
        n_iter: maximum number of passes (epochs) over the training data.
        seed: seed for the initial weights (uniform in [-1, 1)); None uses ``nerve.seed``'s generator.

    Labels may be any two values ({0, 1}, {-1, +1}, strings); predictions come back in those labels.
    ``fit`` stops at the first epoch without mistakes; if none comes (XOR is not linearly separable) it
    sets ``converged_ = False`` and warns with :class:`ConvergenceWarning`.

    Attributes: ``coef_`` (n_features,), ``intercept_``, ``classes_``, ``errors_`` (mistakes per epoch),
    ``n_iter_`` (epochs run), ``converged_``.
    """

    _parameter_constraints = {
        "lr": [Interval(Real, 0, None, closed="neither")], "n_iter": [Interval(Integral, 1, None)],
        "seed": [None, Interval(Integral, 0, None)],
    }

    def __init__(self, lr: float = 0.01, n_iter: int = 1000, seed: int | None = None):
        self.lr = lr
        self.n_iter = n_iter
        self.seed = seed
        self.coef_ = None

    def fit(self, X, y):
        """Learn the weights with Rosenblatt's rule; returns self."""
        self._validate_params()
        lr, n_iter = float(self.lr), int(self.n_iter)
        X = check_X(X, "Perceptron.fit")
        y = check_y(y, X.shape[0], "Perceptron.fit")
        classes = np.unique(y)
        if classes.size != 2:
            raise ValueError(
                f"Perceptron.fit: y must hold exactly two classes, got {classes.size}: {classes.tolist()}"
            )
        t = (y == classes[1]).astype(np.float64)  # targets as 0 / 1
        gen = np.random.default_rng(self.seed) if self.seed is not None else rng()
        w = gen.random(X.shape[1]) * 2 - 1
        b = 0.0
        self.errors_ = []
        for _ in range(n_iter):
            mistakes = 0
            i = 0
            # NOTE: the rule is online (each update changes the next prediction), so samples are visited in
            # order; a vectorised scan over a window jumps straight to the next misclassified one.
            while i < X.shape[0]:
                window = slice(i, min(i + _WINDOW, X.shape[0]))
                wrong = np.flatnonzero((X[window] @ w + b >= 0) != t[window])
                if wrong.size == 0:
                    i = window.stop
                    continue
                j = i + wrong[0]
                update = lr * (t[j] - (1.0 - t[j]))  # t - y, where y is the wrong prediction 1 - t
                w += update * X[j]
                b += update
                mistakes += 1
                i = j + 1
            self.errors_.append(mistakes)
            if mistakes == 0:
                break
        self.coef_, self.intercept_, self.classes_ = w, float(b), classes
        self.n_iter_ = len(self.errors_)
        self.converged_ = self.errors_[-1] == 0
        if not self.converged_:
            wrong = int(np.count_nonzero(self._step(X) != t))
            warnings.warn(
                f"Perceptron did not converge in {n_iter} epochs: {wrong} of {X.shape[0]} training samples are "
                "still misclassified (the classes may not be linearly separable, e.g. XOR)",
                ConvergenceWarning,
                stacklevel=2,
            )
        return self

    def _step(self, X: np.ndarray) -> np.ndarray:
        """Unit step of the linear output: 1 where x.w + b >= 0, else 0."""
        return (X @ self.coef_ + self.intercept_ >= 0).astype(np.float64)

    def predict(self, X) -> np.ndarray:
        """Predicted labels, in the labels given to ``fit``."""
        check_fitted(self, "coef_")
        X = check_X(X, "Perceptron.predict")
        check_n_features(X, self.coef_.shape[0], "Perceptron.predict")
        return self.classes_[self._step(X).astype(np.int64)]

    def score(self, X, y) -> float:
        """Accuracy of ``predict(X)`` against ``y``."""
        y = check_y(y, np.shape(X)[0], "Perceptron.score")
        return float(np.mean(self.predict(X) == y))

    def __repr__(self) -> str:
        return f"Perceptron(lr={self.lr}, n_iter={self.n_iter}, seed={self.seed})"
