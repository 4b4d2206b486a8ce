"""How the book's layers drive nerve's: one nerve layer per sample shape, built in the parameters' dtype."""

from __future__ import annotations

import numpy as np

from ..backend import default_dtype

__all__ = ["as_float", "engine_for", "share_params", "fresh_grads"]


def as_float(x, dtype=None) -> np.ndarray:
    """``x`` as a float array: ``dtype`` if given (a layer's parameter dtype), else float64 for integer input."""
    x = np.asarray(x)
    if dtype is not None:
        return x.astype(dtype, copy=False)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def engine_for(current, key: tuple, sample_shape: tuple, make, dtype=np.float64):
    """``current`` if it was made for ``key``, else ``make()`` built for ``sample_shape`` in ``dtype``.

    The book's layers take any input size; nerve's are built for one, so a new size gets a new nerve layer.
    Building under ``default_dtype`` keeps the layer's gradient buffers in the parameters' dtype (float64 for
    the book) without touching the global default other code sees.
    """
    if current is not None and getattr(current, "_book_key", None) == key:
        return current
    dtype = np.dtype(dtype).type if np.dtype(dtype).type in (np.float32, np.float64) else np.float64
    with default_dtype(dtype):
        layer = make()
        layer.build(tuple(int(d) for d in sample_shape))
    layer._book_key = key
    return layer


def share_params(layer, params: dict) -> None:
    """Make ``layer`` compute with the book's arrays (the ones in the network's ``params`` dict).

    Done before every forward, so an array the book's code assigns (``layer.W = ...``) is used as well.
    """
    for name, value in params.items():
        layer.params[name] = value


def fresh_grads(layer) -> None:
    """Give ``layer`` new gradient arrays to write, as the book makes new ``dW``/``db`` on every backward.

    So a ``grads`` dict returned by ``gradient()`` stays valid after the next call (nerve's own layers
    reuse one buffer per parameter).
    """
    for name, value in layer.params.items():
        layer.grads[name] = np.empty(value.shape, dtype=value.dtype)
