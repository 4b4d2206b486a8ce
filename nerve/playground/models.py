"""The playground's networks, built from nerve's own layers, losses and optimizers.

Regression: the line ``y = a·x + b`` is one ``Dense(1)`` on x (a = W[0, 0], b = b[0]); the polynomial of
degree d is ``Dense(1)`` on the features [x, x², ..., x^d] (x lives in [-1, 1], so every power is already
scaled to [-1, 1]); the MLP is Dense/activation blocks on x. Classification: Dense/activation blocks on the
chosen input features, then ``Dense(1)`` trained with ``BinaryCrossEntropy(from_logits=True)``.
"""

from __future__ import annotations

import base64

import numpy as np

from .. import layers, losses, optimizers
from ..model import Sequential

__all__ = ["FEATURE_FUNCTIONS", "feature_matrix", "regression_features", "build_network", "init_weights",
           "encode_image"]

#: input features of the classifier view, as functions of the two coordinates
FEATURE_FUNCTIONS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: np.sin(x1),
    "sin_x2": lambda x1, x2: np.sin(x2),
}

_ACTIVATION_LAYERS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Identity"}


def feature_matrix(points: np.ndarray, features: list[str]) -> np.ndarray:
    """(n, 2) coordinates -> (n, len(features)) float32 inputs."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([FEATURE_FUNCTIONS[f](x1, x2) for f in features], axis=1).astype(np.float32)


def regression_features(x: np.ndarray, model: str, degree: int) -> np.ndarray:
    """(n,) abscissas -> (n, 1) for the line and the MLP, (n, degree) powers for the polynomial."""
    x = np.asarray(x, dtype=np.float32).reshape(-1, 1)
    if model == "polynomial":
        return x ** np.arange(1, degree + 1, dtype=np.float32)  # (n, 1) -> (n, degree)
    return x


def build_network(n_inputs: int, hidden: list[int], activation: str, *, optimizer: str, learning_rate: float,
                  loss: str, seed: int, l1: float = 0.0, l2: float = 0.0) -> Sequential:
    """A compiled Sequential: ``hidden`` Dense+activation blocks and a Dense(1) output, seeded weights."""
    stack = []
    for units in hidden:
        stack += [layers.Dense(units), layers.get(_ACTIVATION_LAYERS[activation])]
    stack.append(layers.Dense(1))
    model = Sequential(stack, input_shape=(n_inputs,))
    loss_fn = losses.BinaryCrossEntropy(from_logits=True) if loss == "logistic" else losses.MSE()
    model.compile(optimizer=optimizers.get(optimizer, lr=learning_rate), loss=loss_fn, l1=l1, l2=l2)
    init_weights(model, activation, seed)
    return model


def init_weights(model: Sequential, activation: str, seed: int) -> None:
    """Fresh weights from ``seed`` (Xavier for tanh/sigmoid/linear, He for ReLU), zero biases, in place."""
    gen = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, layers.Dense):
            W = layer.params["W"]
            fan_in, fan_out = W.shape
            scale = np.sqrt(2.0 / fan_in) if activation == "relu" else np.sqrt(2.0 / (fan_in + fan_out))
            W[...] = scale * gen.standard_normal(W.shape)
            layer.params["b"][...] = 0.1 if activation == "relu" else 0.0  # live ReLUs at the start


def encode_image(values: np.ndarray, signed: bool = True) -> str:
    """A (h, w) array -> base64 of uint8 pixels: [-1, 1] (signed) or [0, 1] mapped to 0..255, clipped."""
    v = np.nan_to_num(np.asarray(values, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    if signed:
        v = (v + 1.0) * 0.5
    pixels = np.clip(np.rint(v * 255.0), 0, 255).astype(np.uint8)
    return base64.b64encode(pixels.tobytes()).decode("ascii")
