"""Atomic file writes: a temporary file beside the target, flushed and renamed, with the umask's permissions."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["atomic_write", "STALE_SECONDS"]

#: a leftover temporary file untouched this long is from a crashed save (a live one is being written to)
STALE_SECONDS = 60.0
_umask_lock = threading.Lock()


def _umask() -> int:
    with _umask_lock:  # NOTE: reading the umask means setting it; the lock keeps our threads from racing
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _remove_stale(path: Path) -> None:
    """Delete ``.NAME.*.tmp`` files a crashed save left beside ``path``, so they do not pile up."""
    cutoff = time.time() - STALE_SECONDS
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass  # another process removed or replaced it first


def atomic_write(path, write) -> None:
    """Call ``write(binary_file)`` on a temporary file, fsync it and rename it onto ``path``.

    The file gets the permissions a plain ``open(path, "w")`` would (0666 less the umask), not mkstemp's
    0600. A crash or error mid-write leaves the previous file untouched; the next save clears what it left.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
