"""What EarlyStopping, ModelCheckpoint and ReduceLROnPlateau share: reading a monitored value and comparing it."""

from __future__ import annotations

import math
import numbers
import warnings

__all__ = ["Monitor"]

_MAX_HINTS = ("acc", "auc", "precision", "recall", "f1")


class Monitor:
    """Reads ``logs[monitor]`` and decides whether a value improves on the best so far.

    ``mode`` "min" (losses) or "max" (accuracies); "auto" picks "max" for names containing acc, auc,
    precision, recall or f1. An improvement must beat the best by more than ``min_delta``.
    """

    def __init__(self, monitor: str, mode: str, min_delta: float, owner: str):
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"{owner}: `monitor` must be a log key such as 'val_loss', got {monitor!r}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{owner}: `mode` must be 'auto', 'min' or 'max', got {mode!r}")
        ok = isinstance(min_delta, numbers.Real) and not isinstance(min_delta, bool) and math.isfinite(min_delta)
        if not ok or min_delta < 0:
            raise ValueError(f"{owner}: `min_delta` must be a number >= 0, got {min_delta!r}")
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
