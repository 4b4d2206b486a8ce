"""Logic gates as single perceptrons with the tutorial's hand-set weights, and XOR as a 2-layer perceptron.

A gate outputs 1 when w1*x1 + w2*x2 + b > 0, else 0 (tutorial 001). AND (0.5, 0.5, -0.7), NAND
(-0.5, -0.5, 0.7) and OR (1.0, 1.0, -0.5) are linearly separable; XOR is not, so it is built from two layers:
s1 = NAND(x1, x2), s2 = OR(x1, x2), y = AND(s1, s2).
"""

from __future__ import annotations

import numpy as np

__all__ = ["AND_PARAMS", "NAND_PARAMS", "OR_PARAMS", "perceptron_gate", "AND", "NAND", "OR", "XOR"]

# (w1, w2, b) from the tutorial.
AND_PARAMS = (0.5, 0.5, -0.7)
NAND_PARAMS = (-0.5, -0.5, 0.7)
OR_PARAMS = (1.0, 1.0, -0.5)


def perceptron_gate(x1, x2, w1: float, w2: float, b: float):
    """1 where w1*x1 + w2*x2 + b > 0, else 0; scalars give an int, arrays an int array (broadcast)."""
    try:
        a1, a2 = np.asarray(x1, dtype=np.float64), np.asarray(x2, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"perceptron_gate: inputs must be numbers or numeric arrays ({e})") from None
    out = (w1 * a1 + w2 * a2 + b > 0).astype(np.int64)
    return int(out) if out.ndim == 0 else out


def AND(x1, x2):
    """1 only when both inputs are 1."""
    return perceptron_gate(x1, x2, *AND_PARAMS)


def NAND(x1, x2):
    """NOT AND: 0 only when both inputs are 1 (the AND weights negated)."""
    return perceptron_gate(x1, x2, *NAND_PARAMS)


def OR(x1, x2):
    """1 when at least one input is 1."""
    return perceptron_gate(x1, x2, *OR_PARAMS)


def XOR(x1, x2):
    """1 when exactly one input is 1: AND(NAND(x1, x2), OR(x1, x2)), a 2-layer perceptron."""
    s1 = NAND(x1, x2)
    s2 = OR(x1, x2)
    return AND(s1, s2)
