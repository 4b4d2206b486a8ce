"""Host threads for kernels: NumPy releases the GIL in copies, ufunc loops and BLAS calls.

OpenBLAS runs its GEMMs on every core, but a NumPy copy or ``maximum`` runs on one, and a GEMM on a cache-sized
chunk is too small for OpenBLAS to split well (each call waits for all its threads, which costs most on a busy
machine). ``split_work`` cuts a kernel into disjoint parts along one axis and runs them on a small pool, one part
per thread; with ``blas=True`` (the parts call BLAS) OpenBLAS is held to one thread meanwhile, through
threadpoolctl (installed with scikit-learn), and without threadpoolctl such a kernel runs in one piece. Each part
writes its own slice of the output, so results do not depend on how many threads ran them (a reduction that the
caller adds up per part is the exception: summed in part order, it depends only on the thread count).
Only NumPy work is split: CuPy kernels are asynchronous already, and other array modules run inline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import numpy as np

__all__ = ["host_threads", "split_work", "split_bounds", "MIN_SPLIT_VALUES"]

#: below this many values a kernel runs inline: a thread hand-off costs ~20 µs, a 256k-value copy ~60 µs
MIN_SPLIT_VALUES = 1 << 18

_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_inside = threading.local()  # set while a thread runs a part: a nested split runs inline (no pool deadlock)
_blas_controller = None


def host_threads() -> int:
    """Threads for host kernels: ``NERVE_NUM_THREADS``, else ``OMP_NUM_THREADS``, else the CPU count (max 8)."""
    for name in ("NERVE_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(int(value), 8)
    return min(os.cpu_count() or 1, 8)


def split_bounds(length: int, parts: int) -> list[int]:
    """Boundaries of ``parts`` near-equal contiguous parts of ``range(length)``."""
    return [length * k // parts for k in range(parts + 1)]


def _single_thread_blas():
    """A context holding BLAS to one thread, or None when threadpoolctl is missing."""
    global _blas_controller
    if _blas_controller is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _blas_controller = False
        else:
            _blas_controller = ThreadpoolController()
    return _blas_controller.limit(limits=1, user_api="blas") if _blas_controller else None


def _run(kernel, start: int, stop: int) -> None:
    _inside.active = True
    try:
        kernel(start, stop)
    finally:
        _inside.active = False


def split_work(xp, length: int, values: int, kernel: Callable[[int, int], None], blas: bool = False,
               threads: int | None = None) -> int:
    """Run ``kernel(start, stop)`` over ``range(length)`` in ``split_bounds`` parts, one per host thread.

    ``values`` is the size of the whole job (array elements); small jobs, non-NumPy arrays and calls from inside
    a part run inline as one part. Returns how many parts ran (their bounds are ``split_bounds(length, parts)``).
    """
    global _pool, _pool_size
    parts = min(threads or host_threads(), length)
    if xp is not np or parts < 2 or values < MIN_SPLIT_VALUES or getattr(_inside, "active", False):
        kernel(0, length)
        return 1
    limit = _single_thread_blas() if blas else None
    if blas and limit is None:
        kernel(0, length)
        return 1
    if _pool is None or _pool_size < parts:
        _pool, _pool_size = ThreadPoolExecutor(parts, thread_name_prefix="nerve-host"), parts
    bounds = split_bounds(length, parts)
    with limit if limit is not None else nullcontext():
        futures = [_pool.submit(_run, kernel, bounds[k], bounds[k + 1]) for k in range(1, parts)]
        _run(kernel, bounds[0], bounds[1])  # the calling thread takes the first part
        for future in futures:
            future.result()
    return parts

