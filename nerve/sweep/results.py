"""A sweep's results: ``results.csv`` (one row per trial, rewritten as rows arrive) and a figure."""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

__all__ = ["ResultsTable"]

_FIRST = ("trial", "status")
_LAST = ("seed", "seconds", "epochs_run", "error")


class ResultsTable:
    """Rows of finished trials; with a folder, each new row rewrites ``results.csv`` atomically.

    Columns: trial, status, the parameters (in the order first seen), the metrics, then seed, seconds,
    epochs_run and error. Tracebacks of failed trials go to ``failures.txt`` beside it.
    """

    def __init__(self, out=None, parameters=(), keep_previous: bool = False):
        self.out = Path(out) if out is not None else None
        self.parameters = list(parameters)
        self.rows: list[dict] = []
        if self.out is not None:
            self.out.mkdir(parents=True, exist_ok=True)
            if keep_previous and (self.out / "results.csv").is_file():
                self.rows = [_typed(r) for r in csv.DictReader((self.out / "results.csv").open())]

    def add(self, row: dict) -> None:
        row = dict(row)
        trace = row.pop("traceback", None)
        self.rows.append(row)
        if self.out is None:
            return
        self._write_csv()
        if trace:
            with open(self.out / "failures.txt", "a") as f:
                f.write(f"trial {row['trial']}: {row.get('error', '')}\n{trace}\n")

    @property
    def columns(self) -> list[str]:
        seen = [*_FIRST, *self.parameters]
        for row in self.rows:
            seen += [k for k in row if k not in seen and k not in _LAST]
        return seen + [k for k in _LAST if any(k in r for r in self.rows)]

    def _write_csv(self) -> None:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in sorted(self.rows, key=lambda r: r["trial"]):
            writer.writerow({k: _cell(v) for k, v in row.items()})
        tmp = self.out / ".results.csv.tmp"
        tmp.write_text(buf.getvalue())
        os.replace(tmp, self.out / "results.csv")

    def best(self, metric: str, maximize: bool = True) -> dict | None:
        """The finished trial with the best ``metric`` (None if no trial has it)."""
        ok = [r for r in self.rows if r.get("status") == "ok" and _finite(r.get(metric))]
        if not ok:
            return None
        return (max if maximize else min)(ok, key=lambda r: r[metric])

    def plot(self, metric: str, path=None):
        """``metric`` against each parameter, one panel per parameter (log axis for wide positive ranges)."""
        from ..plot import plot_sweep

        path = path if path is not None else (self.out / "results.png" if self.out is not None else None)
        return plot_sweep(self.rows, self.parameters, metric, path=path)


def _typed(row: dict) -> dict:
    """A row read back from results.csv, numbers as numbers (a resumed study keeps its earlier rows)."""
    out = {}
    for k, v in row.items():
        for kind in (int, float):
            try:
                out[k] = kind(v)
                break
            except (TypeError, ValueError):
                out[k] = v
    return out


def _cell(value):
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return value


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
