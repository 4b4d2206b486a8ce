"""Shared by the benchmarks: Fashion-MNIST loading, timing, peak memory, a fair torch setup."""

from __future__ import annotations

import resource
import sys
import time

__all__ = ["load_data", "timed", "peak_rss_mb", "import_torch"]


def load_data(flatten: bool, limit: int | None = None):
    """Fashion-MNIST from the system copy (apt-get install dataset-fashion-mnist) as float32."""
    from nerve.datasets import load_fashion_mnist

    (x, t), (xt, tt) = load_fashion_mnist(flatten=flatten, download=False)
    if limit:
        x, t = x[:limit], t[:limit]
    return (x, t), (xt, tt)


def timed(fn):
    """(result, seconds) of fn()."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_torch():
    try:
        import torch
    except ImportError:
        sys.exit("this benchmark compares with PyTorch CPU: .venv/bin/pip install torch==2.13.0")
    return torch
