"""Schedules that wrap another: linear warm-up, and counting epochs instead of steps."""

from __future__ import annotations

from ..validation import Integral, Interval, Real, validate_params
from .base import Schedule, describe

__all__ = ["LinearWarmup", "PerEpoch"]

_POSITIVE = [Interval(Real, 0, None, closed="neither")]
_NON_NEGATIVE = [Interval(Real, 0, None)]
_COUNT = [Interval(Integral, 1, None)]


class LinearWarmup(Schedule):
    """Linear warm-up from ``start_lr`` to ``end_lr`` over ``warmup_steps``, then ``learning_rate``.

    lr = start_lr + (end_lr - start_lr) * step / warmup_steps while step < warmup_steps; afterwards
    ``learning_rate`` (a float) or ``learning_rate(step - warmup_steps)`` (a wrapped schedule).

    Args:
        learning_rate: the rate after warm-up, or the schedule to follow (its step 0 comes after warm-up).
        warmup_steps: steps of linear warm-up.
        start_lr: the rate at step 0.
        end_lr: the rate reached at the end of the warm-up.
    """

    @validate_params({
        "learning_rate": [*_POSITIVE, Schedule], "warmup_steps": _COUNT, "start_lr": _NON_NEGATIVE,
        "end_lr": _NON_NEGATIVE,
    })
    def __init__(self, learning_rate: float | Schedule, warmup_steps: int, start_lr: float, end_lr: float):
        if isinstance(learning_rate, Schedule):
            self.learning_rate: float | Schedule = learning_rate
        else:
            self.learning_rate = float(learning_rate)
        self.warmup_steps = int(warmup_steps)
        self.start_lr = float(start_lr)
        self.end_lr = float(end_lr)

    def value(self, step):
        if step < self.warmup_steps:
            return self.start_lr + (self.end_lr - self.start_lr) * step / self.warmup_steps
        if isinstance(self.learning_rate, Schedule):
            return self.learning_rate(step - self.warmup_steps)
        return self.learning_rate

    @property
    def serializable(self) -> bool:
        return getattr(self.learning_rate, "serializable", True)

    def get_config(self):
        inner = self.learning_rate
        return {"learning_rate": describe(inner) if isinstance(inner, Schedule) else inner,
                "warmup_steps": self.warmup_steps, "start_lr": self.start_lr, "end_lr": self.end_lr}


class PerEpoch(Schedule):
    """Count epochs instead of steps: lr(step) = schedule(step // steps_per_epoch).

    Args:
        schedule: any ``f(epoch) -> lr``, e.g. ``StepDecay(0.1, step_size=10)`` meaning every 10 epochs.
        steps_per_epoch: optimizer steps (mini-batches) per epoch.
    """

    @validate_params({"schedule": [callable], "steps_per_epoch": _COUNT})
    def __init__(self, schedule: Schedule, steps_per_epoch: int):
        self.schedule = schedule
        self.steps_per_epoch = int(steps_per_epoch)

    def value(self, step):
        return self.schedule(step // self.steps_per_epoch)

    @property
    def serializable(self) -> bool:
        return isinstance(self.schedule, Schedule) and self.schedule.serializable

    def get_config(self):
        return {"schedule": describe(self.schedule), "steps_per_epoch": self.steps_per_epoch}
