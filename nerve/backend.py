"""Dtype policy (float32 by default, float64 for gradient checks) and seeded randomness."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

__all__ = ["floatx", "set_default_dtype", "default_dtype", "seed", "rng", "get_rng_state", "set_rng_state"]

_ALLOWED = (np.float32, np.float64)
_dtype: type = np.float32
_rng: np.random.Generator = np.random.default_rng()


def floatx() -> type:
    """The dtype new parameters and computations use (float32 unless changed)."""
    return _dtype


def set_default_dtype(dtype) -> None:
    """Switch new parameters and computations to ``dtype`` (np.float32 or np.float64)."""
    global _dtype
    dt = np.dtype(dtype).type
    if dt not in _ALLOWED:
        raise ValueError(f"set_default_dtype: expected np.float32 or np.float64, got {dtype!r}")
    _dtype = dt


@contextlib.contextmanager
def default_dtype(dtype) -> Iterator[None]:
    """Temporarily use ``dtype`` as the default, e.g. ``with default_dtype(np.float64): ...``."""
    old = _dtype
    set_default_dtype(dtype)
    try:
        yield
    finally:
        set_default_dtype(old)


def seed(n: int | None) -> None:
    """Make initialisation, shuffling and dropout reproducible."""
    global _rng
    if n is not None and (not isinstance(n, (int, np.integer)) or n < 0):
        raise ValueError(f"seed: expected a non-negative integer or None, got {n!r}")
    _rng = np.random.default_rng(n)


def rng() -> np.random.Generator:
    """The library's random generator; every random draw in nerve goes through it."""
    return _rng


def get_rng_state() -> dict:
    """The generator's state as plain data (JSON-serialisable), for checkpoints."""
    return _rng.bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a state from :func:`get_rng_state`."""
    _rng.bit_generator.state = state
