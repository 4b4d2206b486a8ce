"""Metrics on scores, with scikit-learn's names and semantics: ROC and precision-recall curves, AUC,
average precision and mAP. Tied scores form one threshold, as in scikit-learn."""

from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np

from ..validation import Options, validate_params
from ._checks import UndefinedMetricWarning, as_labels, as_scores, index_in, same_length

__all__ = [
    "auc",
    "roc_curve",
    "precision_recall_curve",
    "roc_auc_score",
    "average_precision_score",
    "mean_average_precision",
]


_AVERAGE = Options((None, "micro", "macro", "weighted"))


def auc(x, y) -> float:
    """Area under the curve through the points (x, y) by the trapezoidal rule; x must be monotonic."""
    x = as_scores(x, "auc", name="x")
    y = as_scores(y, "auc", name="y")
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"auc: x and y need the same length >= 2, got {x.shape} and {y.shape}")
    dx = np.diff(x)
    if np.any(dx < 0) and not np.all(dx <= 0):
        raise ValueError("auc: x is neither increasing nor decreasing")
    direction = -1.0 if np.any(dx < 0) else 1.0
    return float(direction * np.sum(dx * (y[1:] + y[:-1]) / 2))


def _positive_mask(y_true, pos_label, where: str) -> np.ndarray:
    """Boolean "is positive" per sample; without ``pos_label`` the labels must be {0, 1} or {-1, 1}."""
    y_true = as_labels(y_true, "y_true", where)
    if pos_label is None:
        classes = np.unique(y_true)
        numeric = y_true.dtype.kind in "biuf"
        if not numeric or not (set(classes.tolist()) <= {0, 1} or set(classes.tolist()) <= {-1, 1}):
            raise ValueError(
                f"{where}: y_true takes the values {classes.tolist()}; pass `pos_label` to name the positive"
            )
        pos_label = 1
    return y_true == pos_label


def _counts_at_thresholds(y_true, y_score, pos_label, where: str):
    """False and true positive counts when predicting positive for score >= each distinct score."""
    positive = _positive_mask(y_true, pos_label, where)
    y_score = as_scores(y_score, where)
    same_length(positive, y_score, "y_true and y_score", where)
    order = np.argsort(-y_score, kind="stable")
    y_score, positive = y_score[order], positive[order]
    # NOTE: a run of tied scores is one threshold: keep only the last index of each run.
    last = np.r_[np.flatnonzero(np.diff(y_score)), y_score.size - 1]
    tps = np.cumsum(positive, dtype=np.float64)[last]
    fps = 1.0 + last - tps
    return fps, tps, y_score[last]


def roc_curve(
    y_true, y_score, *, pos_label=None, drop_intermediate: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds) of the ROC curve; thresholds decrease from inf, so the curve starts at (0, 0).

    Without negatives (or positives) the FPR (or TPR) is undefined: it is set to 0 with an
    :class:`UndefinedMetricWarning` (scikit-learn gives NaN).
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, "roc_curve")
    if drop_intermediate and fps.size > 2:
        # Drop points collinear with their neighbours (zero second difference): they add nothing to the curve.
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps, thresholds = np.r_[0.0, fps], np.r_[0.0, tps], np.r_[np.inf, thresholds]
    fpr = _rate(fps, "No negative samples in y_true: the false positive rate is undefined and set to 0.")
    tpr = _rate(tps, "No positive samples in y_true: the true positive rate is undefined and set to 0.")
    return fpr, tpr, thresholds


def _rate(counts: np.ndarray, message: str) -> np.ndarray:
    """counts / counts[-1], or zeros with a warning when the total is 0."""
    if counts[-1] <= 0:
        warnings.warn(message, UndefinedMetricWarning, stacklevel=3)
        return np.zeros_like(counts)
    return counts / counts[-1]


def precision_recall_curve(
    y_true, y_score, *, pos_label=None, drop_intermediate: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(precision, recall, thresholds) with increasing thresholds; the last point is (precision 1, recall 0).

    Without positives in ``y_true`` the recall is undefined: it is set to 0 with an
    :class:`UndefinedMetricWarning` (scikit-learn uses 1; the average precision is 0 either way).
    """
    fps, tps, thresholds = _counts_at_thresholds(y_true, y_score, pos_label, "precision_recall_curve")
    if drop_intermediate and fps.size > 2:
        # Keep only the first and last point of each run of equal tps (equal recall: a vertical segment).
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    precision = tps / (tps + fps)  # tps + fps >= 1 at every threshold
    recall = _rate(tps, "No positive samples in y_true: the recall is undefined and set to 0.")
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def _binary_average_precision(y_true, y_score, pos_label) -> float:
    """AP = sum over thresholds of (R_n - R_{n-1}) * P_n (no interpolation, as scikit-learn)."""
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label)
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def _binary_roc_auc(y_true, y_score, pos_label=None) -> float:
    """ROC AUC of one binary problem; 0 with a warning when y_true holds a single class."""
    if np.unique(y_true).size != 2:
        warnings.warn(
            "Only one class is present in y_true: ROC AUC is undefined and set to 0.", UndefinedMetricWarning,
            stacklevel=3,
        )
        return 0.0
    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label)
    return auc(fpr, tpr)


def _average_columns(metric, y_true: np.ndarray, y_score: np.ndarray, average, where: str):
    """Apply a binary ``metric`` to each column of indicator targets and average like scikit-learn."""
    if y_true.shape != y_score.shape:
        raise ValueError(f"{where}: y_true {y_true.shape} and y_score {y_score.shape} differ in shape")
    if average == "micro":
        return metric(y_true.ravel(), y_score.ravel(), 1)
    weights = None
    if average == "weighted":
        weights = y_true.sum(axis=0)
        if weights.sum() == 0:
            return 0.0
    scores = np.array([metric(y_true[:, c], y_score[:, c], 1) for c in range(y_true.shape[1])])
    if average is None:
        return scores
    if weights is not None:
        scores[weights == 0] = 0.0
    return float(np.average(scores, weights=weights))


def _as_indicator(y_true, where: str) -> np.ndarray:
    """2-D 0/1 targets (multilabel or one-hot rows) as an int array."""
    try:
        y = np.asarray(y_true, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{where}: 2-D `y_true` must hold 0/1 indicators ({e})") from None
    if y.size == 0 or not np.isin(y, (0, 1)).all():
        raise ValueError(f"{where}: 2-D `y_true` must be non-empty and hold only 0 and 1")
    return y.astype(np.int64)


def _encode_multiclass(y_true, y_score: np.ndarray, labels, where: str):
    """1-D multiclass labels -> (indices into ``labels``, one-hot targets), checked against y_score."""
    labels = np.unique(y_true) if labels is None else np.asarray(labels)
    if y_score.shape[1] != labels.size:
        raise ValueError(
            f"{where}: y_score has {y_score.shape[1]} columns for {labels.size} classes {labels.tolist()}"
        )
    index = index_in(labels, y_true)
    if (index < 0).any():
        raise ValueError(f"{where}: y_true holds labels not in {labels.tolist()}")
    return index, np.eye(labels.size, dtype=np.int64)[index]


@validate_params({"average": [_AVERAGE], "multi_class": [Options(("raise", "ovr", "ovo"))]})
def roc_auc_score(
    y_true, y_score, *, average: str | None = "macro", multi_class: str = "raise", labels=None
) -> float | np.ndarray:
    """Area under the ROC curve.

    Binary: 1-D ``y_true`` and 1-D scores of the greater label. Multilabel / one-hot: 2-D ``y_true`` and
    2-D scores, averaged per ``average``. Multiclass: 1-D ``y_true`` and (N, C) probabilities with
    ``multi_class="ovr"`` (one-vs-rest) or ``"ovo"`` (Hand & Till's one-vs-one mean).
    """
    where = "roc_auc_score"
    y_score = as_scores(y_score, where, ndim=(1, 2))
    if np.ndim(y_true) == 2 and np.shape(y_true)[1] > 1:
        return _average_columns(_binary_roc_auc, _as_indicator(y_true, where), y_score, average, where)
    y_true = as_labels(y_true, "y_true", where)
    same_length(y_true, y_score, "y_true and y_score", where)
    classes = np.unique(y_true)
    if y_score.ndim == 1:
        if classes.size > 2:
            raise ValueError(f"{where}: y_true has {classes.size} classes; pass (N, C) scores, multi_class")
        return _binary_roc_auc(y_true, y_score, pos_label=classes[-1])
    if multi_class not in ("ovr", "ovo"):
        raise ValueError(
            f"{where}: 2-D y_score for 1-D y_true needs multi_class='ovr' or 'ovo', got {multi_class!r}"
        )
    if not np.allclose(y_score.sum(axis=1), 1.0):
        raise ValueError(f"{where}: multiclass scores must be probabilities whose rows sum to 1")
    index, onehot = _encode_multiclass(y_true, y_score, labels, where)
    if multi_class == "ovr":
        return _average_columns(_binary_roc_auc, onehot, y_score, average, where)
    if average not in ("macro", "weighted"):
        raise ValueError(f"{where}: multi_class='ovo' takes average='macro' or 'weighted', got {average!r}")
    present = np.unique(index)
    pair_scores, prevalence = [], []
    for a, b in combinations(present, 2):  # loops over class pairs, not samples
        in_pair = (index == a) | (index == b)
        auc_a = _binary_roc_auc(index[in_pair] == a, y_score[in_pair, a], True)
        auc_b = _binary_roc_auc(index[in_pair] == b, y_score[in_pair, b], True)
        pair_scores.append((auc_a + auc_b) / 2)
        prevalence.append(in_pair.mean())
    return float(np.average(pair_scores, weights=prevalence if average == "weighted" else None))


@validate_params({"average": [_AVERAGE]})
def average_precision_score(
    y_true, y_score, *, average: str | None = "macro", pos_label=1
) -> float | np.ndarray:
    """Average precision: the area under the precision-recall step curve, sum_n (R_n - R_{n-1}) P_n.

    Binary 1-D targets use ``pos_label``; 2-D indicator targets, or 1-D multiclass labels with (N, C) scores,
    are scored per class and averaged per ``average``.
    """
    where = "average_precision_score"
    y_score = as_scores(y_score, where, ndim=(1, 2))
    if np.ndim(y_true) == 2 and np.shape(y_true)[1] > 1:
        y_true = _as_indicator(y_true, where)
        return _average_columns(_binary_average_precision, y_true, y_score, average, where)
    y_true = as_labels(y_true, "y_true", where)
    same_length(y_true, y_score, "y_true and y_score", where)
    classes = np.unique(y_true)
    if y_score.ndim == 1:
        if classes.size > 2:
            raise ValueError(f"{where}: y_true has {classes.size} classes; pass (N, C) scores")
        if classes.size == 2 and pos_label not in classes.tolist():
            raise ValueError(
                f"{where}: pos_label={pos_label!r} is not a valid label; expected one of {classes.tolist()}"
            )
        return _binary_average_precision(y_true, y_score, pos_label)
    _, onehot = _encode_multiclass(y_true, y_score, None, where)
    return _average_columns(_binary_average_precision, onehot, y_score, average, where)


def mean_average_precision(y_true, y_score) -> float:
    """mAP: the mean over classes of the average precision (a class without positives counts as 0, warned).

    ``y_true`` is one-hot / multilabel (N, C), or class indices (N,) naming a column of ``y_score``.
    """
    where = "mean_average_precision"
    y_score = as_scores(y_score, where, ndim=(2,))
    if np.ndim(y_true) == 1:
        labels = as_labels(y_true, "y_true", where)
        if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
            labels = labels.astype(np.int64)
        if labels.dtype.kind not in "biu" or labels.min() < 0 or labels.max() >= y_score.shape[1]:
            raise ValueError(f"{where}: 1-D y_true must be class indices in [0, {y_score.shape[1]})")
        y_true = np.eye(y_score.shape[1], dtype=np.int64)[labels]
    else:
        y_true = _as_indicator(y_true, where)
    return _average_columns(_binary_average_precision, y_true, y_score, "macro", where)
