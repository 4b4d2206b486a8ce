"""A neuron and a 2-2-1 network by hand (tutorial 004): sigmoid(w.x + b), then two layers, then the MSE."""

from __future__ import annotations

import numpy as np

from nerve.losses import MSE
from nerve.ops import sigmoid


class Neuron:
    """One neuron: sigmoid(w . x + b)."""

    def __init__(self, weights, bias):
        self.weights, self.bias = np.asarray(weights, dtype=np.float64), float(bias)

    def feedforward(self, x):
        return float(sigmoid(np.dot(self.weights, x) + self.bias))


def main() -> dict:
    # a neuron with w = [0, 1], b = 4 on x = [2, 3]: sigmoid(0*2 + 1*3 + 4) = sigmoid(7)
    neuron = Neuron([0, 1], 4).feedforward(np.array([2.0, 3.0]))
    print(f"neuron output: {neuron!r}")  # 0.9990889488055994

    # 2 inputs -> hidden h1, h2 -> output o1, every neuron w = [0, 1], b = 0
    h1 = h2 = Neuron([0, 1], 0)
    o1 = Neuron([0, 1], 0)
    x = np.array([2.0, 3.0])
    hidden = np.array([h1.feedforward(x), h2.feedforward(x)])
    network = o1.feedforward(hidden)
    print(f"2-2-1 network output: {network!r}")  # 0.7216325609518421

    # MSE of predicting 0 for everyone when the truth is [1, 0, 0, 1]
    y_true = np.array([[1.0], [0.0], [0.0], [1.0]])
    mse = MSE().forward(np.zeros((4, 1)), y_true)
    print(f"MSE of the all-zero guess: {mse}")
    return {"neuron": neuron, "network": network, "mse": mse}


if __name__ == "__main__":
    main()
