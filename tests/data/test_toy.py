"""Toy data sets: shapes, labels, seeds, and the tutorial's exact numbers."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.data.toy import (
    GENDER_NAMES,
    gender_test_points,
    load_gender,
    logic_gate,
    make_blobs,
    make_circles,
    make_linear,
    make_moons,
    make_spirals,
    make_xor,
)

MAKERS = [make_xor, make_circles, make_moons, make_spirals, make_blobs]


@pytest.mark.parametrize("make", MAKERS)
def test_toy_sets_shapes_dtypes_and_seeds(make):
    x, y = make(n_samples=101, seed=3)
    assert x.shape == (101, 2) and x.dtype == np.float32 and y.shape == (101,) and y.dtype == np.int64
    x2, y2 = make(n_samples=101, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = make(n_samples=101, seed=4)
    assert not np.array_equal(x, x3)


@pytest.mark.parametrize("make", MAKERS)
def test_toy_sets_follow_nerve_seed_without_explicit_seed(make):
    nerve.backend.seed(7)
    a = make(n_samples=20)[0]
    nerve.backend.seed(7)
    np.testing.assert_array_equal(a, make(n_samples=20)[0])


def test_xor_labels_are_quadrant_parity():
    x, y = make_xor(500, seed=0)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(np.int64))
    assert 0.4 < y.mean() < 0.6


def test_circles_radii_and_moons_match_scikit_learn_without_noise():
    from sklearn.datasets import make_circles as sk_circles
    from sklearn.datasets import make_moons as sk_moons

    x, y = make_circles(100, factor=0.5, shuffle=False)
    xs, ys = sk_circles(100, factor=0.5, shuffle=False)
    np.testing.assert_allclose(x, xs, atol=1e-6)
    np.testing.assert_array_equal(y, ys)
    x, y = make_moons(101, shuffle=False)
    xs, ys = sk_moons(101, shuffle=False)
    np.testing.assert_allclose(x, xs, atol=1e-6)
    np.testing.assert_array_equal(y, ys)


def test_spirals_balanced_classes_radius_in_unit_disc():
    x, y = make_spirals(300, n_classes=3, noise=0.0, shuffle=False)
    np.testing.assert_array_equal(np.bincount(y), [100, 100, 100])
    r = np.hypot(x[:, 0], x[:, 1])
    assert r.max() <= 1 + 1e-6 and r[0] == 0 and abs(r[99] - 1) < 1e-6


def test_blobs_centred_on_given_centers():
    centers = np.array([[0.0, 0.0], [10.0, -5.0]])
    x, y = make_blobs(2000, centers=centers, cluster_std=0.5, seed=1)
    for k in range(2):
        np.testing.assert_allclose(x[y == k].mean(0), centers[k], atol=0.05)
        np.testing.assert_allclose(x[y == k].std(0), 0.5, atol=0.05)


def test_linear_recovers_slope_and_intercept():
    x, y = make_linear(2000, a=3.0, b=-2.0, noise=0.5, seed=0)
    assert x.shape == (2000, 1) and y.shape == (2000, 1)
    slope, intercept = np.polyfit(x[:, 0], y[:, 0], 1)
    assert abs(slope - 3.0) < 0.02 and abs(intercept + 2.0) < 0.1
    x, y = make_linear(5, noise=0.0, seed=0)
    np.testing.assert_allclose(y, 2 * x + 1, rtol=1e-6)


@pytest.mark.parametrize(
    "gate, expected",
    [("and", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("nand", [1, 1, 1, 0]), ("xor", [0, 1, 1, 0]),
     ("nor", [1, 0, 0, 0]), ("xnor", [1, 0, 0, 1])],
)
def test_logic_gates_truth_tables(gate, expected):
    x, y = logic_gate(gate)
    a, b = x[:, 0].astype(bool), x[:, 1].astype(bool)
    assert {(int(p), int(q)) for p, q in x} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    np.testing.assert_array_equal(y, expected)
    if gate == "and":
        np.testing.assert_array_equal(y, a & b)


def test_gender_data_is_the_tutorials():
    x, y = load_gender()
    np.testing.assert_array_equal(x, [[-2, -1], [25, 6], [17, 4], [-15, -6]])
    np.testing.assert_array_equal(y, [1, 0, 0, 1])
    assert GENDER_NAMES == ("Alice", "Bob", "Charlie", "Diana")
    raw, _ = load_gender(shift=False)
    np.testing.assert_array_equal(raw[0], [133, 65])
    # the tutorial's all-zero guess has MSE 0.5
    assert float(((y - 0) ** 2).mean()) == 0.5
    xt, names = gender_test_points()
    np.testing.assert_array_equal(xt, [[-7, -3], [20, 2]])
    assert names == ("Emily", "Frank")


def test_toy_bad_arguments_are_named():
    with pytest.raises(ValueError, match="n_samples"):
        make_moons(0)
    with pytest.raises(ValueError, match="noise"):
        make_xor(10, noise=-1)
    with pytest.raises(ValueError, match="factor"):
        make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match="unknown gate 'maybe'"):
        logic_gate("maybe")
