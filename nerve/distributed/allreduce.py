"""Gradient averaging across processes: one Allreduce per dtype on a flat buffer (Horovod's way)."""

from __future__ import annotations

import numpy as np

from ..backend import get_array_module

__all__ = ["GradientAllreduce"]


class GradientAllreduce:
    """A gradient transform: every rank's gradients become the gradient of the whole global batch.

    Each rank computed the mean gradient over its own shard of ``n_r`` samples. The global batch's mean gradient
    is Σ_r n_r·g_r / Σ_r n_r, so each rank packs n_r·g (every parameter of one dtype, end to end) and n_r itself
    into one flat buffer, the buffers are summed by one Allreduce, and the sums are divided by Σ n_r. Shards of
    unequal size (the last batch of an epoch) are weighted exactly. The buffer is kept between steps.

    ``local_count`` is set before each step (the data-parallel callback does it from the batch size).
    """

    def __init__(self, world):
        self.world = world
        self.local_count = 1
        self._buffers: dict = {}  # dtype -> flat buffer of len(all gradients of that dtype) + 1

    def __call__(self, grads: dict, params=None) -> None:
        if self.world.size == 1:
            return
        by_dtype: dict = {}
        for key, g in grads.items():
            by_dtype.setdefault(np.dtype(g.dtype), []).append(key)
        for dtype, keys in by_dtype.items():
            size = sum(grads[k].size for k in keys)
            xp = get_array_module(grads[keys[0]])
            buf = self._buffers.get(dtype)
            if buf is None or buf.size != size + 1 or get_array_module(buf) is not xp:
                # NOTE: CuPy gradients stay on the GPU; MPI then needs to be CUDA-aware (mpi4py passes the pointer)
                buf = self._buffers[dtype] = xp.empty(size + 1, dtype=dtype)
            offset = 0
            for k in keys:  # pack n_r·g_r
                g = grads[k]
                xp.multiply(g.reshape(-1), self.local_count, out=buf[offset:offset + g.size])
                offset += g.size
            buf[-1] = self.local_count
            self.world.allreduce_sum(buf)
            total = buf[-1]
            offset = 0
            for k in keys:  # unpack Σ n_r·g_r / Σ n_r
                g = grads[k]
                xp.divide(buf[offset:offset + g.size].reshape(g.shape), total, out=g)
                offset += g.size

    def __repr__(self):
        return f"GradientAllreduce({self.world!r})"
