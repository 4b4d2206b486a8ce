"""A strict reader (and writer) for IDX files, the format of MNIST and Fashion-MNIST, plain or gzipped."""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

__all__ = ["IDXError", "read_idx", "write_idx"]

# IDX type byte -> big-endian dtype of the stored values.
_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_CODES = {np.dtype(v).newbyteorder("=").str: k for k, v in _TYPES.items()}
_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """An IDX file is truncated, corrupted or not an IDX file at all."""


def _parse_header(head: bytes, read_more, where: str) -> tuple[np.dtype, tuple[int, ...], int]:
    """Decode magic number and sizes -> (big-endian dtype, shape, header length in bytes)."""
    if len(head) < 4:
        raise IDXError(f"{where}: file too short for an IDX header ({len(head)} bytes, need at least 4)")
    zero, code, ndim = struct.unpack(">HBB", head[:4])
    if zero != 0:
        raise IDXError(
            f"{where}: not an IDX file: magic number {head[:4].hex()} should start with two zero bytes"
        )
    if code not in _TYPES:
        raise IDXError(
            f"{where}: unknown IDX data type 0x{code:02x}; expected one of "
            + ", ".join(f"0x{c:02x}" for c in _TYPES)
        )
    if not 1 <= ndim <= 16:
        raise IDXError(f"{where}: IDX dimension count {ndim} is out of range (expected 1..16)")
    sizes = read_more(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise IDXError(f"{where}: truncated header: {ndim} dimension sizes announced, file ends first")
    shape = struct.unpack(f">{ndim}I", sizes)
    return np.dtype(_TYPES[code]), tuple(int(s) for s in shape), 4 + 4 * ndim


def _payload_bytes(dtype: np.dtype, shape: tuple[int, ...]) -> int:
    """Number of data bytes the header promises (Python ints: no overflow)."""
    n = dtype.itemsize
    for s in shape:
        n *= s
    return n


def _finish(buf, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """Big-endian bytes -> native-endian array of ``shape``."""
    arr = np.frombuffer(buf, dtype=dtype).reshape(shape)
    return arr if dtype.itemsize == 1 else arr.astype(dtype.newbyteorder("="))


def read_idx(path) -> np.ndarray:
    """Read an IDX file (``.gz`` or plain) into a native-endian array, checking it strictly.

    The magic number, data type, dimension count and the sizes against the file's length are checked
    before any data is allocated; a truncated or corrupted file raises :class:`IDXError` naming the file.
    """
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"read_idx: no such file: {path}")
    with open(path, "rb") as f:
        is_gzip = f.read(2) == _GZIP_MAGIC
    return _read_gzip(path) if is_gzip else _read_plain(path)


def _read_plain(path: Path) -> np.ndarray:
    size = path.stat().st_size
    with open(path, "rb") as f:
        dtype, shape, offset = _parse_header(f.read(4), f.read, str(path))
        expected = offset + _payload_bytes(dtype, shape)
        if size != expected:
            what = "truncated" if size < expected else "has trailing bytes"
            raise IDXError(
                f"{path}: {what}: header announces shape {shape} of {dtype.str[1:]} "
                f"({expected} bytes with the header) but the file holds {size} bytes"
            )
        buf = bytearray(expected - offset)
        if f.readinto(buf) != len(buf):
            raise IDXError(f"{path}: file changed while reading")
    return _finish(buf, dtype, shape)


def _read_gzip(path: Path) -> np.ndarray:
    # The gzip trailer stores the uncompressed size modulo 2**32: a cheap check before decompressing.
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        if f.tell() < 18:
            raise IDXError(f"{path}: truncated gzip file ({f.tell()} bytes)")
        f.seek(-4, os.SEEK_END)
        isize = struct.unpack("<I", f.read(4))[0]
    try:
        with gzip.open(path, "rb") as g:
            dtype, shape, offset = _parse_header(g.read(4), g.read, str(path))
            nbytes = _payload_bytes(dtype, shape)
            if (offset + nbytes) % 2**32 != isize:
                what = "truncated" if isize < offset + nbytes else "has trailing bytes"
                raise IDXError(
                    f"{path}: {what}: header announces shape {shape} of {dtype.str[1:]} "
                    f"({offset + nbytes} bytes uncompressed) but the gzip trailer says {isize} bytes"
                )
            buf = bytearray(nbytes)
            view, got = memoryview(buf), 0
            while got < nbytes:
                n = g.readinto(view[got:])
                if not n:
                    raise IDXError(f"{path}: truncated: expected {nbytes} data bytes, got {got}")
                got += n
            if g.read(1):
                raise IDXError(f"{path}: trailing bytes after the {nbytes} data bytes the header announces")
    except (EOFError, OSError, zlib.error) as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise IDXError(f"{path}: corrupted or truncated gzip stream ({e})") from None
    return _finish(buf, dtype, shape)


def write_idx(path, array) -> Path:
    """Write ``array`` as an IDX file (gzipped when ``path`` ends in ``.gz``); returns the path."""
    arr = np.asarray(array)
    key = arr.dtype.newbyteorder("=").str if arr.dtype.byteorder != "|" else arr.dtype.str
    if key not in _CODES:
        raise TypeError(
            f"write_idx: dtype {arr.dtype} has no IDX code; use uint8, int8, int16, int32, float32 or float64"
        )
    if not 1 <= arr.ndim <= 16:
        raise ValueError(f"write_idx: expected 1 to 16 dimensions, got shape {arr.shape}")
    code = _CODES[key]
    data = struct.pack(">HBB", 0, code, arr.ndim) + struct.pack(f">{arr.ndim}I", *arr.shape)
    data += np.ascontiguousarray(arr, dtype=_TYPES[code]).tobytes()
    path = Path(os.fspath(path))
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as f:
        f.write(data)
    return path
