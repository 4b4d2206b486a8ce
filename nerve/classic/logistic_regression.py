"""Logistic regression (tutorial 003): sigmoid + binary cross-entropy, softmax + cross-entropy for more than two
classes, trained by full-batch gradient descent with the cost recorded per iteration."""

from __future__ import annotations

import numpy as np

from ..ops import log_softmax, sigmoid, softmax
from ..validation import Integral, Interval, Options, Real
from .base import Estimator, check_fitted, check_n_features, check_X, check_y

__all__ = ["LogisticRegression"]

_MULTI_CLASS = ("auto", "multinomial", "ovr")


class LogisticRegression(Estimator):
    """Linear classifier p = sigmoid(x.w + b) (two classes) or softmax(x W + b) (more), fitted by gradient descent.

    Args:
        lr: learning rate.
        n_iter: number of gradient-descent iterations.
        C: inverse regularisation strength as in scikit-learn (objective 0.5 ||W||^2 + C sum loss_i);
            None means no penalty. The intercept is not penalised.
        multi_class: "auto" (sigmoid for two classes, softmax for more), "multinomial" (always softmax) or
            "ovr" (one sigmoid per class, one-vs-rest, probabilities normalised to sum to 1).

    Attributes: ``classes_``, ``coef_`` (1, n_features) for a single sigmoid else (n_classes, n_features),
    ``intercept_``, and ``history_``: ``{"loss": [...]}`` (plus ``"val_loss"`` with ``validation_data``), the
    mean cross-entropy (plus penalty) at the start of each iteration.
    """

    def __init__(self, lr: float = 0.1, n_iter: int = 1000, C: float | None = None, multi_class: str = "auto"):
        self.lr = lr
        self.n_iter = n_iter
        self.C = C
        self.multi_class = multi_class
        self.coef_ = None

    _parameter_constraints = {
        "lr": [Interval(Real, 0, None, closed="neither")], "n_iter": [Interval(Integral, 1, None)],
        "C": [None, Interval(Real, 0, None, closed="neither")], "multi_class": [Options(_MULTI_CLASS)],
    }

    def _targets(self, y: np.ndarray, where: str) -> np.ndarray:
        """Labels -> (N, 1) 0/1 column for a single sigmoid, else (N, K) one-hot rows."""
        index = np.clip(np.searchsorted(self.classes_, y), 0, self.classes_.size - 1)
        if not np.array_equal(self.classes_[index], y):
            raise ValueError(
                f"{where}: y holds labels not seen in fit; known classes are {self.classes_.tolist()}"
            )
        if self._softmax or self.classes_.size > 2:
            return np.eye(self.classes_.size)[index]
        return index[:, None].astype(np.float64)

    def _cost(self, X: np.ndarray, T: np.ndarray, W: np.ndarray, b: np.ndarray) -> float:
        """Mean cross-entropy from the logits (exact, no log(0)) plus ||W||^2 / (2 C m)."""
        Z = X @ W + b  # (N, K)
        if self._softmax:
            loss = -np.sum(T * log_softmax(Z, axis=1)) / X.shape[0]
        else:  # binary cross-entropy per sigmoid: softplus(z) - t z = -t log p - (1 - t) log(1 - p)
            loss = np.sum(np.logaddexp(0.0, Z) - T * Z) / X.shape[0]
        if self.C is not None:
            loss += np.sum(W * W) / (2 * self.C * X.shape[0])
        return float(loss)

    def _gradients(self, X: np.ndarray, T: np.ndarray, W: np.ndarray, b: np.ndarray):
        """dJ/dZ = (P - T) / m for both sigmoid + BCE and softmax + CE; then dW = X^T dZ + W / (C m), db = sum dZ."""
        Z = X @ W + b
        P = softmax(Z, axis=1) if self._softmax else sigmoid(Z)
        dZ = (P - T) / X.shape[0]  # (N, K)
        dW = X.T @ dZ  # (D, K)
        if self.C is not None:
            dW += W / (self.C * X.shape[0])
        return dW, dZ.sum(axis=0)

    def fit(self, X, y, validation_data=None):
        """Learn W and b by gradient descent from zeros; returns self."""
        self._validate_params()
        X = check_X(X, "LogisticRegression.fit")
        y = check_y(y, X.shape[0], "LogisticRegression.fit")
        self.classes_ = np.unique(y)
        if self.classes_.size < 2:
            raise ValueError(
                f"LogisticRegression.fit: y must hold at least two classes, got {self.classes_.tolist()}"
            )
        self._softmax = self.multi_class == "multinomial" or (self.multi_class == "auto" and self.classes_.size > 2)
        T = self._targets(y, "LogisticRegression.fit")
        val = None
        if validation_data is not None:
            where = "LogisticRegression.fit(validation_data)"
            X_val = check_X(validation_data[0], where)
            check_n_features(X_val, X.shape[1], where)
            val = X_val, self._targets(check_y(validation_data[1], X_val.shape[0], where), where)
        W, b = np.zeros((X.shape[1], T.shape[1])), np.zeros(T.shape[1])
        self.history_ = {"loss": []} if val is None else {"loss": [], "val_loss": []}
        for _ in range(self.n_iter):
            self.history_["loss"].append(self._cost(X, T, W, b))  # the cost before this update, as the tutorial
            if val is not None:
                self.history_["val_loss"].append(self._cost(val[0], val[1], W, b))
            dW, db = self._gradients(X, T, W, b)
            W -= self.lr * dW
            b -= self.lr * db
        self.coef_, self.intercept_ = W.T, b
        return self

    def decision_function(self, X) -> np.ndarray:
        """The logits x W + b: (samples,) for a single sigmoid, else (samples, classes)."""
        check_fitted(self, "coef_")
        X = check_X(X, "LogisticRegression.decision_function")
        check_n_features(X, self.coef_.shape[1], "LogisticRegression.decision_function")
        Z = X @ self.coef_.T + self.intercept_
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (samples, classes), columns in the order of ``classes_``, rows summing to 1."""
        Z = self.decision_function(X)
        if Z.ndim == 1:
            p = sigmoid(Z)
            return np.stack([1 - p, p], axis=1)
        if self._softmax:
            return softmax(Z, axis=1)
        P = sigmoid(Z)  # one-vs-rest: normalise the K sigmoids
        return P / P.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """The most probable class for each sample, in the labels given to ``fit``."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y) -> float:
        """Accuracy of ``predict(X)`` against ``y``."""
        y = check_y(y, np.shape(X)[0], "LogisticRegression.score")
        return float(np.mean(self.predict(X) == y))

    def __repr__(self) -> str:
        return f"LogisticRegression(lr={self.lr}, n_iter={self.n_iter}, C={self.C}, multi_class={self.multi_class!r})"

