"""Optimizers side by side (seed 001's comparison): paths on the book's loss surface, and one network raced.

``surface_paths`` runs nerve's SGD, Momentum, AdaGrad and Adam on f(x, y) = x²/20 + y² from (-7, 2), with the
book's learning rates, and returns each path and the surface on a grid. ``OptimizerRace`` trains the same
classifier (same data, same initial weights) once per optimizer, a few epochs per request.
"""

from __future__ import annotations

import numpy as np

from .. import optimizers
from . import tasks
from .models import encode_image

__all__ = ["RACERS", "BOOK_RATES", "surface_paths", "OptimizerRace"]

RACERS = ("sgd", "momentum", "adagrad", "adam")
BOOK_RATES = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "adam": 0.3}  # the book's figure 6-8
_X_RANGE, _Y_RANGE, _START = (-10.0, 10.0), (-5.0, 5.0), (-7.0, 2.0)


def _loss(x, y):
    return x * x / 20.0 + y * y


def surface_paths(steps: int = 30, grid: int = 80) -> dict:
    """``{"paths": {name: [[x, y], ...]}, "grid": base64 image of log(1 + f), "x_range", "y_range", "rates"}``."""
    paths = {}
    for name in RACERS:
        opt = optimizers.get(name, lr=BOOK_RATES[name])
        params = {"x": np.array([_START[0]]), "y": np.array([_START[1]])}
        path = [list(_START)]
        for _ in range(steps):
            grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}  # ∂f/∂x = x/10, ∂f/∂y = 2y
            opt.update(params, grads)
            path.append([round(float(params["x"][0]), 5), round(float(params["y"][0]), 5)])
        paths[name] = path
    gx, gy = np.meshgrid(np.linspace(*_X_RANGE, grid), np.linspace(*_Y_RANGE, grid)[::-1])
    height = np.log1p(_loss(gx, gy))
    return {"paths": paths, "grid": encode_image(height / height.max(), signed=False), "grid_size": grid,
            "x_range": _X_RANGE, "y_range": _Y_RANGE, "rates": BOOK_RATES, "function": "f(x, y) = x²/20 + y²"}


class OptimizerRace:
    """One classifier configuration trained by each optimizer in ``RACERS`` (same data and initial weights)."""

    def __init__(self, config: dict, make_task):
        self.config = config
        self.tasks = {name: make_task({**config, "optimizer": name}) for name in RACERS}
        first = self.tasks[RACERS[0]].model
        for task in self.tasks.values():  # identical starting weights: only the optimizer differs
            for key, value in first.params.items():
                task.model.params[key][...] = value
        self.history = {name: [] for name in RACERS}

    def train(self, epochs: int) -> dict:
        """``epochs`` more epochs for every optimizer; their loss curves, accuracies and heat maps."""
        out = {}
        for name, task in self.tasks.items():
            state = task.train(epochs, budget_s=tasks.TIME_BUDGET_S / len(RACERS))  # one request's budget in all
            self.history[name].extend(loss for loss, _ in state["new_losses"])
            out[name] = {"epoch": state["epoch"], "loss": state["loss"], "test_loss": state["test_loss"],
                         "accuracy": state["accuracy"], "heatmap": state["heatmap"], "diverged": state["diverged"],
                         "losses": self.history[name]}
        return {"racers": out, "heatmap_size": state["heatmap_size"], "learning_rate": self.config["learning_rate"]}
