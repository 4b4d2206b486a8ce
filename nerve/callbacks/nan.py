"""Stop training as soon as a logged value turns NaN or infinite."""

from __future__ import annotations

import math
import numbers

from .base import Callback

__all__ = ["TerminateOnNaN"]


class TerminateOnNaN(Callback):
    """Set ``model.stop_training`` when any batch or epoch value (loss, metrics, val_*) is NaN or inf.

    ``fit`` itself refuses a non-finite training loss (TrainingDivergedError, weights untouched); this
    callback also catches a diverging validation loss or metric and ends the run quietly instead.
    """

    def __init__(self, verbose: int = 1):
        super().__init__()
        self.verbose = verbose
        self.terminated_at: tuple[int, str] | None = None

    def _check(self, where: int, kind: str, logs) -> None:
        for key, value in (logs or {}).items():
            if isinstance(value, numbers.Real) and not math.isfinite(value):
                self.model.stop_training = True
                self.terminated_at = (where, key)
                if self.verbose:
                    print(f"TerminateOnNaN: {kind} {where + 1}: {key} is {value}; stopping training")
                return

    def on_batch_end(self, batch, logs=None):
        self._check(batch, "batch", logs)

    def on_epoch_end(self, epoch, logs=None):
        self._check(epoch, "epoch", logs)
