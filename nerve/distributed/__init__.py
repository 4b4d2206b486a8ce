"""Data-parallel training over MPI (mpi4py): one model on K processes started by ``mpiexec``.

    $ mpiexec -n 2 nerve train --dataset digits --model mlp --epochs 3 --batch-size 64 --distributed

From Python, every process runs the same script::

    world = nerve.distributed.init()              # rank and size from mpiexec; no MPI import when alone
    nerve.seed(0)                                 # every process: the same generator state
    model = ...; model.compile(...)
    model.fit(nerve.distributed.shard(x, y, world, batch_size=64), epochs=3,
              callbacks=[nerve.distributed.DataParallel(world)], verbose=int(world.is_root))

``--batch-size`` stays the global batch: each process computes its contiguous part, gradients are averaged by
one Allreduce per dtype, and the processes stay identical. Only rank 0 should write files. Dropout draws each
mask for the whole global batch and keeps its own rows, so a K-process run has the masks (and the weights,
to float rounding) of a single-process run.
"""

from __future__ import annotations

from .allreduce import GradientAllreduce
from .data_parallel import DataParallel, broadcast_model, shard
from .world import World, init, launched_world_size, require_mpi4py

__all__ = ["init", "World", "launched_world_size", "require_mpi4py", "GradientAllreduce", "DataParallel",
           "shard", "broadcast_model"]
