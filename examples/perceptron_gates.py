"""Perceptron gates: AND, NAND and OR with the tutorial's weights, a learned perceptron, and XOR in two layers."""

from __future__ import annotations

import warnings

import numpy as np

from nerve.classic import ConvergenceWarning, Perceptron
from nerve.classic.gates import AND, NAND, OR, XOR
from nerve.datasets import logic_gate

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


def main(n_iter: int = 100, seed: int = 0) -> dict:
    # 1. Hand-set weights: AND (0.5, 0.5, -0.7), NAND (-0.5, -0.5, 0.7), OR (1.0, 1.0, -0.5).
    tables = {gate.__name__: [gate(x1, x2) for x1, x2 in INPUTS] for gate in (AND, NAND, OR, XOR)}
    for name, outputs in tables.items():
        print(f"{name:4}: {dict(zip(INPUTS, outputs))}")

    # 2. Rosenblatt's rule learns the linearly separable gates from their truth tables...
    learned = {}
    for name in ("and", "nand", "or"):
        x, y = logic_gate(name)
        learned[name] = Perceptron(lr=0.1, n_iter=n_iter, seed=seed).fit(x, y).score(x, y)
    print(f"learned single perceptrons, training accuracy: {learned}")

    # 3. ...but not XOR: no single line separates (0,1), (1,0) from (0,0), (1,1).
    x, y = logic_gate("xor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        xor = Perceptron(lr=0.1, n_iter=n_iter, seed=seed).fit(x, y)
    print(f"single-layer XOR converged: {xor.converged_}, accuracy {xor.score(x, y):.2f}")
    print(f"two-layer XOR = AND(NAND, OR): {XOR(np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])).tolist()}")
    return {"tables": tables, "learned": learned, "xor_single_layer_converged": xor.converged_,
            "xor_single_layer_accuracy": xor.score(x, y)}


if __name__ == "__main__":
    main()
