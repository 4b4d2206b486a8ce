"""one_hot and train_test_split."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.datasets import one_hot, train_test_split


def test_one_hot_rows_and_errors():
    t = one_hot([2, 0, 1], 4)
    np.testing.assert_array_equal(t, [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert t.dtype == np.float32 and one_hot(np.array([1.0, 3.0])).shape == (2, 4)
    with pytest.raises(ValueError, match="out of range"):
        one_hot([5], 3)
    with pytest.raises(ValueError, match="integer labels"):
        one_hot([0.5])


def test_train_test_split_matches_sizes_and_pairs():
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.3, seed=0)
    assert len(x_te) == 3 and len(x_tr) == 7
    np.testing.assert_array_equal(x_tr[:, 0] // 2, y_tr)
    np.testing.assert_array_equal(np.sort(np.r_[y_tr, y_te]), y)
    again = train_test_split(x, y, test_size=0.3, seed=0)
    np.testing.assert_array_equal(again[3], y_te)


def test_train_test_split_stratified_keeps_class_ratio():
    y = np.r_[np.zeros(80, int), np.ones(20, int)]
    _, y_te = train_test_split(y, test_size=0.25, seed=1, stratify=y)
    assert np.bincount(y_te).tolist() == [20, 5]


def test_train_test_split_errors():
    with pytest.raises(ValueError, match="different lengths"):
        train_test_split(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(np.zeros(3), test_size=1.5)


def test_train_test_split_stratified_gives_exactly_test_size():
    y = np.repeat(np.arange(10), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])  # the digits' counts
    _, y_te = train_test_split(y, test_size=0.2, seed=0, stratify=y)
    assert len(y_te) == 360
    assert np.all(np.abs(np.bincount(y_te) - 0.2 * np.bincount(y)) <= 1)
