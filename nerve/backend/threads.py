"""Host threads for memory-bound kernels: NumPy releases the GIL in copies and ufunc loops, BLAS is not needed.

OpenBLAS runs its GEMMs on every core, but a NumPy copy or ``maximum`` runs on one. ``split_work`` cuts such a
kernel into disjoint chunks along one axis and runs them on a small pool, so patch copies use the cores the
GEMM uses. Each chunk writes its own part of the output, so results are identical for any number of threads.
Only NumPy work is split: CuPy kernels are asynchronous already, and other array modules run inline.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["host_threads", "split_work", "MIN_SPLIT_VALUES"]

#: below this many values a kernel runs inline: a thread hand-off costs ~20 µs, a 256k-value copy ~60 µs
MIN_SPLIT_VALUES = 1 << 18

_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def host_threads() -> int:
    """Threads for host kernels: ``NERVE_NUM_THREADS``, else ``OMP_NUM_THREADS``, else the CPU count (max 8)."""
    for name in ("NERVE_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(int(value), 8)
    return min(os.cpu_count() or 1, 8)


def split_work(xp, length: int, values: int, kernel: Callable[[int, int], None]) -> None:
    """Run ``kernel(start, stop)`` over ``range(length)`` in chunks, one per host thread when worth it.

    ``values`` is the size of the whole job (in array elements); small jobs and non-NumPy arrays run inline.
    """
    global _pool, _pool_size
    threads = min(host_threads(), length)
    if xp is not np or threads < 2 or values < MIN_SPLIT_VALUES:
        kernel(0, length)
        return
    if _pool is None or _pool_size != threads:
        if _pool is not None:
            _pool.shutdown(wait=False)
        _pool, _pool_size = ThreadPoolExecutor(threads, thread_name_prefix="nerve-host"), threads
    bounds = [length * k // threads for k in range(threads + 1)]
    futures = [_pool.submit(kernel, bounds[k], bounds[k + 1]) for k in range(1, threads)]
    kernel(bounds[0], bounds[1])  # the calling thread takes the first chunk
    for future in futures:
        future.result()
