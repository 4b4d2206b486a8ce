"""Schedules that wrap another: linear warm-up, and counting epochs instead of steps."""

from __future__ import annotations

from .base import Schedule, _count, _number, describe

__all__ = ["LinearWarmup", "PerEpoch"]


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

    def __init__(self, learning_rate: float | Schedule, warmup_steps: int, start_lr: float, end_lr: float):
        if isinstance(learning_rate, Schedule):
            self.learning_rate: float | Schedule = learning_rate
        else:
            self.learning_rate = _number(learning_rate, "learning_rate", "LinearWarmup", positive=True)
        self.warmup_steps = _count(warmup_steps, "warmup_steps", "LinearWarmup")
        self.start_lr = _number(start_lr, "start_lr", "LinearWarmup", nonneg=True)
        self.end_lr = _number(end_lr, "end_lr", "LinearWarmup", nonneg=True)

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

    def __init__(self, schedule: Schedule, steps_per_epoch: int):
        if not callable(schedule):
            raise TypeError(f"PerEpoch: `schedule` must be a schedule, got {type(schedule).__name__}")
        self.schedule = schedule
        self.steps_per_epoch = _count(steps_per_epoch, "steps_per_epoch", "PerEpoch")

    def value(self, step):
        return self.schedule(step // self.steps_per_epoch)

    @property
    def serializable(self) -> bool:
        return isinstance(self.schedule, Schedule) and self.schedule.serializable

    def get_config(self):
        return {"schedule": describe(self.schedule), "steps_per_epoch": self.steps_per_epoch}
