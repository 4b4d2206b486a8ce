"""The book's numerical-differentiation pictures: a function with its tangent, and a gradient field."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["tangent_line", "plot_tangent", "plot_gradient_field", "sum_of_squares"]


def sum_of_squares(x: np.ndarray) -> float:
    """f(x0, x1) = x0² + x1² (the book's ``function_2``)."""
    return float(np.sum(np.asarray(x) ** 2))


def tangent_line(f, x0: float):
    """(slope, line) where line(x) = f(x0) + f'(x0)·(x - x0), f' by central difference."""
    from ..gradcheck import numerical_diff

    slope = numerical_diff(f, x0)
    y0 = f(x0)
    return slope, (lambda x: slope * (np.asarray(x) - x0) + y0)


def plot_tangent(f, x0: float, x_range: tuple[float, float] = (0.0, 20.0), path=None):
    """Plot ``f`` over ``x_range`` with its tangent at ``x0`` (e.g. the book's 0.01x² + 0.1x at x = 5)."""
    slope, line = tangent_line(f, x0)
    x = np.linspace(*x_range, 200)
    fig = new_figure(figsize=(5, 4))
    ax = fig.subplots()
    ax.plot(x, [f(v) for v in x], label="f(x)")
    ax.plot(x, line(x), "--", label=f"tangent at x={x0:g} (slope {slope:.4f})")
    ax.scatter([x0], [f(x0)], color="k", zorder=3)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend()
    return finish(fig, path)


def plot_gradient_field(f=sum_of_squares, limits: float = 2.0, points: int = 15, path=None):
    """Arrows of the negative gradient -∇f over a grid (the book's quiver plot of x0² + x1²)."""
    from ..gradcheck import numerical_gradient

    axis = np.linspace(-limits, limits, points)
    g0, g1 = np.meshgrid(axis, axis)
    grid = np.column_stack([g0.ravel(), g1.ravel()])  # (points², 2)
    grads = np.array([numerical_gradient(f, p.copy()) for p in grid])  # not a hot path: a few hundred points
    fig = new_figure(figsize=(5, 5))
    ax = fig.subplots()
    ax.quiver(grid[:, 0], grid[:, 1], -grads[:, 0], -grads[:, 1], angles="xy", color="#666")
    ax.set_xlim(-limits, limits)
    ax.set_ylim(-limits, limits)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_aspect("equal")
    ax.set_title("negative gradient")
    return finish(fig, path)
