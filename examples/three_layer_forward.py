"""The book's 3-layer forward pass with fixed weights: x = [1.0, 0.5] gives y = [0.31682708, 0.69627909]."""

from __future__ import annotations

import numpy as np

from nerve import Sequential
from nerve.layers import Dense, Identity, Sigmoid


def init_network() -> dict:
    """The weights of chapter 3's init_network()."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]), "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]), "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]), "b3": np.array([0.1, 0.2]),
    }


def main() -> dict:
    weights = init_network()
    # by hand, as in the book: a = x W + b, z = sigmoid(a), identity output
    x = np.array([1.0, 0.5])
    z1 = 1 / (1 + np.exp(-(x @ weights["W1"] + weights["b1"])))
    z2 = 1 / (1 + np.exp(-(z1 @ weights["W2"] + weights["b2"])))
    by_hand = z2 @ weights["W3"] + weights["b3"]

    # the same network from nerve's layers, with the weights copied in
    model = Sequential([Dense(3), Sigmoid(), Dense(2), Sigmoid(), Dense(2), Identity()], input_shape=(2,))
    for i, dense in enumerate([layer for layer in model.layers if isinstance(layer, Dense)], start=1):
        dense.params["W"][...] = weights[f"W{i}"]
        dense.params["b"][...] = weights[f"b{i}"]
    y = model.predict(x[None])[0]
    print(f"by hand: {by_hand}\nnerve:   {y}")  # [0.31682708 0.69627909]
    return {"by_hand": by_hand, "nerve": y}


if __name__ == "__main__":
    main()
