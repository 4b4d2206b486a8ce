"""nerve.metrics curves, AUC, average precision and mAP against scikit-learn, ties included."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from nerve import metrics as nm
from nerve.metrics import UndefinedMetricWarning


def _binary(seed, n=100, tied=False):
    g = np.random.default_rng(seed)
    y = g.integers(0, 2, n)
    # Tied scores: only 5 distinct values, so most thresholds hold several samples.
    s = g.integers(0, 5, n) / 4 if tied else g.random(n)
    return y, s


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_roc_curve_matches_sklearn(seed, tied):
    y, s = _binary(seed, tied=tied)
    for drop in (True, False):
        for a, b in zip(nm.roc_curve(y, s, drop_intermediate=drop), skm.roc_curve(y, s, drop_intermediate=drop)):
            np.testing.assert_allclose(a, b)
    assert nm.roc_auc_score(y, s) == pytest.approx(skm.roc_auc_score(y, s))


@pytest.mark.parametrize("tied", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_precision_recall_curve_and_ap_match_sklearn(seed, tied):
    y, s = _binary(seed, tied=tied)
    for drop in (False, True):
        ours = nm.precision_recall_curve(y, s, drop_intermediate=drop)
        ref = skm.precision_recall_curve(y, s, drop_intermediate=drop)
        for a, b in zip(ours, ref):
            np.testing.assert_allclose(a, b)
    assert nm.average_precision_score(y, s) == pytest.approx(skm.average_precision_score(y, s))


def test_known_small_example_with_a_tie():
    y = [0, 0, 1, 1]
    s = [0.1, 0.4, 0.4, 0.8]  # the tie at 0.4 is one threshold: one diagonal step on the ROC curve
    fpr, tpr, thr = nm.roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 1, 1])
    np.testing.assert_allclose(thr, [np.inf, 0.8, 0.4, 0.1])
    assert nm.roc_auc_score(y, s) == 0.875


def test_pos_label_and_string_labels():
    y = np.array(["spam", "ham", "spam", "ham", "spam"])
    s = np.array([0.9, 0.2, 0.6, 0.7, 0.3])
    for a, b in zip(nm.roc_curve(y, s, pos_label="spam"), skm.roc_curve(y, s, pos_label="spam")):
        np.testing.assert_allclose(a, b)
    assert nm.roc_auc_score(y, s) == pytest.approx(skm.roc_auc_score(y, s))  # positive = greater label
    assert nm.average_precision_score(y, s, pos_label="spam") == pytest.approx(
        skm.average_precision_score(y, s, pos_label="spam")
    )
    with pytest.raises(ValueError, match="pos_label"):
        nm.roc_curve(y, s)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_multilabel_auc_and_ap_match_sklearn(average):
    g = np.random.default_rng(11)
    y = g.integers(0, 2, (80, 4))
    s = np.round(g.random((80, 4)), 1)  # rounded: ties
    np.testing.assert_allclose(nm.roc_auc_score(y, s, average=average), skm.roc_auc_score(y, s, average=average))
    np.testing.assert_allclose(
        nm.average_precision_score(y, s, average=average), skm.average_precision_score(y, s, average=average)
    )


@pytest.mark.parametrize("multi_class,average", [("ovr", "macro"), ("ovr", "weighted"), ("ovo", "macro"),
                                                 ("ovo", "weighted")])
def test_multiclass_auc_matches_sklearn(multi_class, average):
    g = np.random.default_rng(5)
    y = g.integers(0, 4, 120)
    p = g.random((120, 4)) + np.eye(4)[y] * 0.5
    p /= p.sum(axis=1, keepdims=True)
    assert nm.roc_auc_score(y, p, multi_class=multi_class, average=average) == pytest.approx(
        skm.roc_auc_score(y, p, multi_class=multi_class, average=average)
    )
    assert nm.average_precision_score(y, p) == pytest.approx(skm.average_precision_score(y, p))
    with pytest.raises(ValueError, match="multi_class"):
        nm.roc_auc_score(y, p)


def test_mean_average_precision_is_mean_of_per_class_ap():
    g = np.random.default_rng(2)
    y = g.integers(0, 3, 90)
    s = g.random((90, 3))
    onehot = np.eye(3)[y]
    expected = np.mean([skm.average_precision_score(onehot[:, c], s[:, c]) for c in range(3)])
    assert nm.mean_average_precision(onehot, s) == pytest.approx(expected)
    assert nm.mean_average_precision(y, s) == pytest.approx(expected)
    assert nm.mean_average_precision(y.astype(float), s) == pytest.approx(expected)


def test_auc_trapezoid_and_direction():
    assert nm.auc([0, 1, 2], [0, 1, 1]) == 1.5
    assert nm.auc([2, 1, 0], [1, 1, 0]) == 1.5
    with pytest.raises(ValueError, match="neither increasing nor decreasing"):
        nm.auc([0, 2, 1], [0, 1, 1])


def test_single_class_gives_zero_with_warning_never_nan():
    with pytest.warns(UndefinedMetricWarning, match="Only one class"):
        assert nm.roc_auc_score([1, 1, 1], [0.2, 0.5, 0.9]) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="false positive rate"):
        fpr, tpr, _ = nm.roc_curve([1, 1, 1], [0.2, 0.5, 0.9])
    assert np.isfinite(fpr).all() and np.isfinite(tpr).all()
    with pytest.warns(UndefinedMetricWarning, match="recall"):
        precision, recall, _ = nm.precision_recall_curve([0, 0, 0], [0.2, 0.5, 0.9])
    assert np.isfinite(recall).all() and np.isfinite(precision).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert nm.average_precision_score([0, 0, 0], [0.2, 0.5, 0.9]) == 0.0
        assert nm.mean_average_precision(np.array([[1, 0], [1, 0]]), np.array([[0.9, 0.1], [0.6, 0.4]])) == 0.5


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="different lengths: 3 != 2"):
        nm.roc_curve([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="empty"):
        nm.roc_auc_score([], [])
    with pytest.raises(TypeError, match="numeric"):
        nm.average_precision_score([0, 1], ["a", "b"])
    with pytest.raises(ValueError, match="NaN"):
        nm.roc_curve([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="3 classes"):
        nm.roc_auc_score([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="sum to 1"):
        nm.roc_auc_score([0, 1, 2], np.ones((3, 3)), multi_class="ovr")
    with pytest.raises(ValueError, match="only 0 and 1"):
        nm.mean_average_precision(np.full((2, 2), 2), np.ones((2, 2)))
