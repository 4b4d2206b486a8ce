"""Learning-rate schedule curves: lr against step for one or several schedules."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["plot_schedules", "plot_lr_find"]


def plot_schedules(schedules, steps: int = 100, log_scale: bool = False, path=None):
    """Plot ``lr(step)`` for step = 0..steps-1; ``schedules`` is one schedule, a list, or ``{label: schedule}``."""
    if callable(schedules):
        schedules = {type(schedules).__name__: schedules}
    elif not isinstance(schedules, dict):
        schedules = {type(s).__name__: s for s in schedules}
    if not schedules:
        raise ValueError("plot_schedules: give at least one schedule")
    x = np.arange(steps)
    fig = new_figure(figsize=(6, 4))
    ax = fig.subplots()
    for label, schedule in schedules.items():
        ax.plot(x, [schedule(int(s)) for s in x], label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("learning rate")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return finish(fig, path)


def plot_lr_find(lrs, losses, suggestion: float | None = None, path=None):
    """The learning-rate range test: loss against lr (log scale), with the suggested rate marked."""
    lrs, losses = np.asarray(lrs, dtype=np.float64), np.asarray(losses, dtype=np.float64)
    if lrs.shape != losses.shape or lrs.size < 2:
        raise ValueError(f"plot_lr_find: expected lrs and losses of equal length >= 2, got {lrs.shape}, {losses.shape}")
    fig = new_figure(figsize=(6, 4))
    ax = fig.subplots()
    ax.plot(lrs, losses)
    if suggestion is not None:
        ax.axvline(suggestion, color="tab:red", linestyle="--", label=f"suggested lr = {suggestion:.2g}")
        ax.legend()
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("loss")
    ax.set_title("learning-rate range test")
    ax.grid(alpha=0.3)
    return finish(fig, path)
