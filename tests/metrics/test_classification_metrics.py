"""nerve.metrics classification scores against scikit-learn, plus the tutorial's worked example."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from nerve import metrics as nm
from nerve.metrics import UndefinedMetricWarning


def _labels(seed, n=200, k=3):
    g = np.random.default_rng(seed)
    return g.integers(0, k, n), g.integers(0, k, n)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.mark.parametrize("seed", range(5))
def test_binary_scores_match_sklearn(seed):
    y_true, y_pred = _labels(seed, k=2)
    for name in ("precision_score", "recall_score", "f1_score"):
        assert getattr(nm, name)(y_true, y_pred) == pytest.approx(getattr(skm, name)(y_true, y_pred))
        assert getattr(nm, name)(y_true, y_pred, pos_label=0) == pytest.approx(
            getattr(skm, name)(y_true, y_pred, pos_label=0)
        )
    assert nm.accuracy_score(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    assert nm.accuracy_score(y_true, y_pred, normalize=False) == skm.accuracy_score(y_true, y_pred, normalize=False)


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("seed", range(4))
def test_multiclass_averages_match_sklearn(average, seed):
    y_true, y_pred = _labels(seed, n=60, k=5)
    for name in ("precision_score", "recall_score", "f1_score"):
        ours = _quiet(getattr(nm, name), y_true, y_pred, average=average)
        ref = _quiet(getattr(skm, name), y_true, y_pred, average=average)
        np.testing.assert_allclose(ours, ref, atol=1e-12)


def test_string_labels_and_explicit_labels_match_sklearn():
    y_true = np.array(["cat", "dog", "pig", "cat", "dog", "pig"])
    y_pred = np.array(["cat", "pig", "dog", "cat", "cat", "dog"])
    labels = ["pig", "dog", "cat"]
    ours = nm.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None)
    ref = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None)
    for a, b in zip(ours, ref):
        np.testing.assert_allclose(a, b)
    # A subset of labels for the micro average, as scikit-learn.
    assert nm.f1_score(y_true, y_pred, labels=["cat"], average="micro") == pytest.approx(
        skm.f1_score(y_true, y_pred, labels=["cat"], average="micro")
    )


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
def test_confusion_matrix_matches_sklearn(normalize):
    y_true, y_pred = _labels(7, n=50, k=4)
    np.testing.assert_allclose(
        nm.confusion_matrix(y_true, y_pred, normalize=normalize),
        skm.confusion_matrix(y_true, y_pred, normalize=normalize),
    )
    labels = [3, 1, 9]  # reordered, with one label absent: its row and column are zero
    np.testing.assert_array_equal(
        nm.confusion_matrix(y_true, y_pred, labels=labels), skm.confusion_matrix(y_true, y_pred, labels=labels)
    )


def test_confusion_matrix_normalize_with_empty_row_gives_zero_not_nan():
    cm = nm.confusion_matrix([0, 0, 1], [0, 1, 1], labels=[0, 1, 2], normalize="true")
    assert np.isfinite(cm).all() and cm[2].sum() == 0


def test_no_predicted_positives_gives_zero_with_warning():
    y_true, y_pred = [1, 1, 0, 0], [0, 0, 0, 0]
    with pytest.warns(UndefinedMetricWarning, match="Precision"):
        assert nm.precision_score(y_true, y_pred) == 0.0
    with pytest.warns(UndefinedMetricWarning, match="F-score"):
        assert nm.f1_score([0, 0], [0, 0]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nm.precision_score(y_true, y_pred, zero_division=1) == 1.0
        assert nm.f1_score(y_true, y_pred) == 0.0  # recall is 0/2, defined: no warning, like scikit-learn


def test_single_class_recall_is_zero_with_warning_like_sklearn():
    with pytest.warns(UndefinedMetricWarning, match="Recall"):
        ours = nm.recall_score([0, 0, 0], [0, 1, 0])
    assert ours == _quiet(skm.recall_score, [0, 0, 0], [0, 1, 0]) == 0.0


def test_zero_division_per_label_matches_sklearn():
    y_true, y_pred = [0, 1, 2, 2], [0, 0, 0, 2]
    for zd in ("warn", 0, 1):
        for average in (None, "macro", "weighted", "micro"):
            np.testing.assert_allclose(
                _quiet(nm.precision_score, y_true, y_pred, average=average, zero_division=zd),
                _quiet(skm.precision_score, y_true, y_pred, average=average, zero_division=zd),
            )


def test_rates_from_the_confusion_counts():
    y_true = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    y_pred = np.array([1, 0, 1, 1, 0, 0, 0, 1])
    tn, fp, fn, tp = skm.confusion_matrix(y_true, y_pred).ravel()
    assert nm.true_positive_rate(y_true, y_pred) == tp / (tp + fn) == 0.75
    assert nm.false_positive_rate(y_true, y_pred) == fp / (fp + tn) == 0.25
    with pytest.warns(UndefinedMetricWarning):
        assert nm.false_positive_rate([1, 1], [1, 0]) == 0.0


def test_tutorial_detection_example():
    # 002: 100 objects, 80 found correctly, 4 wrong detections, 20 missed: precision 95.2 %, recall 80 %.
    y_true = np.r_[np.ones(80), np.zeros(4), np.ones(20)]
    y_pred = np.r_[np.ones(80), np.ones(4), np.zeros(20)]
    assert round(nm.precision_score(y_true, y_pred) * 100, 1) == 95.2
    assert nm.recall_score(y_true, y_pred) == 0.8


@pytest.mark.parametrize("digits", [2, 4])
def test_classification_report_text_and_dict_match_sklearn(digits):
    y_true, y_pred = _labels(3, n=40, k=3)
    names = ["setosa", "versicolor", "virginica"]
    assert nm.classification_report(y_true, y_pred, target_names=names, digits=digits) == (
        skm.classification_report(y_true, y_pred, target_names=names, digits=digits)
    )
    ours = nm.classification_report(y_true, y_pred, output_dict=True)
    ref = skm.classification_report(y_true, y_pred, output_dict=True)
    assert ours.keys() == ref.keys()
    for key in ref:
        if key == "accuracy":
            assert ours[key] == pytest.approx(ref[key])
        else:
            assert ours[key] == pytest.approx(ref[key])
    subset = nm.classification_report(y_true, y_pred, labels=[0, 1])
    assert subset == skm.classification_report(y_true, y_pred, labels=[0, 1]) and "micro avg" in subset


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="different lengths: 3 != 2"):
        nm.accuracy_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        nm.precision_score([], [])
    with pytest.raises(ValueError, match="3 classes but average='binary'"):
        nm.f1_score([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="pos_label=5"):
        nm.recall_score([0, 1], [1, 1], pos_label=5)
    with pytest.raises(ValueError, match="1-D class labels"):
        nm.accuracy_score(np.eye(3), np.eye(3))
    with pytest.raises(TypeError, match="mix label types"):
        nm.accuracy_score(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="average"):
        nm.precision_score([0, 1], [0, 1], average="sample")
    with pytest.raises(ValueError, match="zero_division"):
        nm.precision_score([0, 1], [0, 1], zero_division=2)


def test_model_metric_accuracy_and_get_unchanged():
    y = np.array([[0.1, 0.9], [0.8, 0.2]])
    assert nm.accuracy(y, np.array([1, 1])) == 0.5
    # a Python float: logs, History and the sweep's results.csv print it (np.float64 prints as "np.float64(0.5)")
    assert type(nm.accuracy(y, np.array([1, 1]))) is float
    assert type(nm.accuracy(np.array([[0.7], [0.2]]), np.array([1, 1]))) is float
    assert nm.get("acc") is nm.accuracy
