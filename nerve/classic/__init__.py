"""Classic machine learning with scikit-learn's interfaces: perceptron, logic gates, linear and logistic
regression."""

from __future__ import annotations

from .base import ConvergenceWarning, NotFittedError

__all__ = ["ConvergenceWarning", "NotFittedError"]
