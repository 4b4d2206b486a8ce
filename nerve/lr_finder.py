"""The learning-rate range test: train briefly while raising the rate, and pick one before the loss blows up.

The tutorial's advice is to try 0.1, 0.01, 0.001 ... by hand; this does it automatically in one short run
(Leslie Smith's test, as in fastai's ``lr_find``): the rate grows exponentially from ``start_lr`` to
``end_lr`` over ``num_steps`` mini-batches, the smoothed loss is recorded, and the run stops once the loss
exceeds ``diverge`` times its best. The suggestion is the rate at the minimum loss (ignoring the first
tenth of the run, whose averages are too noisy) divided by 10. The model's
weights and optimizer state are put back afterwards, so the test changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .backend import rng
from .errors import TrainingDivergedError
from .training.step import require_compiled
from .validation import Integral, Interval, Real, validate_params

__all__ = ["LRFinderResult", "find_lr"]


@dataclass
class LRFinderResult:
    """Rates tried, smoothed losses seen, and the suggested rate."""

    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    suggestion: float | None = None

    def plot(self, path=None):
        """Loss against lr (log scale) with the suggestion marked; see ``nerve.plot.plot_lr_find``."""
        from .plot import plot_lr_find

        return plot_lr_find(self.lrs, self.losses, self.suggestion, path=path)


_POSITIVE = [Interval(Real, 0, None, closed="neither")]


@validate_params({"start_lr": _POSITIVE, "end_lr": _POSITIVE, "num_steps": [Interval(Integral, 2, None)],
                  "batch_size": [Interval(Integral, 1, None)], "smoothing": [Interval(Real, 0, 1, closed="left")],
                  "diverge": _POSITIVE})
def find_lr(model, x, y, *, start_lr: float = 1e-6, end_lr: float = 1.0, num_steps: int = 100,
            batch_size: int = 32, smoothing: float = 0.9, diverge: float = 4.0, verbose: int = 0) -> LRFinderResult:
    """Run the range test on a compiled ``model`` with data ``x``, ``y``; returns an :class:`LRFinderResult`.

    ``verbose`` shows a progress bar of the steps with the current rate and smoothed loss.
    """
    start_lr, end_lr = float(start_lr), float(end_lr)
    if end_lr <= start_lr:
        raise ValueError(f"find_lr: `end_lr` ({end_lr}) must be greater than `start_lr` ({start_lr})")
    num_steps, batch_size = int(num_steps), int(batch_size)
    require_compiled(model, "find_lr")
    x = model.check_inputs(x, y)
    y = np.asarray(y)
    if not model.built:
        model.build(x.shape[1:])

    optimizer = model.optimizer
    saved_arrays = {k: v.copy() for k, v in {**model.params, **model.state}.items()}
    saved_state = optimizer.state_dict()
    saved_state = {"iterations": saved_state["iterations"],
                   "slots": {s: {k: v.copy() for k, v in a.items()} for s, a in saved_state["slots"].items()}}
    saved_lr = optimizer.lr
    result = LRFinderResult()
    growth = (end_lr / start_lr) ** (1.0 / (num_steps - 1))
    avg, best = 0.0, math.inf
    bar = None
    if verbose:
        from tqdm.auto import tqdm

        bar = tqdm(total=num_steps, desc=f"lr-find ({type(optimizer).__name__})", unit="step", dynamic_ncols=True)
    try:
        order = rng().permutation(len(x))
        for i in range(num_steps):
            start = (i * batch_size) % len(x)
            if start + batch_size > len(x):  # wrap around with a fresh permutation
                order = rng().permutation(len(x))
                start = 0
            idx = order[start:start + batch_size]
            lr = start_lr * growth**i
            optimizer.lr = lr
            try:
                loss = model.train_on_batch(x[idx], y[idx])["loss"]
            except TrainingDivergedError:
                break
            avg = smoothing * avg + (1 - smoothing) * loss
            smoothed = avg / (1 - smoothing ** (i + 1))  # bias-corrected running mean
            result.lrs.append(lr)
            result.losses.append(smoothed)
            best = min(best, smoothed)
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"lr {lr:.2g}  loss {smoothed:.4f}", refresh=False)
            if not math.isfinite(smoothed) or smoothed > diverge * best:
                break
    finally:
        if bar is not None:
            bar.close()
        for key, array in {**model.params, **model.state}.items():
            array[...] = saved_arrays[key]
        optimizer.load_state_dict(saved_state)
        optimizer.lr = saved_lr
    if len(result.losses) >= 2:
        skip = max(1, len(result.losses) // 10)  # the first averages rest on a batch or two: too noisy to trust
        skip = skip if len(result.losses) > 2 * skip else 0
        result.suggestion = result.lrs[skip + int(np.argmin(result.losses[skip:]))] / 10.0
    return result
