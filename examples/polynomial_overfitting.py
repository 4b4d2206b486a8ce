"""Overfitting with a polynomial (seed 002, 4.4): on a few noisy points from a line, a degree-15 polynomial
has a lower training error than the straight line but a much higher validation error; it bends sharply to
pass through the noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nerve.classic import LinearRegression


def powers(x: np.ndarray, degree: int) -> np.ndarray:
    """Features x, x², ..., x^degree of a column of x in [-1, 1] (the regression adds the constant)."""
    return np.stack([x**d for d in range(1, degree + 1)], axis=1)


def main(n_train: int = 20, noise: float = 0.3, seed: int = 0, out: str | Path | None = None) -> dict:
    gen = np.random.default_rng(seed)
    x = np.sort(gen.uniform(-1, 1, n_train))
    x_val = np.sort(gen.uniform(-1, 1, 200))
    line = lambda v: 2.0 * v + 1.0  # noqa: E731  (the truth the noisy points come from)
    y, y_val = line(x) + noise * gen.standard_normal(n_train), line(x_val) + noise * gen.standard_normal(200)
    results, models = {}, {}
    for degree in (1, 15):
        model = LinearRegression(solver="normal").fit(powers(x, degree), y)
        mse = {name: float(np.mean((model.predict(powers(a, degree)) - b) ** 2))
               for name, (a, b) in (("train", (x, y)), ("validation", (x_val, y_val)))}
        results[degree], models[degree] = mse, model
        print(f"degree {degree:2}: training MSE {mse['train']:.4f}, validation MSE {mse['validation']:.4f}")
    if out is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        grid = np.linspace(-1, 1, 400)
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.scatter(x, y, color="k", s=15, label="training points")
        ax.plot(grid, models[1].predict(powers(grid, 1)), color="tab:orange", label="linear model")
        ax.plot(grid, models[15].predict(powers(grid, 15)), "--", color="tab:green", label="degree-15 polynomial")
        ax.set_ylim(y.min() - 1.5, y.max() + 1.5)
        ax.legend()
        Path(out).mkdir(parents=True, exist_ok=True)
        fig.savefig(Path(out) / "polynomial_overfitting.png", dpi=80)
        plt.close(fig)
    return results


if __name__ == "__main__":
    main(out="runs/examples")
