"""Loss-adaptive decay (Paddle's ``ReduceOnPlateau``)."""

from __future__ import annotations

from ..validation import Integral, Interval, Options, Real, check_param, validate_params
from .base import Schedule

__all__ = ["ReduceOnPlateau"]

_NON_NEGATIVE = [Interval(Real, 0, None)]


class ReduceOnPlateau(Schedule):
    """Loss-adaptive decay: multiply the rate by ``factor`` once more than ``patience`` epochs in a row bring
    no improvement.

    Call ``step(metric)`` once per epoch with the monitored loss (the ``ReduceLROnPlateau`` callback does it);
    ``lr(step)`` returns the current rate. As in Paddle: an improvement is ``metric < best * (1 - threshold)``
    (mode "min", threshold_mode "rel"), ``< best - threshold`` ("abs"), mirrored for mode "max"; after a cut
    the next ``cooldown`` epochs are not counted; the rate never drops below ``min_lr`` and a cut smaller
    than ``epsilon`` is skipped.

    Args:
        learning_rate: the starting rate.
        mode: "min" for a loss, "max" for an accuracy.
        factor: multiplier in (0, 1) applied at each cut (default 0.1).
        patience: bad epochs tolerated before a cut (default 10).
        threshold: how much better counts as an improvement (default 1e-4).
        threshold_mode: "rel" (fraction of best) or "abs".
        cooldown: epochs ignored after a cut.
        min_lr: the lowest rate.
        epsilon: cuts smaller than this are skipped.
    """

    @validate_params({
        "learning_rate": [Interval(Real, 0, None, closed="neither")], "mode": [Options(("min", "max"))],
        "factor": [Interval(Real, 0, 1, closed="neither")], "patience": [Interval(Integral, 0, None)],
        "threshold": _NON_NEGATIVE, "threshold_mode": [Options(("rel", "abs"))],
        "cooldown": [Interval(Integral, 0, None)], "min_lr": _NON_NEGATIVE, "epsilon": _NON_NEGATIVE,
    })
    def __init__(self, learning_rate: float, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0, min_lr: float = 0.0,
                 epsilon: float = 1e-8):
        self.learning_rate = float(learning_rate)
        self.factor = float(factor)
        self.mode, self.threshold_mode = mode, threshold_mode
        self.patience = int(patience)
        self.threshold = float(threshold)
        self.cooldown = int(cooldown)
        self.min_lr = float(min_lr)
        self.epsilon = float(epsilon)
        self.last_lr = self.learning_rate
        self.best: float | None = None
        self.num_bad_epochs = 0
        self.cooldown_counter = 0

    def value(self, step):
        return self.last_lr

    def _is_better(self, current: float, best: float) -> bool:
        sign = 1.0 if self.mode == "min" else -1.0
        margin = abs(best) * self.threshold if self.threshold_mode == "rel" else self.threshold
        return sign * (best - current) > margin

    def step(self, metric: float) -> float:
        """Record one epoch's ``metric``; returns the (possibly reduced) rate."""
        current = float(check_param(self, "metric", float(metric), Interval(Real, None, None)))
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            return self.last_lr
        if self.best is None or self._is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.num_bad_epochs > self.patience:
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
            new_lr = max(self.last_lr * self.factor, self.min_lr)
            if self.last_lr - new_lr > self.epsilon:
                self.last_lr = new_lr
        return self.last_lr

    def state_dict(self) -> dict:
        """The mutable state (for resuming training)."""
        return {"last_lr": self.last_lr, "best": self.best, "num_bad_epochs": self.num_bad_epochs,
                "cooldown_counter": self.cooldown_counter}

    def load_state_dict(self, state: dict) -> None:
        """Restore :meth:`state_dict`."""
        self.last_lr = float(state["last_lr"])
        self.best = None if state["best"] is None else float(state["best"])
        self.num_bad_epochs = int(state["num_bad_epochs"])
        self.cooldown_counter = int(state["cooldown_counter"])

    def get_config(self):
        return {"learning_rate": self.learning_rate, "mode": self.mode, "factor": self.factor,
                "patience": self.patience, "threshold": self.threshold, "threshold_mode": self.threshold_mode,
                "cooldown": self.cooldown, "min_lr": self.min_lr, "epsilon": self.epsilon}
