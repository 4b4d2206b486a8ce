"""Layers with explicit forward and backward. ``get(name)`` finds a layer class by name for model files."""

from __future__ import annotations

from .activations import ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from .base import Layer
from .conv import Conv2D
from .core import Dense, Flatten, Identity, Reshape
from .dropout import Dropout
from .graph import Add, Multiply
from .kmax_pool2d import KMaxPool2D
from .normalization import BatchNorm
from .pooling import AvgPool2D, GlobalAvgPool2D, KMaxPool, MaxPool2D

__all__ = [
    "Layer", "Dense", "Flatten", "Reshape", "Identity",
    "Step", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax",
    "Dropout", "BatchNorm", "Add", "Multiply", "get", "registry", "Affine", "Relu",
    "Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "KMaxPool", "KMaxPool2D",
]

#: the book's names for the same classes (not separate layer types: model files say Dense, ReLU)
Affine = Dense
Relu = ReLU


def registry() -> dict[str, type[Layer]]:
    """Every imported Layer subclass by its registered name (what model files may refer to)."""
    found, todo = {}, [Layer]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found[sub.registered_name()] = sub
            todo.append(sub)
    return found


def get(identifier, **kwargs) -> Layer:
    """A layer from an instance or a class name ("Dense", "relu", ...) with constructor ``kwargs``."""
    if isinstance(identifier, Layer):
        return identifier
    if isinstance(identifier, str):
        by_lower = {name.lower(): cls for name, cls in registry().items()}
        cls = by_lower.get(identifier.lower().replace("_", ""))
        if cls is not None:
            return cls(**kwargs)
    raise ValueError(f"Could not interpret layer identifier: {identifier!r}; known layers: {sorted(registry())}")
