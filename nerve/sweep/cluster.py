"""Where trials run: an embedded Dask LocalCluster, or a running Dask scheduler given by its address."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["connect", "require_distributed"]


def require_distributed():
    """``dask.distributed``, or an ImportError that says what to install."""
    try:
        import distributed
    except ImportError:
        raise ImportError("sweeps run on Dask: pip install 'nerve[sweep]' (or pip install 'dask[distributed]')") \
            from None
    return distributed


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int = 2, processes: bool = True,
            timeout: float = 10.0) -> Iterator[object]:
    """A Dask client: on ``scheduler`` ("tcp://host:8786") if given, else on a LocalCluster made here.

    The LocalCluster has ``workers`` workers of one thread each (Dask sets OMP/OpenBLAS threads to 1 in worker
    processes), listens on 127.0.0.1 only (``processes=False`` keeps them in this process: no network at all),
    has no dashboard, and is closed on exit.
    """
    distributed = require_distributed()
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as e:
            raise ConnectionError(f"sweep: no Dask scheduler answered at {scheduler} within {timeout:g} s ({e}); "
                                  f"start one with `dask scheduler` or leave out --scheduler") from None
        try:
            yield client
        finally:
            client.close()
        return
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"sweep: `workers` must be an integer >= 1, got {workers!r}")
    # NOTE: in-process workers talk over Dask's inproc:// transport, which takes no host
    network = {"host": "127.0.0.1"} if processes else {}
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                       dashboard_address=None, **network)
    try:
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()
