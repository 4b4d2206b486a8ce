"""How good is a classifier: confusion matrix, ROC curve, precision-recall curve."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["plot_confusion_matrix", "plot_roc_curve", "plot_pr_curve"]


def plot_confusion_matrix(cm, class_names=None, normalize: bool = False, title: str = "confusion matrix", path=None):
    """Heat map of ``cm`` (rows: true class, columns: predicted), each cell labelled with its count or rate."""
    cm = np.asarray(cm, dtype=np.float64)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"plot_confusion_matrix: expected a square matrix, got shape {cm.shape}")
    k = cm.shape[0]
    names = [str(c) for c in (class_names if class_names is not None else range(k))]
    if len(names) != k:
        raise ValueError(f"plot_confusion_matrix: {len(names)} class names for a {k}x{k} matrix")
    if normalize:
        totals = cm.sum(axis=1, keepdims=True)
        cm = np.divide(cm, totals, out=np.zeros_like(cm), where=totals > 0)
    size = max(4.0, 0.45 * k + 2)
    fig = new_figure(figsize=(size + 1, size))
    ax = fig.subplots()
    image = ax.imshow(cm, cmap="Blues")
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_xticks(range(k), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(k), names, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    if k <= 20:
        threshold = cm.max() / 2 if cm.size else 0
        for i in range(k):
            for j in range(k):
                text = f"{cm[i, j]:.2f}" if normalize else f"{int(cm[i, j])}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if cm[i, j] > threshold else "black")
    return finish(fig, path)


def _xy(a, b, owner: str) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape or a.size < 2:
        raise ValueError(f"{owner}: expected two curves of equal length >= 2, got {a.shape} and {b.shape}")
    return a, b


def plot_roc_curve(fpr, tpr, auc: float | None = None, label: str | None = None, path=None):
    """TPR against FPR (from ``nerve.metrics.roc_curve``) with the chance diagonal; AUC in the legend."""
    fpr, tpr = _xy(fpr, tpr, "plot_roc_curve")
    fig = new_figure(figsize=(4.5, 4.5))
    ax = fig.subplots()
    text = label or "model"
    ax.plot(fpr, tpr, label=f"{text} (AUC = {auc:.3f})" if auc is not None else text)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title("ROC curve")
    ax.legend(loc="lower right")
    return finish(fig, path)


def plot_pr_curve(precision, recall, average_precision: float | None = None, label: str | None = None, path=None):
    """Precision against recall (from ``nerve.metrics.precision_recall_curve``); AP in the legend."""
    precision, recall = _xy(precision, recall, "plot_pr_curve")
    fig = new_figure(figsize=(4.5, 4.5))
    ax = fig.subplots()
    text = label or "model"
    ax.step(recall, precision, where="post",
            label=f"{text} (AP = {average_precision:.3f})" if average_precision is not None else text)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title("precision-recall curve")
    ax.legend(loc="lower left")
    return finish(fig, path)
