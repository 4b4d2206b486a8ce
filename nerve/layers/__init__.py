"""Layers with explicit forward and backward. ``get(name)`` finds a registered layer class by name."""

from __future__ import annotations

from .activations import ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Step, Tanh
from .base import Layer
from .container import Container
from .conv import Conv2D
from .core import Dense, Flatten, Identity, Reshape
from .dropout import Dropout
from .graph import Add, Multiply
from .kmax_pool2d import KMaxPool2D
from .normalization import BatchNorm
from .pooling import AvgPool2D, GlobalAvgPool2D, KMaxPool, MaxPool2D
from .registry import deserialize, get, register, registry, serialize, unregister
from .residual import Residual

__all__ = [
    "Layer", "Dense", "Flatten", "Reshape", "Identity",
    "Step", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "PReLU", "Softmax",
    "Dropout", "BatchNorm", "Add", "Multiply", "Affine", "Relu",
    "Conv2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "KMaxPool", "KMaxPool2D", "Container", "Residual",
    "get", "registry", "register", "unregister", "serialize", "deserialize",
]

#: the book's names for the same classes (not separate layer types: model files say Dense, ReLU)
Affine = Dense
Relu = ReLU


#: the layers model files may name (Sequential registers itself in nerve.model); users add theirs with ``register``
for _cls in (Dense, Flatten, Reshape, Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, PReLU, Softmax, Dropout,
             BatchNorm, Conv2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, KMaxPool, KMaxPool2D,
             Residual):
    register(_cls)
del _cls
