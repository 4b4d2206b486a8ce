"""nerve's random generator: every random draw goes through it; local to the current context."""

from __future__ import annotations

import contextvars

import numpy as np

from ..validation import Integral, Interval, validate_params

__all__ = ["seed", "rng", "get_rng_state", "set_rng_state"]

# NOTE: a ContextVar, not a module global: two trainings in two threads, each calling seed(k), draw from two
# generators and get the weights they get alone. A context that has no generator yet (a new thread, a fresh
# contextvars.Context) gets its own, seeded from OS entropy, on its first draw; it never shares the main one.
_rng: contextvars.ContextVar[np.random.Generator] = contextvars.ContextVar("nerve_rng")
_rng.set(np.random.default_rng())


@validate_params({"n": [None, Interval(Integral, 0, None)]})
def seed(n: int | None) -> None:
    """Make initialisation, shuffling and dropout reproducible (in this context: thread or Context)."""
    _rng.set(np.random.default_rng(n))


def rng() -> np.random.Generator:
    """The generator of this context; every random draw in nerve goes through it."""
    try:
        return _rng.get()
    except LookupError:
        gen = np.random.default_rng()
        _rng.set(gen)
        return gen


def get_rng_state() -> dict:
    """The generator's state as plain data (JSON-serialisable), for checkpoints."""
    return rng().bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a state from :func:`get_rng_state`."""
    rng().bit_generator.state = state
