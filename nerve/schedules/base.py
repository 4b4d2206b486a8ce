"""The schedule contract: a callable ``lr(step) -> float``."""

from __future__ import annotations

from ..validation import Interval, Real, check_param

__all__ = ["Schedule", "describe"]


_STEP = Interval(Real, 0, None)


class Schedule:
    """Base class: a callable ``lr(step) -> float`` for step = 0, 1, 2, ..."""

    #: False when the config cannot rebuild the schedule (it holds Python code)
    serializable = True

    def __call__(self, step) -> float:
        check_param(self, "step", step, _STEP)
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
