"""CSVLogger writes one flushed row per epoch."""

from __future__ import annotations

import csv

import pytest

from nerve.callbacks import Callback, CSVLogger


def _rows(path, delimiter=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_one_row_per_epoch_with_the_history_values(model, data, tmp_path):
    x, t = data
    path = tmp_path / "logs" / "history.csv"
    history = model.fit(x, t, epochs=3, verbose=0, validation_data=(x, t), callbacks=[CSVLogger(path)])
    rows = _rows(path)
    assert rows[0] == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(history.history["loss"], rel=1e-12)
    assert [float(r[4]) for r in rows[1:]] == pytest.approx(history.history["val_accuracy"], rel=1e-12)


def test_rows_are_on_disk_during_training(model, data, tmp_path):
    x, t = data
    path = tmp_path / "h.csv"
    seen = []

    class _Peek(Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(len(_rows(path)))

    model.fit(x, t, epochs=2, verbose=0, callbacks=[CSVLogger(path), _Peek()])
    assert seen == [2, 3]


def test_append_keeps_the_header_and_adds_rows(model, data, tmp_path):
    x, t = data
    path = tmp_path / "h.tsv"
    model.fit(x, t, epochs=2, verbose=0, callbacks=[CSVLogger(path, separator="\t")])
    model.fit(x, t, epochs=4, initial_epoch=2, verbose=0, callbacks=[CSVLogger(path, separator="\t", append=True)])
    rows = _rows(path, "\t")
    assert rows[0] == ["epoch", "loss", "accuracy"] and [r[0] for r in rows[1:]] == ["0", "1", "2", "3"]


def test_missing_values_leave_empty_cells(model, data, tmp_path):
    x, t = data
    path = tmp_path / "h.csv"

    class _DropVal(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                del logs["val_loss"]

    model.fit(x, t, epochs=2, verbose=0, validation_data=(x, t), callbacks=[_DropVal(), CSVLogger(path)])
    assert _rows(path)[2][3] == ""


def test_bad_separator_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="separator"):
        CSVLogger(tmp_path / "h.csv", separator=";;")
