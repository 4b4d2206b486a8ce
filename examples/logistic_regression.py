"""Logistic regression by gradient descent (tutorial 003): sigmoid, binary cross-entropy, cost per iteration."""

from __future__ import annotations

from pathlib import Path

from nerve.classic import LogisticRegression
from nerve.datasets import make_blobs, train_test_split


def main(n_samples: int = 300, n_iter: int = 2000, out: str | Path | None = None) -> dict:
    x, y = make_blobs(n_samples, centers=[[-2.0, -1.0], [2.0, 1.5]], cluster_std=1.2, seed=0)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, seed=0)
    model = LogisticRegression(lr=0.05, n_iter=n_iter).fit(x_train, y_train)
    costs = model.history_["loss"]
    for i in (0, n_iter // 10, n_iter // 2, n_iter - 1):
        print(f"iteration {i:5d}: cost {costs[i]:.4f}")
    accuracy = model.score(x_test, y_test)
    print(f"test accuracy: {accuracy:.3f}")

    if out is not None:
        from nerve.plot import plot_decision_boundary, plot_history

        plot_history({"cost": costs}, path=Path(out) / "logistic_cost.png")
        plot_decision_boundary(model, x_test, y_test, path=Path(out) / "logistic_boundary.png")
        print(f"wrote {out}/logistic_cost.png and logistic_boundary.png")
    return {"costs": costs, "accuracy": accuracy}


if __name__ == "__main__":
    main(out="runs/examples")
