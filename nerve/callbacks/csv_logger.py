"""Append each epoch's results to a CSV file as training goes."""

from __future__ import annotations

import csv
import os

from ..validation import FILE_PATH, Boolean, Satisfies, validate_params
from .base import Callback

__all__ = ["CSVLogger"]


class CSVLogger(Callback):
    """One row per epoch: ``epoch`` then every log value, flushed at once so the file is useful mid-run.

    Args:
        filename: the CSV file.
        separator: the column separator.
        append: add to an existing file (keeping its columns) instead of starting a new one.

    Columns are those of the first epoch logged; a later epoch missing one (an epoch cut short by Ctrl-C
    has no validation values) leaves the cell empty.
    """

    @validate_params({"filename": [FILE_PATH], "append": [Boolean],
                      "separator": [Satisfies(lambda s: isinstance(s, str) and len(s) == 1, "one character")]})
    def __init__(self, filename, separator: str = ",", append: bool = False):
        super().__init__()
        self.filename, self.separator, self.append = os.fspath(filename), separator, bool(append)
        self._file = None
        self._writer = None
        self.keys: list[str] | None = None

    def on_train_begin(self, logs=None):
        folder = os.path.dirname(self.filename)
        if folder:
            os.makedirs(folder, exist_ok=True)
        self.keys = None
        if self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0:
            with open(self.filename, newline="", encoding="utf-8") as f:
                header = next(csv.reader(f, delimiter=self.separator), None)
            self.keys = header[1:] if header and header[0] == "epoch" else None
            self._file = open(self.filename, "a", newline="", encoding="utf-8")
        else:
            self._file = open(self.filename, "w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file, delimiter=self.separator, lineterminator="\n")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = list(logs)
            self._writer.writerow(["epoch", *self.keys])
        self._writer.writerow([epoch, *(_cell(logs.get(k)) for k in self.keys)])
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None


def _cell(value) -> str:
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)
