"""Metrics. ``accuracy(y, t)`` and ``get(name)`` serve ``Sequential.compile(metrics=[...])``; the rest follow
scikit-learn's names and semantics (classification scores, curves, AUC, average precision, mAP)."""

from __future__ import annotations

import numpy as np

from ._checks import UndefinedMetricWarning
from .classification import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    false_positive_rate,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    true_positive_rate,
)
from .ranking import (
    auc,
    average_precision_score,
    mean_average_precision,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "accuracy",
    "get",
    "UndefinedMetricWarning",
    "accuracy_score",
    "precision_score",
    "recall_score",
    "f1_score",
    "precision_recall_fscore_support",
    "confusion_matrix",
    "classification_report",
    "true_positive_rate",
    "false_positive_rate",
    "auc",
    "roc_curve",
    "precision_recall_curve",
    "roc_auc_score",
    "average_precision_score",
    "mean_average_precision",
]


def accuracy(y: np.ndarray, t: np.ndarray) -> float:
    """Fraction of rows whose predicted class (argmax of ``y``, or y > 0.5 for one output) equals ``t``.

    ``t`` may be class indices (N,) or one-hot rows (N, C).
    """
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim == 2 and y.shape[1] == 1:
        pred = (y[:, 0] > 0.5).astype(np.int64)
        true = t.reshape(-1)
    else:
        pred = y.argmax(axis=1)
        true = t.argmax(axis=1) if t.ndim == 2 else t
    equal = pred == true
    # NOTE: not np.mean: its Python wrapper costs more than the comparison on a training batch
    return float(np.count_nonzero(equal) / equal.size) if equal.size else float("nan")


_MODEL_METRICS = {"accuracy": accuracy, "acc": accuracy}


def get(identifier):
    """A model metric ``fn(y, t) -> float`` from a name ("accuracy") or a callable."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _MODEL_METRICS:
        return _MODEL_METRICS[identifier.lower()]
    raise ValueError(
        f"Could not interpret metric identifier: {identifier!r}; expected one of {sorted(_MODEL_METRICS)}"
    )
