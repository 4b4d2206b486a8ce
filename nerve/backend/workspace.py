"""Scratch arrays shared by the layers of a thread: one flat buffer per purpose, grown to the largest request.

A layer's patch matrix is needed only inside one forward or backward call, so the convolutions of a network
can share one buffer instead of keeping one each (DeepConvNet: a few MB instead of ~250 MB of patch
matrices). The buffers are per thread (two trainings in two threads never share one) and per array module
and dtype.
``release_workspace()`` frees the calling thread's buffers (``model.release_buffers()`` and the end of
``fit`` call it); ``workspace_bytes()`` says how much they hold.
"""

from __future__ import annotations

import math
import threading

import numpy as np

__all__ = ["scratch", "release_workspace", "workspace_bytes"]

_local = threading.local()


def _buffers() -> dict:
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    return buffers


def scratch(xp, key: str, shape: tuple[int, ...], dtype):
    """An uninitialised array of ``shape``, a view of this thread's ``key`` buffer (valid until the next call
    with the same key)."""
    buffers = _buffers()
    size = math.prod(shape)
    slot = (key, xp.__name__, np.dtype(dtype))  # (str(dtype) took 2 µs, a tenth of a small convolution's call)
    flat = buffers.get(slot)
    if flat is None or flat.size < size:
        flat = buffers[slot] = xp.empty(size, dtype=dtype)
    return flat[:size].reshape(shape)


def release_workspace() -> None:
    """Free the calling thread's scratch buffers."""
    _buffers().clear()


def workspace_bytes() -> int:
    """Bytes held by the calling thread's scratch buffers."""
    return int(sum(flat.nbytes for flat in _buffers().values()))
