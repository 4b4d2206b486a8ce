"""Metrics on hard predictions, with scikit-learn's names and semantics: accuracy, precision, recall, F1,
the confusion matrix, the classification report and the rates TPR / FPR."""

from __future__ import annotations

import numpy as np

from ..validation import Boolean, Integral, Interval, Options, Real, validate_params
from ._checks import ZERO_DIVISION, as_label_pair, divide, index_in

__all__ = [
    "accuracy_score",
    "confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "f1_score",
    "true_positive_rate",
    "false_positive_rate",
    "classification_report",
]

_AVERAGES = (None, "binary", "micro", "macro", "weighted")
_AVERAGE_ARGS = {"average": [Options(_AVERAGES)], "zero_division": ZERO_DIVISION}


@validate_params({"normalize": [Boolean]})
def accuracy_score(y_true, y_pred, *, normalize: bool = True) -> float:
    """Fraction (``normalize=False``: number) of samples whose predicted label equals the true one."""
    y_true, y_pred, _ = as_label_pair(y_true, y_pred, "accuracy_score")
    correct = y_true == y_pred
    return float(correct.mean()) if normalize else float(correct.sum())


def _labels_or_present(labels, present: np.ndarray, where: str) -> np.ndarray:
    """The user's ``labels`` (validated: 1-D, non-empty, unique) or the labels present in the data."""
    if labels is None:
        return present
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"{where}: `labels` must be a non-empty 1-D list, got shape {labels.shape}")
    if np.unique(labels).size != labels.size:
        raise ValueError(f"{where}: `labels` contains duplicates: {labels.tolist()}")
    return labels


@validate_params({"normalize": [Options((None, "true", "pred", "all"))]})
def confusion_matrix(y_true, y_pred, *, labels=None, normalize: str | None = None) -> np.ndarray:
    """Matrix C with C[i, j] = number of samples of true class labels[i] predicted as labels[j].

    Samples whose true or predicted label is not in ``labels`` are left out. ``normalize`` = "true", "pred"
    or "all" divides by row sums, column sums or the total (empty rows/columns give 0, never NaN).
    """
    y_true, y_pred, present = as_label_pair(y_true, y_pred, "confusion_matrix")
    labels = _labels_or_present(labels, present, "confusion_matrix")
    n = labels.size
    ti, pi = index_in(labels, y_true), index_in(labels, y_pred)
    keep = (ti >= 0) & (pi >= 0)
    cm = np.bincount(ti[keep] * n + pi[keep], minlength=n * n).reshape(n, n)
    if normalize is None:
        return cm
    if normalize == "true":
        den = cm.sum(axis=1, keepdims=True)
    elif normalize == "pred":
        den = cm.sum(axis=0, keepdims=True)
    else:
        den = cm.sum()
    return divide(cm, np.broadcast_to(den, cm.shape), 0, "", warn=False)


def _counts(y_true, y_pred, labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per label: true positives, predicted count and true count (support)."""
    n = labels.size
    ti, pi = index_in(labels, y_true), index_in(labels, y_pred)
    tp = np.bincount(ti[(ti == pi) & (ti >= 0)], minlength=n)
    return tp, np.bincount(pi[pi >= 0], minlength=n), np.bincount(ti[ti >= 0], minlength=n)


def _binary_labels(present: np.ndarray, pos_label, where: str) -> np.ndarray:
    """[pos_label] for ``average="binary"``, after checking the data really is binary."""
    if present.size > 2:
        raise ValueError(
            f"{where}: the targets hold {present.size} classes but average='binary'; "
            "choose average=None, 'micro', 'macro' or 'weighted'"
        )
    if pos_label not in present.tolist() and present.size == 2:
        raise ValueError(
            f"{where}: pos_label={pos_label!r} is not a valid label; expected one of {present.tolist()}"
        )
    return np.asarray([pos_label])


@validate_params({"beta": [Interval(Real, 0, None)], **_AVERAGE_ARGS})
def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    beta: float = 1.0,
    labels=None,
    pos_label=1,
    average: str | None = None,
    zero_division="warn",
    _warn_for=("precision", "recall", "f-score"),
) -> tuple:
    """Precision, recall, F-beta and support per label (``average=None``) or averaged.

    ``average``: None (arrays per label), "binary" (``pos_label`` only), "micro" (global counts), "macro"
    (unweighted mean over labels) or "weighted" (mean weighted by support; support is None when averaged).
    A zero denominator gives ``zero_division`` (0 with an :class:`UndefinedMetricWarning` for "warn").
    """
    where = "precision_recall_fscore_support"
    y_true, y_pred, present = as_label_pair(y_true, y_pred, where)
    if average == "binary":
        labels = _binary_labels(present, pos_label, where)
    else:
        labels = _labels_or_present(labels, present, where)
    tp, pred_sum, true_sum = _counts(y_true, y_pred, labels)
    if average == "micro":
        tp, pred_sum, true_sum = (c.sum(keepdims=True) for c in (tp, pred_sum, true_sum))
    label_word = "is ill-defined and being set to 0.0 " + ("due to" if tp.size == 1 else "in labels with")
    precision = divide(tp, pred_sum, zero_division, f"Precision {label_word} no predicted samples.",
                        warn="precision" in _warn_for)
    recall = divide(tp, true_sum, zero_division, f"Recall {label_word} no true samples.",
                     warn="recall" in _warn_for)
    # F_beta = (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp), written with the sums so 0/0 is caught once.
    beta2 = float(beta) ** 2
    f_score = divide(
        (1 + beta2) * tp, beta2 * true_sum + pred_sum, zero_division,
        f"F-score {label_word} no true nor predicted samples.",
        warn="f-score" in _warn_for,
    )
    if average is None:
        return precision, recall, f_score, true_sum
    weights = true_sum if average == "weighted" and true_sum.sum() > 0 else None
    return (
        float(np.average(precision, weights=weights)),
        float(np.average(recall, weights=weights)),
        float(np.average(f_score, weights=weights)),
        None,
    )


@validate_params(_AVERAGE_ARGS)
def precision_score(
    y_true, y_pred, *, labels=None, pos_label=1, average: str | None = "binary", zero_division="warn"
) -> float | np.ndarray:
    """TP / (TP + FP): the fraction of predicted positives that are right."""
    p, _, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division,
        _warn_for=("precision",),
    )
    return p


@validate_params(_AVERAGE_ARGS)
def recall_score(
    y_true, y_pred, *, labels=None, pos_label=1, average: str | None = "binary", zero_division="warn"
) -> float | np.ndarray:
    """TP / (TP + FN): the fraction of true positives that are found."""
    _, r, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division,
        _warn_for=("recall",),
    )
    return r


@validate_params(_AVERAGE_ARGS)
def f1_score(
    y_true, y_pred, *, labels=None, pos_label=1, average: str | None = "binary", zero_division="warn"
) -> float | np.ndarray:
    """2 * precision * recall / (precision + recall) = 2 TP / (2 TP + FP + FN)."""
    _, _, f, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average, zero_division=zero_division,
        _warn_for=("f-score",),
    )
    return f


@validate_params({"zero_division": ZERO_DIVISION})
def true_positive_rate(y_true, y_pred, *, pos_label=1, zero_division="warn") -> float:
    """TPR = TP / (TP + FN), ``pos_label`` against every other label (the recall of ``pos_label``)."""
    y_true, y_pred, _ = as_label_pair(y_true, y_pred, "true_positive_rate")
    positive = y_true == pos_label
    tp = np.count_nonzero(positive & (y_pred == pos_label))
    return float(divide(tp, np.count_nonzero(positive), zero_division,
                         "True positive rate is ill-defined and being set to 0.0 due to no true positives."))


@validate_params({"zero_division": ZERO_DIVISION})
def false_positive_rate(y_true, y_pred, *, pos_label=1, zero_division="warn") -> float:
    """FPR = FP / (FP + TN), ``pos_label`` against every other label."""
    y_true, y_pred, _ = as_label_pair(y_true, y_pred, "false_positive_rate")
    negative = y_true != pos_label
    fp = np.count_nonzero(negative & (y_pred == pos_label))
    return float(divide(fp, np.count_nonzero(negative), zero_division,
                         "False positive rate is ill-defined and being set to 0.0 due to no true negatives."))


@validate_params({"digits": [Interval(Integral, 0, None)], "output_dict": [Boolean], "zero_division": ZERO_DIVISION})
def classification_report(
    y_true, y_pred, *, labels=None, target_names=None, digits: int = 2, output_dict: bool = False,
    zero_division="warn",
) -> str | dict:
    """Text table (or dict) of precision, recall, F1 and support per class plus accuracy and averages,
    laid out exactly like scikit-learn's."""
    where = "classification_report"
    y_true, y_pred, present = as_label_pair(y_true, y_pred, where)
    labels_given = labels is not None
    labels = _labels_or_present(labels, present, where)
    micro_is_accuracy = not labels_given or set(labels.tolist()) >= set(present.tolist())
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    elif len(target_names) != labels.size:
        raise ValueError(
            f"{where}: {labels.size} classes but {len(target_names)} target_names; pass `labels` to pick them"
        )
    headers = ["precision", "recall", "f1-score", "support"]
    p, r, f1, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=zero_division
    )
    rows = list(zip(target_names, p, r, f1, s))
    averages = {}
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        avg_p, avg_r, avg_f1, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=zero_division
        )
        averages[heading] = [avg_p, avg_r, avg_f1, int(np.sum(s))]
    if output_dict:
        report = {name: dict(zip(headers, map(float, row))) for name, *row in rows}
        for heading, avg in averages.items():
            report[heading] = avg[0] if heading == "accuracy" else dict(zip(headers, map(float, avg)))
        return report
    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    text = ("{:>{width}s} " + " {:>9}" * 4).format("", *headers, width=width) + "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    for row in rows:
        text += row_fmt.format(*row, width=width, digits=digits)
    text += "\n"
    for heading, avg in averages.items():
        if heading == "accuracy":
            fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            text += fmt.format(heading, "", "", *avg[2:], width=width, digits=digits)
        else:
            text += row_fmt.format(heading, *avg, width=width, digits=digits)
    return text
