"""A tqdm progress bar per epoch showing the running loss and metrics."""

from __future__ import annotations

import time

from .base import Callback

__all__ = ["ProgressBar"]


def _fmt(logs: dict) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in logs.items())


class ProgressBar(Callback):
    """One bar per epoch; the postfix shows running averages, the last line the epoch's results."""

    def __init__(self, refresh_seconds: float = 0.1):
        super().__init__()
        self.refresh_seconds = refresh_seconds
        self.bar = None

    def on_train_begin(self, logs=None):
        self.epochs = self.model.training_state.epochs

    def on_epoch_begin(self, epoch, logs=None):
        from tqdm.auto import tqdm

        steps = self.model.training_state.steps_per_epoch
        self.bar = tqdm(total=steps, desc=f"epoch {epoch + 1}/{self.epochs}", unit="batch", leave=True,
                        dynamic_ncols=True, mininterval=self.refresh_seconds)
        self._last = 0.0

    def on_batch_end(self, batch, logs=None):
        self.bar.update(1)
        now = time.monotonic()
        if now - self._last >= self.refresh_seconds:  # formatting every batch would cost more than a GEMM
            self._last = now
            self.bar.set_postfix_str(_fmt(self.model.training_state.running_logs), refresh=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            self.bar.set_postfix_str(_fmt(logs or {}), refresh=False)
            self.bar.close()
            self.bar = None

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()
            self.bar = None
