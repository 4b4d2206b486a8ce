"""What a sweep varies: a grid (every combination of listed values) or a search space that Optuna samples."""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass

__all__ = ["Choice", "Uniform", "LogUniform", "IntUniform", "expand_grid", "check_grid", "check_space"]


@dataclass(frozen=True)
class Choice:
    """One of ``values`` (Optuna's categorical)."""

    values: tuple

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))
        if not self.values:
            raise ValueError("Choice: expected at least one value, got none")

    def suggest(self, trial, name: str):
        return trial.suggest_categorical(name, list(self.values))


@dataclass(frozen=True)
class Uniform:
    """A float drawn from [low, high]."""

    low: float
    high: float

    def __post_init__(self):
        _check_range(type(self).__name__, self.low, self.high, positive=False)

    def suggest(self, trial, name: str):
        return trial.suggest_float(name, self.low, self.high)


@dataclass(frozen=True)
class LogUniform:
    """A positive float drawn uniformly in log space from [low, high] (learning rates, weight decay)."""

    low: float
    high: float

    def __post_init__(self):
        _check_range(type(self).__name__, self.low, self.high, positive=True)

    def suggest(self, trial, name: str):
        return trial.suggest_float(name, self.low, self.high, log=True)


@dataclass(frozen=True)
class IntUniform:
    """An integer from [low, high] (``log=True`` for sizes such as batch sizes)."""

    low: int
    high: int
    log: bool = False

    def __post_init__(self):
        for v in (self.low, self.high):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise ValueError(f"IntUniform: expected integer bounds, got low={self.low!r}, high={self.high!r}")
        _check_range(type(self).__name__, self.low, self.high, positive=self.log)

    def suggest(self, trial, name: str):
        return trial.suggest_int(name, int(self.low), int(self.high), log=self.log)


def _check_range(owner: str, low, high, positive: bool) -> None:
    for v in (low, high):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"{owner}: expected finite numbers, got low={low!r}, high={high!r}")
    if not low < high:
        raise ValueError(f"{owner}: expected low < high, got low={low!r}, high={high!r}")
    if positive and low <= 0:
        raise ValueError(f"{owner}: expected low > 0 for a log scale, got low={low!r}")


def check_grid(grid) -> dict[str, list]:
    """``{"lr": [0.001, 0.01], ...}`` as a dict of non-empty lists; names must be strings."""
    if not isinstance(grid, dict) or not grid:
        raise ValueError(f"sweep: `grid` must be a non-empty dict of name -> list of values, got {grid!r}")
    out = {}
    for name, values in grid.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"sweep: grid parameter names must be non-empty strings, got {name!r}")
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        if not values:
            raise ValueError(f"sweep: grid parameter {name!r} has no values")
        out[name] = values
    return out


def expand_grid(grid) -> list[dict]:
    """Every combination, the first parameter varying slowest (like itertools.product)."""
    grid = check_grid(grid)
    names = list(grid)
    return [dict(zip(names, combo)) for combo in itertools.product(*(grid[n] for n in names))]


def check_space(space) -> dict:
    """A search space: name -> Choice / Uniform / LogUniform / IntUniform (a plain list means Choice)."""
    if not isinstance(space, dict) or not space:
        raise ValueError(f"sweep: `space` must be a non-empty dict of name -> distribution, got {space!r}")
    out = {}
    for name, dist in space.items():
        if isinstance(dist, (list, tuple)):
            dist = Choice(tuple(dist))
        if not hasattr(dist, "suggest"):
            raise ValueError(f"sweep: space parameter {name!r} must be a Choice, Uniform, LogUniform, IntUniform "
                             f"or a list of values, got {dist!r}")
        out[name] = dist
    return out
