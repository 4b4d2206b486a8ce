"""LogisticRegression against scikit-learn (breast cancer accuracy, exact solutions with C), the cost history,
gradients by central differences, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from nerve.classic import LogisticRegression, NotFittedError
from nerve.metrics import roc_auc_score
from nerve.preprocessing import StandardScaler, train_test_split


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_breast_cancer_accuracy_matches_sklearn(seed):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=seed)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    ours = LogisticRegression().fit(X_train, y_train)
    ref = SkLogisticRegression().fit(X_train, y_train)
    assert ours.score(X_test, y_test) >= ref.score(X_test, y_test) - 0.02
    assert roc_auc_score(y_test, ours.predict_proba(X_test)[:, 1]) > 0.98
    loss = ours.history_["loss"]
    assert len(loss) == 1000 and loss[0] == pytest.approx(np.log(2))  # J at W = 0: every p is 1/2
    assert loss[-1] < 0.1 and np.all(np.diff(loss) <= 1e-12)


def test_binary_solution_equals_sklearn_with_the_same_penalty():
    X, y = make_classification(200, 4, n_informative=3, n_redundant=0, random_state=0)
    ref = SkLogisticRegression(C=1.0, tol=1e-12, max_iter=10_000).fit(X, y)
    ours = LogisticRegression(lr=1.0, n_iter=3000, C=1.0).fit(X, y)
    assert ours.coef_.shape == (1, 4) and ours.intercept_.shape == (1,)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_softmax_solution_equals_sklearn_on_iris():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    ref = SkLogisticRegression(C=1.0, tol=1e-12, max_iter=10_000).fit(X, y)
    ours = LogisticRegression(lr=0.5, n_iter=5000, C=1.0).fit(X, y)
    assert ours.coef_.shape == (3, 4)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    assert ours.score(X, y) == ref.score(X, y)


def test_ovr_and_string_labels():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    m = LogisticRegression(multi_class="ovr").fit(X, names)
    np.testing.assert_allclose(m.predict_proba(X).sum(axis=1), 1.0)
    assert set(m.predict(X)) <= set(names) and m.score(X, names) > 0.9
    binary = LogisticRegression(multi_class="multinomial").fit(X[y < 2], names[y < 2])
    assert binary.coef_.shape == (2, 4) and binary.score(X[y < 2], names[y < 2]) == 1.0


def test_validation_loss_is_recorded():
    X, y = make_classification(120, 3, n_informative=2, n_redundant=0, random_state=1)
    m = LogisticRegression(n_iter=50).fit(X[:90], y[:90], validation_data=(X[90:], y[90:]))
    assert len(m.history_["val_loss"]) == 50 and m.history_["val_loss"][-1] < m.history_["val_loss"][0]


@pytest.mark.parametrize("multi_class,k", [("auto", 2), ("auto", 3), ("ovr", 3)])
def test_gradients_match_central_differences(multi_class, k):
    g = np.random.default_rng(k)
    X = g.normal(size=(15, 3))
    y = g.integers(0, k, 15)
    m = LogisticRegression(C=0.5, multi_class=multi_class, n_iter=1).fit(X, y)
    T = m._targets(y, "test")
    W, b = g.normal(size=(3, T.shape[1])), g.normal(size=T.shape[1])
    dW, db = m._gradients(X, T, W, b)
    h = 1e-6
    for param, grad in ((W, dW), (b, db)):
        num = np.zeros_like(param)
        for i in np.ndindex(param.shape):
            old = param[i]
            param[i] = old + h
            plus = m._cost(X, T, W, b)
            param[i] = old - h
            minus = m._cost(X, T, W, b)
            param[i] = old
            num[i] = (plus - minus) / (2 * h)
        np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-9)


def test_bad_input_gives_clear_errors():
    X, y = make_classification(30, 3, n_informative=2, n_redundant=0, random_state=2)
    with pytest.raises(ValueError, match="at least two classes"):
        LogisticRegression().fit(X, np.zeros(30))
    with pytest.raises(ValueError, match="different lengths: 30 != 29"):
        LogisticRegression().fit(X, y[:-1])
    with pytest.raises(ValueError, match="`C`"):
        LogisticRegression(C=0).fit(X, y)
    with pytest.raises(ValueError, match="multi_class"):
        LogisticRegression(multi_class="ovo").fit(X, y)
    with pytest.raises(ValueError, match="not seen in fit"):
        LogisticRegression(n_iter=1).fit(X, y, validation_data=(X, y + 5))
    with pytest.raises(NotFittedError):
        LogisticRegression().predict_proba(X)
    with pytest.raises(TypeError, match="numeric"):
        LogisticRegression().fit([["a", "b"]], [0])
