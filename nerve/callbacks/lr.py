"""Callbacks that set the optimizer's learning rate: by epoch, or when a monitored value plateaus."""

from __future__ import annotations

import inspect
import math

from ..schedules import ReduceOnPlateau, Schedule
from ..validation import Integral, Interval, Real, validate_params
from ._monitor import Monitor
from .base import Callback

__all__ = ["LearningRateScheduler", "ReduceLROnPlateau"]


def _current_lr(optimizer) -> float:
    lr = optimizer.lr
    return float(lr(optimizer.iterations)) if callable(lr) else float(lr)


class LearningRateScheduler(Callback):
    """Set ``optimizer.lr = schedule(epoch)`` at the start of each epoch (per-epoch schedules).

    Args:
        schedule: a :mod:`nerve.schedules` schedule, any ``f(epoch) -> lr``, or Keras's ``f(epoch, lr) -> lr``.
        verbose: print the rate at each epoch.

    The rate used is added to the epoch's logs as ``lr``.
    """

    @validate_params({"schedule": [callable]})
    def __init__(self, schedule, verbose: int = 0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose
        self._two_args = not isinstance(schedule, Schedule) and _takes_two(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        lr = self.schedule(epoch, _current_lr(optimizer)) if self._two_args else self.schedule(epoch)
        if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not math.isfinite(lr) or lr < 0:
            raise ValueError(f"LearningRateScheduler: the schedule returned {lr!r} for epoch {epoch}; "
                             "expected a finite number >= 0")
        optimizer.lr = float(lr)
        if self.verbose:
            print(f"LearningRateScheduler: epoch {epoch + 1}: lr = {lr:.6g}")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["lr"] = _current_lr(self.model.optimizer)


def _takes_two(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when ``monitor`` stops improving (loss-adaptive decay).

    Args:
        monitor: log key to watch ("val_loss" by default).
        factor: multiplier in (0, 1) applied at each cut.
        patience: epochs without improvement that are tolerated; the rate drops on the next one
            (Paddle's and PyTorch's counting).
        mode: "min", "max" or "auto" (from the name).
        min_delta: an improvement must beat the best by more than this (absolute).
        cooldown: epochs to wait after a cut before counting again.
        min_lr: the rate never goes below this.
        verbose: print a line at each cut.

    If the optimizer's ``lr`` already is a :class:`nerve.schedules.ReduceOnPlateau`, that schedule is stepped
    (with its own settings) instead; any other schedule is an error, since the callback needs to own the rate.
    """

    @validate_params({"factor": [Interval(Real, 0, 1, closed="neither")], "patience": [Interval(Integral, 0, None)],
                      "cooldown": [Interval(Integral, 0, None)], "min_lr": [Interval(Real, 0, None)]})
    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, mode: str = "auto",
                 min_delta: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0, verbose: int = 0):
        super().__init__()
        self._monitor = Monitor(monitor, mode, min_delta, "ReduceLROnPlateau")
        self.monitor = monitor
        self._settings = {"mode": self._monitor.mode, "factor": factor, "patience": patience,
                          "threshold": float(min_delta), "threshold_mode": "abs", "cooldown": cooldown,
                          "min_lr": min_lr}
        ReduceOnPlateau(1.0, **self._settings)  # validate the arguments now
        self.verbose = verbose
        self.plateau: ReduceOnPlateau | None = None

    def on_train_begin(self, logs=None):
        lr = self.model.optimizer.lr
        if isinstance(lr, ReduceOnPlateau):
            self.plateau = lr
        elif callable(lr):
            raise ValueError(f"ReduceLROnPlateau: the optimizer's lr is the schedule {lr!r}; give it a float "
                             "learning rate (or a schedules.ReduceOnPlateau) to let this callback adjust it")
        elif self.plateau is None or self.plateau.last_lr != lr:
            self.plateau = ReduceOnPlateau(lr, **self._settings)

    def on_epoch_end(self, epoch, logs=None):
        current = self._monitor.read(logs)
        optimizer = self.model.optimizer
        if current is not None:
            before = self.plateau.last_lr
            after = self.plateau.step(current)
            if optimizer.lr is not self.plateau:
                optimizer.lr = after
            if self.verbose and after < before:
                print(f"ReduceLROnPlateau: epoch {epoch + 1}: {self.monitor} stalled; lr {before:.4g} -> {after:.4g}")
        if logs is not None:
            logs["lr"] = _current_lr(optimizer)
