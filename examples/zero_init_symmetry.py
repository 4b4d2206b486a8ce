"""Zero initialisation (seed 002, 4.3): with every weight 0, all hidden units of a layer compute the same thing
and receive the same update, so they stay identical however long the net trains; random uniform weights
(the seed's ``np.random.random(n) * 2 - 1``) break the symmetry and the net learns XOR."""

from __future__ import annotations

import numpy as np

import nerve
from nerve.initializers import Uniform
from nerve.layers import Dense, Sigmoid
from nerve.optimizers import SGD


def train(weight_init, epochs: int = 2000, hidden: int = 4, seed: int = 0):
    """A 2-hidden-1 sigmoid net trained on XOR; returns (model, final accuracy)."""
    nerve.seed(seed)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    t = np.array([[0], [1], [1], [0]], dtype=np.float32)
    model = nerve.Sequential([Dense(hidden, weight_init=weight_init), Sigmoid(), Dense(1, weight_init=weight_init),
                              Sigmoid()], input_shape=(2,))
    model.compile(SGD(lr=2.0), "mse")
    model.fit(x, t, epochs=epochs, batch_size=4, verbose=0)
    accuracy = float(np.mean((model.predict(x) > 0.5) == t))
    return model, accuracy


def main(epochs: int = 2000) -> dict:
    results = {}
    for label, init in (("zeros", "zeros"), ("uniform(-1, 1)", Uniform(-1.0, 1.0))):
        model, accuracy = train(init, epochs)
        W1 = model.layers[0].params["W"]  # (2 inputs, hidden units): one column per hidden unit
        spread = float(np.max(W1.max(axis=1) - W1.min(axis=1)))  # 0 when every unit has the same weights
        results[label] = {"accuracy": accuracy, "hidden_weight_spread": spread}
        print(f"{label:15} XOR accuracy {accuracy:.2f}; largest difference between hidden units' weights {spread:.4f}")
        print(f"{'':15} first layer's weights (a column per hidden unit):\n{np.round(W1, 3)}")
    return results


if __name__ == "__main__":
    main()
