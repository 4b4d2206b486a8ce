"""Keras's loss names, each one of nerve's losses.

``categorical_crossentropy`` takes probabilities (a Softmax output) and one-hot targets,
``sparse_categorical_crossentropy`` probabilities and class indices, ``binary_crossentropy`` probabilities in
(0, 1). With ``from_logits=True`` the classes take logits instead (nerve's fused softmax cross-entropy).
"""

from __future__ import annotations

from .. import losses as nloss

__all__ = ["CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryCrossentropy", "MeanSquaredError",
           "MeanAbsoluteError", "get"]


def CategoricalCrossentropy(from_logits: bool = False) -> nloss.Loss:
    """Cross-entropy on probabilities (nerve's CrossEntropy) or, from logits, nerve's SoftmaxCrossEntropy."""
    return nloss.SoftmaxCrossEntropy() if from_logits else nloss.CrossEntropy()


#: nerve's class losses take one-hot rows and class indices alike
SparseCategoricalCrossentropy = CategoricalCrossentropy


def BinaryCrossentropy(from_logits: bool = False) -> nloss.BinaryCrossEntropy:
    """Binary cross-entropy on probabilities in (0, 1), or on logits."""
    return nloss.BinaryCrossEntropy(from_logits=from_logits)


def MeanSquaredError() -> nloss.MSE:
    """mean((y - t)²)."""
    return nloss.MSE()


def MeanAbsoluteError() -> nloss.MAE:
    """mean(|y - t|)."""
    return nloss.MAE()


_REGISTRY = {
    "categorical_crossentropy": CategoricalCrossentropy, "sparse_categorical_crossentropy": CategoricalCrossentropy,
    "binary_crossentropy": BinaryCrossentropy, "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
}


def get(identifier) -> nloss.Loss:
    """A loss from an instance, Keras's name, or any name nerve.losses knows."""
    if isinstance(identifier, nloss.Loss):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _REGISTRY:
        return _REGISTRY[identifier.lower()]()
    try:
        return nloss.get(identifier)
    except ValueError:
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}; expected one of "
                         f"{sorted(_REGISTRY)} or a name from nerve.losses") from None
