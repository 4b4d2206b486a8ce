"""The default dtype (float32, or float64 for gradient checks), local to the current context."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import numpy as np

from ..validation import Satisfies, validate_params

__all__ = ["floatx", "set_default_dtype", "default_dtype"]

_ALLOWED = (np.float32, np.float64)
# NOTE: a ContextVar, not a module global: each thread (and each contextvars.Context) starts at float32,
# so a gradient check running in float64 in one thread never changes the dtype of a training in another.
_dtype: contextvars.ContextVar[type] = contextvars.ContextVar("nerve_default_dtype", default=np.float32)


def floatx() -> type:
    """The dtype new parameters and computations use (float32 unless changed in this context)."""
    return _dtype.get()


@validate_params({"dtype": [Satisfies(lambda d: np.dtype(d).type in _ALLOWED, "np.float32 or np.float64")]})
def set_default_dtype(dtype) -> None:
    """Switch new parameters and computations to ``dtype`` (np.float32 or np.float64) in this context."""
    _dtype.set(np.dtype(dtype).type)


@contextlib.contextmanager
def default_dtype(dtype) -> Iterator[None]:
    """Temporarily use ``dtype`` as the default, e.g. ``with default_dtype(np.float64): ...``."""
    old = _dtype.get()
    set_default_dtype(dtype)
    try:
        yield
    finally:
        _dtype.set(old)
