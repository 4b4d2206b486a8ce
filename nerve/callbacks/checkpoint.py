"""Save the model during training: every epoch, or only when the monitored value improves."""

from __future__ import annotations

import os

from ..validation import FILE_PATH, Boolean, validate_params
from ._monitor import Monitor
from .base import Callback

__all__ = ["ModelCheckpoint"]


class ModelCheckpoint(Callback):
    """Write the model (or only its weights) to ``filepath`` at the end of epochs.

    Args:
        filepath: where to write; may hold ``{epoch}`` (1-based) and log keys, e.g.
            ``"ckpt/model-{epoch:02d}-{val_loss:.3f}.npz"``.
        monitor: log key compared when ``save_best_only`` is set.
        save_best_only: save only when ``monitor`` improves on the best so far.
        save_weights_only: write ``save_weights`` files instead of whole models.
        mode: "min", "max" or "auto" (from the name).
        min_delta: smallest change that counts as an improvement.
        verbose: print a line per save.

    Files are written atomically (temporary file, flush, rename), so a crash mid-save leaves the previous
    file intact. An epoch cut short by Ctrl-C still ends with ``on_epoch_end``, so it is saved too (unless
    ``save_best_only`` and it is not the best). ``best`` and ``last_path`` say what was saved.
    """

    @validate_params({"filepath": [FILE_PATH], "save_best_only": [Boolean], "save_weights_only": [Boolean]})
    def __init__(self, filepath, monitor: str = "val_loss", save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", min_delta: float = 0.0, verbose: int = 0):
        super().__init__()
        self.filepath = os.fspath(filepath)
        self._monitor = Monitor(monitor, mode, min_delta, "ModelCheckpoint")
        self.monitor, self.save_best_only = monitor, bool(save_best_only)
        self.save_weights_only, self.verbose = bool(save_weights_only), verbose
        self.best = self._monitor.initial()
        self.last_path: str | None = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.save_best_only:
            current = self._monitor.read(logs)
            if current is None or not self._monitor.improved(current, self.best):
                return
            self.best = current
        self._save(self._path(epoch, logs), epoch, logs)

    def _path(self, epoch: int, logs: dict) -> str:
        try:
            return self.filepath.format(epoch=epoch + 1, **logs)
        except (KeyError, IndexError, ValueError) as e:
            raise ValueError(
                f"ModelCheckpoint: cannot fill in filepath {self.filepath!r} ({type(e).__name__}: {e}); "
                f"available keys: epoch, {', '.join(sorted(logs))}") from None

    def _save(self, path: str, epoch: int, logs: dict) -> None:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
        self.last_path = path
        if self.verbose:
            what = f"{self.monitor} improved to {self.best:.4g}; " if self.save_best_only else ""
            print(f"ModelCheckpoint: epoch {epoch + 1}: {what}saved {path}")
