"""Decision regions of any classifier of 2-D points."""

from __future__ import annotations

import numpy as np

from ..validation import Integral, Interval, Real, validate_params
from ._figure import finish, new_figure

__all__ = ["plot_decision_boundary"]


def _class_scores(model, grid: np.ndarray) -> np.ndarray:
    """Predicted class of every grid point from a model, an estimator or a function."""
    if hasattr(model, "predict_classes"):
        return np.asarray(model.predict_classes(grid))
    predict = model.predict if hasattr(model, "predict") else model
    if not callable(predict):
        raise TypeError(f"plot_decision_boundary: expected a model or a function, got {type(model).__name__}")
    out = np.asarray(predict(grid))
    if out.ndim == 2 and out.shape[1] > 1:
        return out.argmax(axis=1)
    out = out.reshape(len(grid))
    return (out > 0.5).astype(np.int64) if out.dtype.kind == "f" else out


@validate_params({"resolution": [Interval(Integral, 2, None)], "margin": [Interval(Real, 0, None)]})
def plot_decision_boundary(model, x, y=None, resolution: int = 200, margin: float = 0.5, title: str | None = None,
                           path=None):
    """Colour the plane by predicted class and scatter the points ``x`` (N, 2) coloured by label ``y``.

    ``model`` may be a Sequential (``predict_classes``), an estimator with ``predict`` or a function of an
    (M, 2) array returning classes, probabilities (M,) or scores (M, C).
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: expected points of shape (N, 2), got {x.shape}")
    lo, hi = x.min(axis=0) - margin, x.max(axis=0) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()])  # (resolution², 2)
    classes = _class_scores(model, grid).reshape(g0.shape)
    fig = new_figure(figsize=(5, 4.5))
    ax = fig.subplots()
    ax.contourf(g0, g1, classes, alpha=0.3, cmap="coolwarm", levels=np.arange(classes.max() + 2) - 0.5)
    colours = {"color": "k"} if y is None else {"c": np.asarray(y).reshape(len(x)), "cmap": "coolwarm"}
    ax.scatter(x[:, 0], x[:, 1], edgecolors="k", s=25, **colours)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_title(title or "decision boundary")
    return finish(fig, path)
