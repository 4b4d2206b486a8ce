"""Flat buffers: many named arrays packed into one contiguous array per dtype, for one collective call each.

Data-parallel training averages gradients with one Allreduce per dtype over a flat buffer (Horovod's tensor
fusion), and broadcasts the initial weights the same way. The layers keep their own arrays (the book's
``params``/``grads`` dicts, ``model.to(device)`` and nested models rely on that); a :class:`FlatBuffer` copies
them in before the collective and back after it::

    buffer = FlatBuffer()

    def average_gradients(grads, params):          # a gradient transform: Optimizer(transforms=[...])
        for flat in buffer.pack(grads).values():   # one flat array per dtype
            comm.Allreduce(MPI.IN_PLACE, flat)
            flat /= comm.size
        buffer.unpack(grads)                      # back into the layers' gradient arrays

The two copies cost a pass over the gradients each, small next to forward and backward.
"""

from __future__ import annotations

import math

from ..backend import get_array_module

__all__ = ["FlatBuffer"]


class FlatBuffer:
    """One reusable flat array per dtype holding a copy of a dict of arrays, with per-name views into it.

    The buffers are made on the first ``pack`` and remade only when the names, shapes, dtypes or array module
    change (a new model, ``model.to(device)``); otherwise every ``pack`` reuses them.
    """

    def __init__(self):
        self._layout: tuple = ()
        self.flats: dict = {}  # dtype -> flat array
        self.views: dict = {}  # name -> view of its flat array, in the array's shape

    def _build(self, arrays: dict) -> None:
        layout = _layout(arrays)
        if layout == self._layout:
            return
        sizes: dict = {}
        for a in arrays.values():
            sizes[a.dtype] = sizes.get(a.dtype, 0) + a.size
        first = {}
        for a in arrays.values():
            first.setdefault(a.dtype, a)
        self.flats = {dt: get_array_module(first[dt]).empty(n, dtype=dt) for dt, n in sizes.items()}
        offsets = dict.fromkeys(sizes, 0)
        self.views = {}
        for k, a in arrays.items():
            start, size = offsets[a.dtype], math.prod(a.shape)
            self.views[k] = self.flats[a.dtype][start:start + size].reshape(a.shape)
            offsets[a.dtype] = start + size
        self._layout = layout

    def pack(self, arrays: dict, scale=None) -> dict:
        """Copy ``arrays`` (times ``scale``, in the same pass, when given) into the flat buffers; returns them,
        ``{dtype: flat array}``."""
        self._build(arrays)
        for k, a in arrays.items():
            if scale is None:
                self.views[k][...] = a
            else:
                get_array_module(a).multiply(a, scale, out=self.views[k])
        return self.flats

    def unpack(self, arrays: dict, scale=None) -> None:
        """Copy the flat buffers' contents (times ``scale``, when given) back into ``arrays`` (the dict last
        packed, or one just like it)."""
        if _layout(arrays) != self._layout:
            raise ValueError("FlatBuffer.unpack: the arrays differ in names, shapes or dtypes from those packed")
        for k, a in arrays.items():
            if scale is None:
                a[...] = self.views[k]
            else:
                get_array_module(a).multiply(self.views[k], scale, out=a)

    def __repr__(self):
        sizes = {str(dt): int(f.size) for dt, f in self.flats.items()}
        return f"FlatBuffer({len(self.views)} arrays, sizes={sizes})"


def _layout(arrays: dict) -> tuple:
    """What the flat buffers depend on: every array's name, shape, dtype and type, in order."""
    return tuple((k, a.shape, a.dtype, type(a)) for k, a in arrays.items())
