"""Safe .npz files: atomic writes, and reads that check every declared size before allocating anything."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import numpy as np

from ..backend import to_numpy
from .atomic import atomic_write

__all__ = ["atomic_savez", "read_npz"]

#: deflate cannot expand data more than ~1032x; a bigger claimed ratio means a forged or broken file
_MAX_DEFLATE_RATIO = 1100
_ALLOWED_KINDS = "biuf"  # bool, integers, floats: never objects, strings or structured records


def atomic_savez(path, arrays: dict[str, np.ndarray]) -> None:
    """Write an .npz beside ``path`` (temporary file, flush, fsync) and rename it into place.

    A crash or error mid-write leaves the previous file, if any, untouched and no temporary file behind
    (one left by a killed process is removed by the next save).
    """
    host = {k: to_numpy(v) for k, v in arrays.items()}  # device arrays come home
    atomic_write(path, lambda fh: np.savez(fh, **host))


def _check_member(info: zipfile.ZipInfo, disk_size: int, where: str) -> None:
    if info.compress_type == zipfile.ZIP_STORED:
        ok = info.file_size == info.compress_size <= disk_size
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        ok = info.compress_size <= disk_size and info.file_size <= info.compress_size * _MAX_DEFLATE_RATIO + 4096
    else:
        raise ValueError(f"{where}: member {info.filename!r} uses zip compression method {info.compress_type}; "
                         "NumPy files are stored or deflated")
    if not ok:
        raise ValueError(f"{where}: member {info.filename!r} declares {info.file_size} bytes, which a "
                         f"{disk_size}-byte file cannot hold; the file is corrupted")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> np.ndarray:
    key = info.filename[:-4]
    with zf.open(info) as f:
        version = np.lib.format.read_magic(f)
        reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran, dtype = reader(f)
        if dtype.hasobject or dtype.kind not in _ALLOWED_KINDS or dtype.fields is not None:
            raise ValueError(f"{where}: array {key!r} has dtype {dtype}; only numeric arrays are allowed")
        declared = math.prod(shape) * dtype.itemsize  # Python ints: no overflow for absurd shapes
        stored = info.file_size - f.tell()
        if declared != stored:
            raise ValueError(f"{where}: array {key!r} declares shape {shape} ({declared} bytes) but the file "
                             f"holds {stored} bytes for it; the file is truncated or corrupted")
        data = f.read(declared)
        if len(data) != declared or f.read(1):
            raise ValueError(f"{where}: array {key!r} is truncated")
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array.copy()


def read_npz(path, where: str) -> dict[str, np.ndarray]:
    """Every array of an .npz (never pickles), or a ValueError that says what is wrong with the file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{where}: no such file: {path}")
    disk_size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise ValueError(f"{where}: unexpected member {info.filename!r}; not a NumPy .npz file")
                _check_member(info, disk_size, where)
            return {info.filename[:-4]: _read_member(zf, info, where) for info in infos}
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as e:
        raise ValueError(f"{where}: {path} is not a readable .npz file ({type(e).__name__}: {e}); "
                         "it may be truncated or corrupted") from None
    except ValueError as e:
        if str(e).startswith(where):
            raise
        raise ValueError(f"{where}: {path} is corrupted ({e})") from None
