"""Stop training when a monitored value stops improving, optionally going back to the best weights."""

from __future__ import annotations

import numpy as np

from ..validation import Boolean, Integral, Interval, Real, validate_params
from ._monitor import Monitor
from .base import Callback

__all__ = ["EarlyStopping"]


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs (Keras semantics).

    Args:
        monitor: log key to watch, e.g. "val_loss" (default), "val_accuracy" or "loss".
        patience: epochs without improvement to wait before stopping.
        min_delta: smallest change that counts as an improvement.
        mode: "min", "max" or "auto" (from the name).
        restore_best_weights: at the end of training, put back the weights (and BatchNorm statistics) of the
            best epoch.
        baseline: stop if the value does not beat this within ``patience`` epochs.
        verbose: print a line when stopping.

    After training, ``stopped_epoch`` (0-based, or None), ``best`` and ``best_epoch`` tell what happened.
    """

    @validate_params({"patience": [Interval(Integral, 0, None)], "restore_best_weights": [Boolean],
                      "baseline": [None, Interval(Real, None, None)]})
    def __init__(self, monitor: str = "val_loss", patience: int = 0, min_delta: float = 0.0, mode: str = "auto",
                 restore_best_weights: bool = False, baseline: float | None = None, verbose: int = 0):
        super().__init__()
        self._monitor = Monitor(monitor, mode, min_delta, "EarlyStopping")
        self.monitor, self.patience = monitor, int(patience)
        self.restore_best_weights, self.baseline, self.verbose = bool(restore_best_weights), baseline, verbose
        self.stopped_epoch: int | None = None
        self.best_epoch: int | None = None
        self.best = self._monitor.initial()
        self.best_weights: dict[str, np.ndarray] | None = None

    def on_train_begin(self, logs=None):
        self.wait = self.seen = 0
        self.stopped_epoch = None
        self.best_epoch = None
        self.best = self._monitor.initial() if self.baseline is None else float(self.baseline)
        self.best_weights = None

    def on_epoch_end(self, epoch, logs=None):
        current = self._monitor.read(logs)
        if current is None:
            return
        self.seen += 1
        self.wait += 1
        if self._monitor.improved(current, self.best):
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_weights = _snapshot(self.model)
            return
        if self.wait >= self.patience and self.seen > 1:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.verbose:
                print(f"EarlyStopping: {self.monitor} has not improved for {self.wait} epoch(s); "
                      f"stopping after epoch {epoch + 1} (best {self.best:.4g} at epoch {_human(self.best_epoch)})")

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights is not None:
            _restore(self.model, self.best_weights)
            if self.verbose:
                print(f"EarlyStopping: restored the weights of epoch {self.best_epoch + 1}")


def _human(epoch: int | None) -> str:
    return "-" if epoch is None else str(epoch + 1)


def _snapshot(model) -> dict[str, np.ndarray]:
    """Copies of every trainable and state array, keyed like ``model.params``."""
    return {k: v.copy() for k, v in {**model.params, **model.state}.items()}


def _restore(model, saved: dict[str, np.ndarray]) -> None:
    """Write ``saved`` back into the model's own arrays (in place, so optimizer state stays attached)."""
    for key, array in {**model.params, **model.state}.items():
        if key in saved:
            array[...] = saved[key]
