"""Gradient averaging across processes: one Allreduce per dtype on a flat buffer (Horovod's way)."""

from __future__ import annotations

import numpy as np

from ..backend import get_array_module
from ..training import FlatBuffer

__all__ = ["GradientAllreduce"]


class GradientAllreduce:
    """A gradient transform: every rank's gradients become the gradient of the whole global batch.

    Each rank computed the mean gradient over its own shard of ``n_r`` samples. The global batch's mean gradient
    is Σ_r n_r·g_r / Σ_r n_r, so each rank packs n_r·g (every parameter of one dtype, end to end) and n_r itself
    into one flat buffer (:class:`nerve.training.FlatBuffer`), the buffers are summed by one Allreduce per dtype,
    and the sums are divided by Σ n_r on the way back. Shards of unequal size (the last batch of an epoch) are
    weighted exactly. The buffers are kept between steps.

    ``local_count`` is set before each step (the data-parallel callback does it from the batch size).
    """

    def __init__(self, world):
        self.world = world
        self.local_count = 1
        self.buffer = FlatBuffer()
        self._ones: dict = {}  # (dtype, array type) -> a one-element array holding 1: n_r once packed

    def _count_arrays(self, grads: dict) -> dict:
        """One counter per dtype, packed after that dtype's gradients; it holds 1, so packing times n_r gives n_r."""
        counts = {}
        for g in grads.values():
            key = (np.dtype(g.dtype), type(g))
            if key not in self._ones:
                self._ones[key] = get_array_module(g).ones(1, dtype=g.dtype)
            counts[f"/count/{key[0]}"] = self._ones[key]  # a leading "/": never a "<layer>/<param>" key
        return counts

    def __call__(self, grads: dict, params=None) -> None:
        if self.world.size == 1:
            return
        arrays = {**grads, **self._count_arrays(grads)}
        # NOTE: CuPy gradients stay on the GPU; MPI then needs to be CUDA-aware (mpi4py passes the pointer)
        for flat in self.buffer.pack(arrays, scale=self.local_count).values():
            self.world.allreduce_sum(flat)
        total = float(next(v for k, v in self.buffer.views.items() if k.startswith("/count/"))[0])
        self.buffer.unpack(arrays, scale=1.0 / total)  # Σ n_r·g_r / Σ n_r; the counters go back to 1

    def __repr__(self):
        return f"GradientAllreduce({self.world!r})"
