"""KMaxPool2D: seed 002's worked 4x4 example, exact, and checked gradients."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.gradcheck import check_gradients
from nerve.layers import AvgPool2D, KMaxPool2D, MaxPool2D

SEED_INPUT = np.arange(1, 17, dtype=np.float32).reshape(1, 1, 4, 4)  # the seed's [[1, 2, 3, 4], ..., [13..16]]


def test_seed_worked_example_k1_is_max_pooling():
    y = KMaxPool2D(1, pool_size=2).forward(SEED_INPUT)
    np.testing.assert_array_equal(y[0, 0], [[6, 8], [14, 16]])  # the seed's "Max Pooled Output"
    np.testing.assert_array_equal(y, MaxPool2D(2).forward(SEED_INPUT))


def test_seed_worked_example_top2_sorted_and_all_four_average():
    y = KMaxPool2D(2, pool_size=2).forward(SEED_INPUT)
    assert y.shape == (1, 2, 2, 2)
    np.testing.assert_array_equal(y[0, 0], [[6, 8], [14, 16]])  # largest of each window
    np.testing.assert_array_equal(y[0, 1], [[5, 7], [13, 15]])  # second largest
    every = KMaxPool2D(4, pool_size=2).forward(SEED_INPUT).mean(axis=1)
    np.testing.assert_allclose(every[0], [[3.5, 5.5], [11.5, 13.5]])  # the seed's "Average Pooled Output"
    np.testing.assert_allclose(every, AvgPool2D(2).forward(SEED_INPUT)[:, 0])


def test_channels_and_overlapping_windows(f64):
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 6))
    layer = KMaxPool2D(3, pool_size=(2, 3), stride=1)
    y = layer.forward(x)
    assert y.shape == (2, 9, 4, 4)
    window = x[1, 2, 1:3, 2:5].ravel()
    np.testing.assert_array_equal(y[1, 6:9, 1, 2], np.sort(window)[::-1][:3])
    assert check_gradients(layer, x) < 1e-7


def test_backward_routes_each_kept_value_to_its_cell():
    layer = KMaxPool2D(2, pool_size=2)
    layer.forward(SEED_INPUT, training=True)
    dx = layer.backward(np.ones((1, 2, 2, 2), dtype=np.float32))
    # the two largest cells of each 2x2 window are its bottom row
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]])


@pytest.mark.parametrize("kwargs,match", [({"k": 0}, "k"), ({"k": 5, "pool_size": 2}, "k"),
                                          ({"k": 1, "pool_size": 0}, "pool_size")])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        KMaxPool2D(**kwargs)
