"""A sweep's results: the metric against each parameter, failed and pruned trials marked."""

from __future__ import annotations

import math

from ._figure import finish, new_figure

__all__ = ["plot_sweep"]


def plot_sweep(rows, parameters, metric: str = "val_accuracy", path=None):
    """One panel per parameter: ``metric`` of each finished trial against that parameter's value.

    Numeric parameters spanning more than a factor of 10 (all positive) get a log axis; others are
    categorical. Pruned trials are drawn hollow; failed ones have no metric and are listed in the title.
    """
    parameters = list(parameters) or sorted({k for r in rows for k in r} - {metric})
    fig = new_figure(figsize=(4.2 * max(1, len(parameters)), 3.4))
    axes = fig.subplots(1, max(1, len(parameters)), squeeze=False)[0]
    failed = sum(1 for r in rows if r.get("status") == "failed")
    for ax, name in zip(axes, parameters):
        done = [r for r in rows if r.get("status") in ("ok", "pruned") and _number(r.get(metric)) is not None]
        values = [r.get(name) for r in done]
        numeric = all(_number(v) is not None for v in values) and values
        if numeric:
            xs = [float(v) for v in values]
            if min(xs) > 0 and max(xs) / min(xs) >= 10:
                ax.set_xscale("log")
        else:
            labels = sorted({str(v) for v in values})
            xs = [labels.index(str(v)) for v in values]
            ax.set_xticks(range(len(labels)), labels)
        for x, r in zip(xs, done):
            hollow = r.get("status") == "pruned"
            ax.scatter([x], [r[metric]], s=36, facecolors="none" if hollow else "C0", edgecolors="C0")
        ax.set_xlabel(name)
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
    pruned = any(r.get("status") == "pruned" for r in rows)
    fig.suptitle(f"{len(rows)} trials" + (f", {failed} failed" if failed else "")
                 + (" (hollow: pruned)" if pruned else ""))
    return finish(fig, path)


def _number(value):
    if isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
