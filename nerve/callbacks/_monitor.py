"""What EarlyStopping, ModelCheckpoint and ReduceLROnPlateau share: reading a monitored value and comparing it."""

from __future__ import annotations

import math
import warnings

from ..validation import Interval, Options, Real, Satisfies, check_params

__all__ = ["Monitor", "MONITOR_CONSTRAINTS"]

_MAX_HINTS = ("acc", "auc", "precision", "recall", "f1")

#: the arguments every monitoring callback takes, checked in the owner's name
MONITOR_CONSTRAINTS = {
    "monitor": [Satisfies(lambda m: isinstance(m, str) and m != "", "a log key such as 'val_loss'")],
    "mode": [Options(("auto", "min", "max"))],
    "min_delta": [Interval(Real, 0, None)],
}


class Monitor:
    """Reads ``logs[monitor]`` and decides whether a value improves on the best so far.

    ``mode`` "min" (losses) or "max" (accuracies); "auto" picks "max" for names containing acc, auc,
    precision, recall or f1. An improvement must beat the best by more than ``min_delta``.
    """

    def __init__(self, monitor: str, mode: str, min_delta: float, owner: str):
        check_params(owner, MONITOR_CONSTRAINTS, {"monitor": monitor, "mode": mode, "min_delta": min_delta})
        if mode == "auto":
            mode = "max" if any(h in monitor.lower() for h in _MAX_HINTS) else "min"
        self.monitor, self.mode, self.min_delta, self.owner = monitor, mode, float(min_delta), owner
        self._warned = False

    def initial(self) -> float:
        """The 'best' before any epoch: +inf when minimising, -inf when maximising."""
        return math.inf if self.mode == "min" else -math.inf

    def read(self, logs) -> float | None:
        """The monitored value, or None (with one warning naming the keys there are) when it is absent."""
        value = (logs or {}).get(self.monitor)
        if value is None:
            if not self._warned:
                warnings.warn(
                    f"{self.owner}: the monitored value {self.monitor!r} is not in the logs "
                    f"(available: {sorted(logs or {})}); pass validation_data to fit or monitor 'loss'",
                    UserWarning, stacklevel=3)
                self._warned = True
            return None
        return float(value)

    def improved(self, current: float, best: float) -> bool:
        """True if ``current`` beats ``best`` by more than ``min_delta`` (NaN never improves)."""
        if self.mode == "min":
            return current < best - self.min_delta
        return current > best + self.min_delta
