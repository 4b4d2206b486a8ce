"""The book's optimizer comparison: paths of SGD, Momentum, AdaGrad and Adam on f(x, y) = x²/20 + y²."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["elongated_bowl", "optimizer_paths", "plot_optimizer_paths", "BOOK_LEARNING_RATES"]

#: the learning rates of the book's optimizer_compare_naive.py
BOOK_LEARNING_RATES = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "Adam": 0.3}


def elongated_bowl(x: float, y: float) -> float:
    """f(x, y) = x²/20 + y²: flat along x, steep along y."""
    return x**2 / 20.0 + y**2


def _bowl_gradient(x: float, y: float) -> tuple[float, float]:
    return x / 10.0, 2.0 * y


def optimizer_paths(learning_rates: dict | None = None, start=(-7.0, 2.0), steps: int = 30) -> dict[str, np.ndarray]:
    """For each optimizer name -> lr, the (steps + 1, 2) path of nerve's optimizer from ``start``."""
    from .. import optimizers

    paths = {}
    for name, lr in (learning_rates or BOOK_LEARNING_RATES).items():
        opt = optimizers.get(name.lower(), lr=lr)
        params = {"x": np.array(float(start[0])), "y": np.array(float(start[1]))}
        path = [(float(params["x"]), float(params["y"]))]
        for _ in range(steps):
            gx, gy = _bowl_gradient(float(params["x"]), float(params["y"]))
            opt.update(params, {"x": np.array(gx), "y": np.array(gy)})
            path.append((float(params["x"]), float(params["y"])))
        paths[name] = np.array(path)
    return paths


def plot_optimizer_paths(learning_rates: dict | None = None, start=(-7.0, 2.0), steps: int = 30, path=None):
    """Contours of x²/20 + y² and one panel per optimizer's path towards the minimum at (0, 0)."""
    paths = optimizer_paths(learning_rates, start, steps)
    gx, gy = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 100))
    fig = new_figure(figsize=(4 * min(len(paths), 2), 3.2 * -(-len(paths) // 2)))
    axes = fig.subplots(-(-len(paths) // 2), min(len(paths), 2), squeeze=False).ravel()
    for ax, (name, p) in zip(axes, paths.items()):
        ax.contour(gx, gy, elongated_bowl(gx, gy), levels=12, colors="#bbb", linewidths=0.6)
        ax.plot(p[:, 0], p[:, 1], "o-", color="tab:red", markersize=2.5, linewidth=1)
        ax.plot(0, 0, "+", color="k")
        ax.set_title(name)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-5, 5)
    for ax in axes[len(paths):]:
        ax.set_visible(False)
    return finish(fig, path)
