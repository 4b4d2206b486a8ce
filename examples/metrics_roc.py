"""Evaluation metrics (tutorial 002): accuracy, precision, recall, F1, FPR/TPR, and the ROC and P-R curves."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nerve import metrics
from nerve.classic import LogisticRegression
from nerve.datasets import make_moons, train_test_split


def main(out: str | Path | None = None) -> dict:
    # the tutorial's detector: 100 objects, 84 detections of which 80 are right, 20 objects missed
    tp, fp, fn = 80, 4, 20
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"precision = 80 / (80 + 4) = {precision:.3f}, recall = 80 / (80 + 20) = {recall:.3f}")  # 0.952, 0.8

    # the same formulas from labels: a logistic regression on two moons
    x, y = make_moons(400, noise=0.25, seed=0)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.5, seed=0)
    model = LogisticRegression(lr=0.5, n_iter=500).fit(x_train, y_train)
    pred, score = model.predict(x_test), model.predict_proba(x_test)[:, 1]
    results = {
        "accuracy": metrics.accuracy_score(y_test, pred), "precision": metrics.precision_score(y_test, pred),
        "recall": metrics.recall_score(y_test, pred), "f1": metrics.f1_score(y_test, pred),
        "fpr": metrics.false_positive_rate(y_test, pred), "tpr": metrics.true_positive_rate(y_test, pred),
        "roc_auc": metrics.roc_auc_score(y_test, score),
        "average_precision": metrics.average_precision_score(y_test, score),
    }
    for name, value in results.items():
        print(f"{name:18}{value:.3f}")
    print(metrics.confusion_matrix(y_test, pred))

    if out is not None:
        from nerve.plot import plot_pr_curve, plot_roc_curve

        fpr, tpr, _ = metrics.roc_curve(y_test, score)
        prec, rec, _ = metrics.precision_recall_curve(y_test, score)
        plot_roc_curve(fpr, tpr, auc=results["roc_auc"], path=Path(out) / "roc.png")
        plot_pr_curve(prec, rec, average_precision=results["average_precision"], path=Path(out) / "pr.png")
        print(f"wrote {out}/roc.png and pr.png")
    return {"tutorial_precision": precision, "tutorial_recall": recall, **results,
            "y_test": np.asarray(y_test), "score": score}


if __name__ == "__main__":
    main(out="runs/examples")
