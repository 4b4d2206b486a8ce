"""load_digits: scikit-learn's 8x8 digits in load_mnist's conventions, split deterministically."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from nerve.datasets import load_digits


def test_digits_shapes_normalisation_and_split():
    from sklearn.datasets import load_digits as sk

    (x, t), (xt, tt) = load_digits()
    assert x.shape[1] == 64 and x.dtype == np.float32 and len(x) + len(xt) == 1797
    assert len(xt) == 360 and t.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    # every sample comes from scikit-learn's data, scaled by 1/16
    bunch = sk()
    ref = {tuple((row / 16).astype(np.float32)): lab for row, lab in zip(bunch.data, bunch.target)}
    assert all(ref[tuple(row)] == lab for row, lab in zip(x[:50], t[:50]))
    # stratified: each class about 20 % in test
    np.testing.assert_allclose(np.bincount(tt) / np.bincount(np.r_[t, tt]), 0.2, atol=0.02)


def test_digits_split_is_repeatable_and_seedable():
    (a, _), _ = load_digits()
    (b, _), _ = load_digits()
    (c, _), _ = load_digits(seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_digits_unflattened_raw_one_hot():
    (x, t), _ = load_digits(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape[1:] == (1, 8, 8) and x.dtype == np.uint8 and x.max() == 16
    assert t.shape[1] == 10 and np.all(t.sum(1) == 1)


def test_digits_without_scikit_learn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"nerve\[digits\]"):
        load_digits()
