"""nerve.book.functions, .gradient and .util: the book's functions and the values the tutorials print."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.book import functions as F
from nerve.book.gradient import numerical_gradient, numerical_gradient_2d
from nerve.book.util import col2im, conv_output_size, im2col, shuffle_dataset, smooth_curve


def test_sigmoid_values_the_seed_gives():
    # seed 001: h(1.0) = 0.731, h(2.0) = 0.880 (three digits, cut off rather than rounded: 0.88079...)
    assert np.floor(F.sigmoid(1.0) * 1000) / 1000 == 0.731
    assert np.floor(F.sigmoid(2.0) * 1000) / 1000 == 0.880
    assert np.isscalar(F.sigmoid(1.0))
    x = np.array([-800.0, 0.0, 800.0])
    np.testing.assert_allclose(F.sigmoid(x), [0.0, 0.5, 1.0])  # no overflow warning (RuntimeWarning is an error)


def test_step_relu_and_their_gradients():
    x = np.array([-1.5, 0.0, 2.0])
    assert F.step_function(x).tolist() == [0, 0, 1] and F.step_function(x).dtype.kind == "i"
    assert F.relu(x).tolist() == [0.0, 0.0, 2.0]
    assert F.relu_grad(x).tolist() == [0.0, 1.0, 1.0]
    np.testing.assert_allclose(F.sigmoid_grad(x), F.sigmoid(x) * (1 - F.sigmoid(x)))
    assert F.identity_function(x) is x


def test_softmax_is_a_distribution_and_shift_invariant():
    a = np.array([[0.3, 2.9, 4.0], [1010.0, 1000.0, 990.0]])
    y = F.softmax(a)
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    np.testing.assert_allclose(y[0], np.exp(a[0]) / np.exp(a[0]).sum())
    np.testing.assert_allclose(F.softmax(a[1]), F.softmax(a[1] - 1000))


def test_losses_follow_the_books_formulas():
    t = np.eye(10)[2]
    y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    assert F.cross_entropy_error(y, t) == pytest.approx(-np.log(0.6 + 1e-7), abs=1e-15)
    assert F.mean_squared_error(y, t) == pytest.approx(0.5 * np.sum((y - t) ** 2), abs=1e-15)
    Y = np.stack([y, np.roll(y, 1)])
    labels = np.array([2, 3])
    # one-hot rows and class indices give the same mean
    assert F.cross_entropy_error(Y, np.eye(10)[labels]) == pytest.approx(F.cross_entropy_error(Y, labels))
    assert F.softmax_loss(Y, labels) == pytest.approx(F.cross_entropy_error(F.softmax(Y), labels))


def test_numerical_gradient_of_x0_squared_plus_x1_squared():
    def f(x):
        return np.sum(x ** 2)

    for point in ([3.0, 4.0], [0.0, 2.0], [3.0, 0.0]):
        x = np.array(point)
        np.testing.assert_allclose(numerical_gradient(f, x), 2 * x, atol=1e-7)
        assert x.tolist() == point  # restored
    strided = np.arange(12.0).reshape(3, 4)[:, ::2]  # not contiguous: the indexed path
    np.testing.assert_allclose(numerical_gradient(f, strided), 2 * strided, atol=1e-6)
    X = np.array([[3.0, 4.0], [1.0, -2.0]])
    np.testing.assert_allclose(numerical_gradient_2d(f, X), 2 * X, atol=1e-7)


def test_im2col_col2im_are_the_books_layout():
    x = np.arange(2 * 3 * 4 * 4, dtype=float).reshape(2, 3, 4, 4)
    col = im2col(x, 3, 3, stride=1, pad=1)
    assert col.shape == (2 * 4 * 4, 3 * 3 * 3)
    # row (n=0, oh=1, ow=1): the 3x3 window of each channel around pixel (1, 1)
    np.testing.assert_array_equal(col[5].reshape(3, 3, 3), x[0, :, 0:3, 0:3])
    # col2im is im2col's adjoint: <im2col(x), c> == <x, col2im(c)>
    c = np.random.default_rng(0).standard_normal(col.shape)
    assert np.sum(col * c) == pytest.approx(np.sum(x * col2im(c, x.shape, 3, 3, 1, 1)))
    assert conv_output_size(28, 5) == 24 and conv_output_size(7, 2, stride=2) == 3.5


def test_smooth_curve_and_shuffle_dataset():
    x = np.r_[np.ones(20), np.zeros(20)]
    s = smooth_curve(x)
    assert s.shape == x.shape and 0 < s[20] < 1 and s[0] == pytest.approx(1) and s[-1] == pytest.approx(0)
    xs, ts = shuffle_dataset(np.arange(50).reshape(10, 5), np.arange(10))
    assert sorted(ts.tolist()) == list(range(10)) and ts.tolist() != list(range(10))
    np.testing.assert_array_equal(xs[:, 0] // 5, ts)  # rows stay with their labels
