"""Classic machine learning with scikit-learn's interfaces: perceptron, logic gates, linear and logistic
regression."""

from __future__ import annotations

from . import gates
from .base import ConvergenceWarning, NotFittedError
from .linear_regression import LinearRegression
from .logistic_regression import LogisticRegression
from .perceptron import Perceptron

__all__ = ["Perceptron", "LinearRegression", "LogisticRegression", "gates", "ConvergenceWarning", "NotFittedError"]
