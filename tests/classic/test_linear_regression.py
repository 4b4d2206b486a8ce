"""LinearRegression: normal equation vs numpy.linalg.lstsq and scikit-learn, the tutorial's gradient descent
with train / validation loss per iteration, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score

from nerve.classic import LinearRegression, NotFittedError


def _data(seed=0, n=80, d=3, noise=0.1, outputs=None):
    g = np.random.default_rng(seed)
    X = g.normal(size=(n, d))
    w = g.normal(size=(d,) if outputs is None else (d, outputs))
    y = X @ w + 1.5 + noise * g.normal(size=(n,) if outputs is None else (n, outputs))
    return X, y


def _lstsq(X, y):
    A = np.c_[X, np.ones(len(X))]
    sol = np.linalg.lstsq(A, y, rcond=None)[0]
    return sol[:-1], sol[-1]


def test_normal_equation_matches_lstsq():
    X, y = _data()
    m = LinearRegression().fit(X, y)
    w, b = _lstsq(X, y)
    np.testing.assert_allclose(m.coef_, w, atol=1e-10)
    assert m.intercept_ == pytest.approx(b, abs=1e-10)
    np.testing.assert_allclose(m.predict(X), X @ w + b, atol=1e-10)
    assert m.score(X, y) == pytest.approx(r2_score(y, m.predict(X)))


def test_multi_output_matches_lstsq():
    X, Y = _data(outputs=2)
    m = LinearRegression().fit(X, Y)
    w, b = _lstsq(X, Y)
    assert m.coef_.shape == (2, 3)
    np.testing.assert_allclose(m.coef_, w.T, atol=1e-10)
    np.testing.assert_allclose(m.intercept_, b, atol=1e-10)
    assert m.score(X, Y) == pytest.approx(r2_score(Y, m.predict(X)))


@pytest.mark.parametrize("solver", ["normal", "gd"])
def test_l2_matches_sklearn_ridge(solver):
    X, y = _data(1)
    ref = Ridge(alpha=5.0).fit(X, y)
    m = LinearRegression(solver=solver, l2=5.0, lr=0.1, n_iter=3000).fit(X, y)
    np.testing.assert_allclose(m.coef_, ref.coef_, atol=1e-8)
    assert m.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)


def test_gradient_descent_reaches_least_squares():
    X, y = _data(2)
    m = LinearRegression(solver="gd", lr=0.1, n_iter=2000).fit(X, y)
    w, b = _lstsq(X, y)
    np.testing.assert_allclose(m.coef_, w, atol=1e-8)
    assert len(m.history_["loss"]) == 2000
    assert np.all(np.diff(m.history_["loss"]) <= 1e-15)  # full-batch GD with a small step never goes up


def test_sgd_gets_close_and_is_reproducible():
    X, y = _data(3, n=200)
    a = LinearRegression(solver="sgd", lr=0.05, n_iter=100, batch_size=16, seed=0).fit(X, y)
    b = LinearRegression(solver="sgd", lr=0.05, n_iter=100, batch_size=16, seed=0).fit(X, y)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    w, _ = _lstsq(X, y)
    np.testing.assert_allclose(a.coef_, w, atol=0.05)
    assert a.history_["loss"][-1] < 0.01 * a.history_["loss"][0]


def _tutorial_linear_regression(x_train, x_test, y_train, y_test, delta, num_iters):
    """The house-price code of tutorial 000, verbatim apart from the lost commas."""

    def loss_function(x, y, w, b):
        return np.sum(np.square(x.dot(w) + b - y)) / (2 * x.shape[0])

    def derivation(x, y, w, b):
        wd = x.T.dot(x.dot(w) + b - y) / x.shape[0]
        bd = np.sum(x.dot(w) + b - y) / x.shape[0]
        return wd, bd

    w, b = np.zeros(x_train.shape[1]), 0
    train_cost, validate_cost = np.zeros(num_iters), np.zeros(num_iters)
    for i in range(num_iters):
        train_cost[i] = loss_function(x_train, y_train, w, b)
        validate_cost[i] = loss_function(x_test, y_test, w, b)
        gw, gb = derivation(x_train, y_train, w, b)
        w = w + delta * -gw
        b = b + delta * -gb
    return train_cost, validate_cost, w, b


def test_house_price_example_reproduces_the_tutorial_losses():
    g = np.random.default_rng(4)
    area = g.uniform(50, 150, (60, 1))
    rooms = g.integers(1, 5, (60, 1)).astype(float)
    X = np.c_[(area - 100) / 30, rooms - 2.5]  # scaled features, as the tutorial advises
    price = 3.0 * area[:, 0] + 20 * rooms[:, 0] + g.normal(0, 5, 60)
    X_train, X_val, y_train, y_val = X[:45], X[45:], price[:45], price[45:]
    m = LinearRegression(solver="gd", lr=0.05, n_iter=300).fit(X_train, y_train, validation_data=(X_val, y_val))
    train_cost, validate_cost, w, b = _tutorial_linear_regression(X_train, X_val, y_train, y_val, 0.05, 300)
    np.testing.assert_allclose(m.history_["loss"], train_cost, rtol=1e-12)
    np.testing.assert_allclose(m.history_["val_loss"], validate_cost, rtol=1e-12)
    np.testing.assert_allclose(m.coef_, w, rtol=1e-12)
    assert m.intercept_ == pytest.approx(b, rel=1e-12)
    assert m.history_["loss"][0] == pytest.approx(np.sum(y_train**2) / (2 * 45))  # J at w = 0, b = 0


def test_gradients_match_central_differences():
    X, y = _data(5, n=20)
    m = LinearRegression(l2=0.7)
    Y = y[:, None]
    W, b = np.random.default_rng(0).normal(size=(3, 1)), np.array([0.3])
    dW, db = m._gradients(X, Y, W, b)
    h = 1e-6
    num = np.zeros_like(W)
    for i in range(W.shape[0]):
        Wp, Wm = W.copy(), W.copy()
        Wp[i] += h
        Wm[i] -= h
        num[i] = (m._cost(X, Y, Wp, b) - m._cost(X, Y, Wm, b)) / (2 * h)
    num_b = (m._cost(X, Y, W, b + h) - m._cost(X, Y, W, b - h)) / (2 * h)
    np.testing.assert_allclose(dW, num, rtol=1e-6)
    np.testing.assert_allclose(db, num_b, rtol=1e-6)


def test_constant_target_score_like_sklearn():
    X = np.arange(6.0).reshape(-1, 1)
    y = np.full(6, 2.0)
    m = LinearRegression().fit(X, y)
    assert m.score(X, y) == 1.0 == r2_score(y, m.predict(X))


def test_divergence_is_a_clear_error():
    X, y = _data(6)
    with pytest.raises(ValueError, match="diverged"):
        LinearRegression(solver="gd", lr=100.0, n_iter=500).fit(X * 1000, y)


def test_bad_input_gives_clear_errors():
    X, y = _data()
    with pytest.raises(ValueError, match="different lengths: 80 != 79"):
        LinearRegression().fit(X, y[:-1])
    with pytest.raises(ValueError, match="empty"):
        LinearRegression().fit(np.empty((0, 3)), [])
    with pytest.raises(TypeError, match="numeric"):
        LinearRegression().fit([["a"], ["b"]], [1, 2])
    with pytest.raises(ValueError, match="solver"):
        LinearRegression(solver="qr").fit(X, y)
    with pytest.raises(ValueError, match="l2"):
        LinearRegression(l2=-1).fit(X, y)
    with pytest.raises(ValueError, match="batch_size"):
        LinearRegression(solver="sgd", batch_size=0).fit(X, y)
    with pytest.raises(NotFittedError):
        LinearRegression().predict(X)
    with pytest.raises(ValueError, match="tuple"):
        LinearRegression().fit(X, y, validation_data=X)
    with pytest.raises(ValueError, match="NaN"):
        LinearRegression().fit(X, np.r_[y[:-1], np.nan])
