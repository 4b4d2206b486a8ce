"""Rosenblatt's perceptron: logic gates, XOR's failure to converge, the tutorial's example, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nerve.classic import ConvergenceWarning, NotFittedError, Perceptron

X_GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


@pytest.mark.parametrize("name,table", [("AND", [0, 0, 0, 1]), ("NAND", [1, 1, 1, 0]), ("OR", [0, 1, 1, 1])])
@pytest.mark.parametrize("signed", [False, True])
def test_learns_linearly_separable_gates(name, table, signed):
    y = np.array(table) * 2 - 1 if signed else np.array(table)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        p = Perceptron(lr=0.1, n_iter=100, seed=0).fit(X_GATES, y)
    assert p.converged_ and p.errors_[-1] == 0
    np.testing.assert_array_equal(p.predict(X_GATES), y)  # in the labels given
    assert p.score(X_GATES, y) == 1.0


def test_xor_does_not_converge_and_says_so():
    y = np.array([0, 1, 1, 0])
    with pytest.warns(ConvergenceWarning, match="did not converge in 50 epochs"):
        p = Perceptron(lr=0.1, n_iter=50, seed=0).fit(X_GATES, y)
    assert not p.converged_ and p.n_iter_ == 50
    assert p.score(X_GATES, y) < 1.0


def test_tutorial_example():
    # 002's example pairs 3 samples with 4 labels: a clear error, not a silent zip.
    with pytest.raises(ValueError, match="different lengths: 3 != 4"):
        Perceptron(lr=0.01, n_iter=1500).fit(np.array([[0, 0], [0, 1], [1, 0]]), np.array([-1, -1, 1, 1]))
    # With the fourth sample, the -1/+1 labels come back as -1/+1.
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    p = Perceptron(lr=0.01, n_iter=1500, seed=1).fit(X, np.array([-1, -1, 1, 1]))
    assert p.converged_
    np.testing.assert_array_equal(p.predict(np.array([[1, 1], [0, 0]])), [1, -1])


def _tutorial_fit(X, t, w, lr, n_iter):
    """The tutorial's loop, one sample at a time, from the same initial weights."""
    w, b = w.copy(), 0.0
    for _ in range(n_iter):
        for x_i, t_i in zip(X, t):
            y_i = 1.0 if x_i @ w + b >= 0 else 0.0
            w += lr * (t_i - y_i) * x_i
            b += lr * (t_i - y_i)
    return w, b


def test_vectorised_scan_equals_the_tutorial_loop():
    g = np.random.default_rng(3)
    X = g.normal(size=(600, 3))  # more rows than one scan window
    t = (X @ [1.0, -2.0, 0.5] + 0.3 + g.normal(scale=0.5, size=600) > 0).astype(float)
    with pytest.warns(ConvergenceWarning):
        p = Perceptron(lr=0.05, n_iter=3, seed=7).fit(X, t)
    w0 = np.random.default_rng(7).random(3) * 2 - 1
    w, b = _tutorial_fit(X, t, w0, 0.05, 3)
    np.testing.assert_allclose(p.coef_, w, atol=1e-12)
    assert p.intercept_ == pytest.approx(b)


def test_seed_makes_fit_reproducible():
    X = np.random.default_rng(0).normal(size=(50, 2))
    y = (X[:, 0] > X[:, 1]).astype(int)
    a = Perceptron(seed=5).fit(X, y)
    b = Perceptron(seed=5).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="exactly two classes"):
        Perceptron().fit(X_GATES, [1, 1, 1, 1])
    with pytest.raises(NotFittedError, match="fit"):
        Perceptron().predict(X_GATES)
    with pytest.raises(ValueError, match="`lr`"):
        Perceptron(lr=0).fit(X_GATES, [0, 0, 0, 1])
    with pytest.raises(ValueError, match="`n_iter`"):
        Perceptron(n_iter=0).fit(X_GATES, [0, 0, 0, 1])
    with pytest.raises(TypeError, match="numeric"):
        Perceptron().fit([["a", "b"]], [0])
    with pytest.raises(ValueError, match="empty"):
        Perceptron().fit(np.empty((0, 2)), [])
    p = Perceptron(seed=0).fit(X_GATES, [0, 0, 0, 1])
    with pytest.raises(ValueError, match="3 features, but it was fitted with 2"):
        p.predict(np.ones((1, 3)))
