"""Overfitting (chapter 6): a deep net on few samples learns them by heart; weight decay and dropout narrow the
gap between training and test accuracy."""

from __future__ import annotations

import nerve
from nerve.datasets import load_digits
from nerve.layers import Dense, Dropout, ReLU
from nerve.optimizers import SGD


def _network(dropout: float) -> nerve.Sequential:
    layers = []
    for _ in range(3):
        layers += [Dense(100), ReLU()] + ([Dropout(dropout)] if dropout else [])
    return nerve.Sequential([*layers, Dense(10)], input_shape=(64,))


def main(n_train: int = 100, epochs: int = 150, seed: int = 0) -> dict:
    """Train the same 3x100 ReLU net three ways; returns train/test accuracy and their gap for each."""
    (x, t), (x_test, t_test) = load_digits()
    x, t = x[:n_train], t[:n_train]  # few samples, many parameters: the recipe for overfitting
    results = {}
    for label, l2, dropout in (("plain", 0.0, 0.0), ("weight decay 0.01", 0.01, 0.0), ("dropout 0.2", 0.0, 0.2)):
        nerve.seed(seed)
        model = _network(dropout)
        model.compile(SGD(lr=0.05), "softmax_cross_entropy", metrics=["accuracy"], l2=l2)
        model.fit(x, t, epochs=epochs, batch_size=20, verbose=0)
        train, test = model.evaluate(x, t)["accuracy"], model.evaluate(x_test, t_test)["accuracy"]
        results[label] = {"train": train, "test": test, "gap": train - test}
        print(f"{label:17} train accuracy {train:.3f}, test accuracy {test:.3f}, gap {train - test:.3f}")
    return results


if __name__ == "__main__":
    main()
