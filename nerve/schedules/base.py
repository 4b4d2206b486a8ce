"""The schedule contract: a callable ``lr(step) -> float``, plus argument checks."""

from __future__ import annotations

import math
import numbers

__all__ = ["Schedule", "describe"]


def _number(value, name: str, owner: str, *, positive: bool = False, nonneg: bool = False) -> float:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if ok and ((positive and value <= 0) or (nonneg and value < 0)):
        ok = False
    if not ok:
        what = "a positive" if positive else "a non-negative" if nonneg else "a finite"
        raise ValueError(f"{owner}: `{name}` must be {what} number, got {value!r}")
    return float(value)


def _count(value, name: str, owner: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{owner}: `{name}` must be a positive integer, got {value!r}")
    return int(value)


class Schedule:
    """Base class: a callable ``lr(step) -> float`` for step = 0, 1, 2, ..."""

    #: False when the config cannot rebuild the schedule (it holds Python code)
    serializable = True

    def __call__(self, step) -> float:
        bad = isinstance(step, bool) or not isinstance(step, numbers.Real)
        if bad or step < 0 or not math.isfinite(step):
            raise ValueError(f"{type(self).__name__}: step must be a non-negative number, got {step!r}")
        return float(self.value(step))

    def value(self, step: float) -> float:
        """The learning rate at ``step`` (already validated)."""
        raise NotImplementedError

    def get_config(self) -> dict:
        """Constructor arguments as JSON-friendly values."""
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


def describe(schedule) -> dict:
    """``{"class_name", "config"[, "state"]}`` of a schedule, whether or not it can be rebuilt from that."""
    if not isinstance(schedule, Schedule):
        return {"class_name": type(schedule).__name__, "config": {"repr": repr(schedule)}}
    out = {"class_name": type(schedule).__name__, "config": schedule.get_config()}
    if hasattr(schedule, "state_dict"):
        out["state"] = schedule.state_dict()
    return out
