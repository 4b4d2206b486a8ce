"""The tutorial's logic gates: hand-set weights, truth tables, XOR as a 2-layer perceptron."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.classic import gates

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


@pytest.mark.parametrize(
    "gate,table",
    [
        (gates.AND, [0, 0, 0, 1]),
        (gates.NAND, [1, 1, 1, 0]),
        (gates.OR, [0, 1, 1, 1]),
        (gates.XOR, [0, 1, 1, 0]),
    ],
)
def test_truth_tables(gate, table):
    assert [gate(x1, x2) for x1, x2 in INPUTS] == table
    x1, x2 = np.array(INPUTS).T
    np.testing.assert_array_equal(gate(x1, x2), table)  # vectorised over arrays


def test_tutorial_weights():
    assert gates.AND_PARAMS == (0.5, 0.5, -0.7)
    assert gates.NAND_PARAMS == (-0.5, -0.5, 0.7)
    assert gates.OR_PARAMS == (1.0, 1.0, -0.5)
    # The tutorial's other AND weights, w = (1.0, 1.0), b = -1.0: the sum must exceed 0, so (1, 0) gives 0.
    assert [gates.perceptron_gate(a, b, 1.0, 1.0, -1.0) for a, b in INPUTS] == [0, 0, 0, 1]


def test_xor_hidden_layer_matches_tutorial_table():
    # x1 | x2 | s1 (NAND) | s2 (OR) | y
    table = [(0, 0, 1, 0, 0), (0, 1, 1, 1, 1), (1, 0, 1, 1, 1), (1, 1, 0, 1, 0)]
    for x1, x2, s1, s2, y in table:
        assert gates.NAND(x1, x2) == s1 and gates.OR(x1, x2) == s2 and gates.AND(s1, s2) == y == gates.XOR(x1, x2)


def test_scalar_output_is_int_and_bad_input_is_clear():
    assert isinstance(gates.AND(1, 1), int)
    with pytest.raises(TypeError, match="numeric"):
        gates.OR("a", 1)
