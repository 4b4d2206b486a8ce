"""Host threads for memory-bound kernels: NumPy releases the GIL in copies and ufunc loops.

OpenBLAS runs its GEMMs on every core, but a NumPy copy runs on one. ``split_work`` cuts such a kernel into
disjoint parts along one axis and runs them on a small pool, one part per thread, so the patch copies of a
convolution use the cores its GEMM uses. Each part writes its own slice of the output, so results do not depend
on the number of threads. Only NumPy work is split: CuPy kernels are asynchronous already, and other array
modules run inline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["host_threads", "split_work", "MIN_SPLIT_VALUES"]

#: below this many values a kernel runs inline: a thread hand-off costs ~20 µs, a 256k-value copy ~60 µs
MIN_SPLIT_VALUES = 1 << 18

_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_inside = threading.local()  # set while a thread runs a part: a nested split runs inline (no pool deadlock)


_CPUS = os.cpu_count() or 1  # NOTE: read once: os.cpu_count() takes ~6 µs, and split_work asks per chunk


def host_threads() -> int:
    """Threads for host kernels: ``NERVE_NUM_THREADS``, else ``OMP_NUM_THREADS``, else the CPU count (max 8)."""
    for name in ("NERVE_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(int(value), 8)
    return min(_CPUS, 8)


def _run(kernel, start: int, stop: int) -> None:
    _inside.active = True
    try:
        kernel(start, stop)
    finally:
        _inside.active = False


def split_work(xp, length: int, values: int, kernel: Callable[[int, int], None]) -> int:
    """Run ``kernel(start, stop)`` over ``range(length)`` in near-equal contiguous parts, one per host thread.

    ``values`` is the size of the whole job (array elements); small jobs, non-NumPy arrays and calls from inside
    a part run inline as one part. Returns how many parts ran.
    """
    global _pool, _pool_size
    # NOTE: the cheap tests first: host_threads() reads the environment (~3 µs), more than a small job is worth
    parts = 1 if xp is not np or values < MIN_SPLIT_VALUES else min(host_threads(), length)
    if parts < 2 or getattr(_inside, "active", False):
        kernel(0, length)
        return 1
    if _pool is None or _pool_size < parts:
        _pool, _pool_size = ThreadPoolExecutor(parts, thread_name_prefix="nerve-host"), parts
    bounds = [length * k // parts for k in range(parts + 1)]
    futures = [_pool.submit(_run, kernel, bounds[k], bounds[k + 1]) for k in range(1, parts)]
    _run(kernel, bounds[0], bounds[1])  # the calling thread takes the first part
    for future in futures:
        future.result()
    return parts
