"""nerve.distances against scipy.spatial.distance, scipy.stats.entropy and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import distance as sd
from scipy.stats import entropy, pearsonr
from sklearn.metrics.pairwise import cosine_similarity as sk_cosine

from nerve import distances as D
from nerve.metrics import UndefinedMetricWarning


@pytest.fixture
def xy():
    g = np.random.default_rng(0)
    return g.normal(size=7), g.normal(size=7)


def test_minkowski_family_matches_scipy(xy):
    x, y = xy
    for p in (0.5, 1, 2, 3, 4.5):
        assert D.minkowski(x, y, p) == pytest.approx(sd.minkowski(x, y, p))
    assert D.minkowski(x, y, np.inf) == pytest.approx(sd.chebyshev(x, y))
    assert D.manhattan(x, y) == pytest.approx(sd.cityblock(x, y))
    assert D.euclidean(x, y) == pytest.approx(sd.euclidean(x, y))
    assert D.euclidean([0, 0], [3, 4]) == 5.0
    assert D.manhattan([0, 0], [3, 4]) == 7.0


def test_hamming_counts_differing_positions():
    g = np.random.default_rng(1)
    x, y = g.integers(0, 2, 20), g.integers(0, 2, 20)
    assert D.hamming(x, y) == round(sd.hamming(x, y) * 20)
    assert D.hamming("karolin", "kathrin") == 3
    assert D.hamming([1, 0, 1, 1], [1, 1, 1, 0]) == 2


def test_jaccard_similarity_of_sets_and_boolean_vectors():
    g = np.random.default_rng(2)
    x, y = g.integers(0, 2, 30).astype(bool), g.integers(0, 2, 30).astype(bool)
    assert D.jaccard(x, y) == pytest.approx(1 - sd.jaccard(x, y))
    assert D.jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert D.jaccard(set(), set()) == 1.0 == 1 - sd.jaccard([0, 0], [0, 0])
    assert D.jaccard([0, 0], [0, 0]) == 1.0


def test_kl_divergence_matches_scipy_entropy():
    g = np.random.default_rng(3)
    p, q = g.random(6), g.random(6)
    p, q = p / p.sum(), q / q.sum()
    assert D.kl_divergence(p, q) == pytest.approx(entropy(p, q))
    assert D.kl_divergence(p, q, base=2) == pytest.approx(entropy(p, q, base=2))
    assert D.kl_divergence(p, p) == pytest.approx(0.0, abs=1e-15)
    # 0 log 0 = 0; p > 0 where q = 0 is infinitely surprising, as SciPy says.
    p, q = [0.5, 0.5, 0.0], [0.25, 0.25, 0.5]
    assert D.kl_divergence(p, q) == pytest.approx(entropy(p, q)) == pytest.approx(np.log(2))
    assert D.kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf == entropy([0.5, 0.5], [1.0, 0.0])


def test_cosine_and_pearson_match_references(xy):
    x, y = xy
    assert D.cosine_similarity(x, y) == pytest.approx(1 - sd.cosine(x, y))
    assert D.pearson(x, y) == pytest.approx(pearsonr(x, y).statistic)
    assert D.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert D.cosine_similarity([1, 0], [0, 1]) == 0.0


def test_zero_vector_and_constant_vector_give_zero_with_warning():
    with pytest.warns(UndefinedMetricWarning, match="zero norm"):
        assert D.cosine_similarity([0, 0], [1, 2]) == 0.0
    with pytest.warns(UndefinedMetricWarning):
        assert D.pearson([1, 1, 1], [1, 2, 3]) == 0.0


@pytest.mark.parametrize(
    "metric,ref",
    [
        ("euclidean", lambda X, Y: sd.cdist(X, Y, "euclidean")),
        ("manhattan", lambda X, Y: sd.cdist(X, Y, "cityblock")),
        ("cosine", lambda X, Y: sk_cosine(X, Y)),
        ("pearson", lambda X, Y: 1 - sd.cdist(X, Y, "correlation")),
        ("hamming", lambda X, Y: np.round(sd.cdist(X, Y, "hamming") * X.shape[1])),
    ],
)
def test_pairwise_matches_cdist(metric, ref):
    g = np.random.default_rng(4)
    X, Y = g.integers(0, 3, (9, 5)).astype(float), g.integers(0, 3, (6, 5)).astype(float)
    X[0] += np.arange(5)  # no constant rows for pearson
    Y += np.arange(5)
    np.testing.assert_allclose(D.pairwise(X, Y, metric), ref(X, Y), atol=1e-12)


def test_pairwise_other_metrics_and_blocks(monkeypatch):
    g = np.random.default_rng(5)
    X = g.random((13, 4))
    np.testing.assert_allclose(D.pairwise(X, metric="minkowski", p=3), sd.cdist(X, X, "minkowski", p=3))
    B = g.integers(0, 2, (5, 8))
    np.testing.assert_allclose(D.pairwise(B, metric="jaccard"), 1 - sd.cdist(B.astype(bool), B.astype(bool), "jaccard"))
    P = X / X.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(D.pairwise(P, P[:3], "kl"), [[entropy(p, q) for q in P[:3]] for p in P])
    # Small blocks give the same matrix as one block.
    monkeypatch.setattr(D, "_BLOCK_ELEMENTS", 8)
    np.testing.assert_allclose(D.pairwise(X, metric="euclidean"), sd.cdist(X, X))


def test_get_names_and_callables():
    assert D.get("cityblock") is D.manhattan
    assert D.get("Euclidean") is D.euclidean
    assert D.get(D.pearson) is D.pearson
    with pytest.raises(ValueError, match="Could not interpret distance identifier"):
        D.get("mahalanobis")


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="different lengths: 3 != 2"):
        D.euclidean([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="non-empty"):
        D.manhattan([], [])
    with pytest.raises(TypeError, match="numeric"):
        D.cosine_similarity(["a", "b"], [1, 2])
    with pytest.raises(ValueError, match=r"p=-1"):
        D.minkowski([1, 2], [3, 4], p=-1)
    with pytest.raises(ValueError, match="p"):
        D.minkowski([1, 2], [3, 4], p=0)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        D.kl_divergence([1.5, -0.5], [0.5, 0.5])
    with pytest.raises(ValueError, match="sum to 1"):
        D.kl_divergence([0.2, 0.2], [0.5, 0.5])
    with pytest.raises(ValueError, match="different lengths"):
        D.hamming("abc", "ab")
    with pytest.raises(ValueError, match="2-D"):
        D.pairwise(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        D.euclidean([np.nan, 1], [1, 1])
