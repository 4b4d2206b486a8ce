"""A resumed run's history: the earlier epochs' rows of history.csv carried over, then the whole run read back."""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["earlier_history", "whole_history"]


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a history.csv; empty when it is missing or not one."""
    if not path.is_file():
        return [], []
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or not rows[0] or rows[0][0] != "epoch":
        return [], []
    return rows[0], [r for r in rows[1:] if r and r[0].isdigit()]


def earlier_history(source: Path, target: Path, start: int) -> None:
    """Write to ``target`` the rows of ``source`` for epochs before ``start`` (the resumed model's epochs).

    Rows of later epochs (logged after the checkpoint that is resumed) would repeat epoch numbers; they go.
    """
    header, rows = _rows(source)
    if not header:
        return
    with open(target, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(r for r in rows if int(r[0]) < start)


def whole_history(path: Path, history) -> tuple[list[int], dict[str, list]]:
    """(epochs, {key: values}) of every epoch in history.csv (missing cells are None); ``history`` if none."""
    header, rows = _rows(path)
    if not header or not rows:
        return list(history.epoch), dict(history.history)
    logs: dict[str, list] = {key: [] for key in header[1:]}
    for row in rows:
        for key, cell in zip(header[1:], row[1:] + [""] * (len(header) - len(row))):
            logs[key].append(float(cell) if cell else None)
    return [int(r[0]) for r in rows], logs
