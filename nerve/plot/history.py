"""Training curves: loss and each metric per epoch, training and validation side by side."""

from __future__ import annotations

from ._figure import finish, new_figure

__all__ = ["plot_history"]


def plot_history(history, path=None):
    """One panel per quantity (loss, accuracy, ...), with its ``val_`` twin when present.

    ``history`` is a History or its ``.history`` dict. Returns the Figure; saves a PNG when ``path`` is given.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs or not all(len(v) for v in logs.values()):
        raise ValueError("plot_history: expected a History or a non-empty dict of per-epoch lists")
    names = [k for k in logs if not k.startswith("val_")] or [k[4:] for k in logs]
    fig = new_figure(figsize=(4.5 * len(names), 3.6))
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        for key, label in ((name, "train"), (f"val_{name}", "validation")):
            if key in logs:
                values = logs[key]
                ax.plot(range(1, len(values) + 1), values, marker="o", markersize=3, label=label)
        ax.set_xlabel("epoch")
        ax.set_title(name)
        ax.grid(alpha=0.3)
        ax.legend()
    return finish(fig, path)
