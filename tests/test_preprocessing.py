"""nerve.preprocessing scalers against scikit-learn, constant features, round trips and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from pip_extras import require
from sklearn import preprocessing as skp

from nerve import preprocessing as P


@pytest.fixture
def X():
    g = np.random.default_rng(0)
    X = g.normal(3.0, 5.0, (40, 4))
    X[:, 2] = 7.25  # a constant feature
    return X


@pytest.mark.parametrize(
    "ours,ref",
    [
        (P.MinMaxScaler(), skp.MinMaxScaler()),
        (P.MinMaxScaler(feature_range=(-1, 2)), skp.MinMaxScaler(feature_range=(-1, 2))),
        (P.StandardScaler(), skp.StandardScaler()),
        (P.StandardScaler(with_mean=False), skp.StandardScaler(with_mean=False)),
        (P.StandardScaler(with_std=False), skp.StandardScaler(with_std=False)),
    ],
)
def test_scalers_match_sklearn_including_constant_feature(X, ours, ref):
    Xt = ours.fit_transform(X)
    np.testing.assert_allclose(Xt, ref.fit_transform(X), atol=1e-12)
    assert np.isfinite(Xt).all()
    X_new = X[:5] * 2 - 1
    np.testing.assert_allclose(ours.transform(X_new), ref.transform(X_new), atol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(Xt), X, atol=1e-12)


def test_minmax_maps_to_unit_interval_and_standard_gives_zero_mean_unit_std(X):
    Xt = P.MinMaxScaler().fit_transform(X)
    np.testing.assert_allclose(Xt.min(axis=0), [0, 0, 0, 0])
    np.testing.assert_allclose(Xt.max(axis=0), [1, 1, 0, 1])
    Z = P.StandardScaler().fit_transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), [1, 1, 0, 1], atol=1e-12)


def test_mean_normalizer_formula_and_round_trip(X):
    scaler = P.MeanNormalizer().fit(X)
    Xt = scaler.transform(X)
    cols = [0, 1, 3]
    rng_ = X[:, cols].max(axis=0) - X[:, cols].min(axis=0)
    np.testing.assert_allclose(Xt[:, cols], (X[:, cols] - X[:, cols].mean(axis=0)) / rng_)
    np.testing.assert_allclose(Xt[:, 2], 0, atol=1e-12)  # constant: no NaN
    assert np.all(np.abs(Xt) <= 1)
    np.testing.assert_allclose(scaler.inverse_transform(Xt), X)


def test_log_transformer_is_log1p_and_inverts():
    X = np.array([[0.0, 9.0], [99.0, 999.0]])
    t = P.LogTransformer()
    np.testing.assert_allclose(t.fit_transform(X), np.log1p(X))
    np.testing.assert_allclose(t.inverse_transform(t.transform(X)), X)
    with pytest.raises(ValueError, match="X > -1"):
        t.transform([[-1.0, 0.0]])


def test_dtype_is_kept_for_floats_and_floatx_for_ints(X):
    s = P.StandardScaler().fit(X)
    assert s.transform(X.astype(np.float32)).dtype == np.float32
    assert s.transform(X).dtype == np.float64
    assert P.MinMaxScaler().fit_transform(np.arange(6).reshape(3, 2)).dtype == np.float32


def test_fit_returns_self_and_reexports():
    s = P.MinMaxScaler()
    assert s.fit([[1.0], [2.0]]) is s
    assert P.one_hot([0, 2]).shape == (2, 3)
    a, b = P.train_test_split(np.arange(10), test_size=0.2, seed=0)
    assert len(a) == 8 and len(b) == 2


def test_bad_input_gives_clear_errors(X):
    with pytest.raises(P.NotFittedError, match="fit"):
        P.StandardScaler().transform(X)
    with pytest.raises(ValueError, match="2-D"):
        P.MinMaxScaler().fit(np.arange(5.0))
    with pytest.raises(ValueError, match="empty"):
        P.StandardScaler().fit(np.empty((0, 3)))
    with pytest.raises(TypeError, match="numeric"):
        P.StandardScaler().fit([["a", "b"]])
    with pytest.raises(ValueError, match="NaN"):
        P.MeanNormalizer().fit([[1.0, np.nan]])
    with pytest.raises(ValueError, match="3 features, but it was fitted with 4"):
        P.MinMaxScaler().fit(X).transform(X[:, :3])
    with pytest.raises(ValueError, match="feature_range"):
        P.MinMaxScaler(feature_range=(1, 0)).fit(X)


def _noisy_constant_column():
    x = np.random.default_rng(0).standard_normal((8, 2))
    x[:, 1] = 1.0 + np.array([0, 1, -1, 0, 2, -2, 1, 0]) * np.finfo(np.float64).eps  # constant + rounding noise
    return x


@pytest.mark.parametrize("ours, theirs", [("StandardScaler", "StandardScaler"), ("MinMaxScaler", "MinMaxScaler")])
def test_rounding_noise_in_a_constant_column_stays_noise_as_in_scikit_learn(ours, theirs):
    sk = require("sklearn.preprocessing")
    import nerve.preprocessing as pre

    x = _noisy_constant_column()
    mine, reference = getattr(pre, ours)().fit_transform(x), getattr(sk, theirs)().fit_transform(x)
    np.testing.assert_allclose(mine, reference, atol=1e-9)
    assert np.ptp(mine[:, 1]) < 1e-9 and np.ptp(mine[:, 0]) > 0.5  # the noise stays noise, the data is scaled


def test_mean_normalizer_keeps_rounding_noise_near_zero():
    from nerve.preprocessing import MeanNormalizer

    x = _noisy_constant_column()
    out = MeanNormalizer().fit_transform(x)
    assert np.abs(out[:, 1]).max() < 1e-9 and np.ptp(out[:, 0]) > 0.5
    np.testing.assert_allclose(MeanNormalizer().fit(x).inverse_transform(out), x, rtol=1e-12)
