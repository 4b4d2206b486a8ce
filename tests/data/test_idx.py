"""The strict IDX reader: round trips, and clear errors for every way a file can be broken."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from nerve.data.idx import IDXError, read_idx, write_idx


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip_every_type(tmp_path, dtype, suffix):
    x = (np.arange(2 * 3 * 4) - 5).astype(dtype).reshape(2, 3, 4)
    path = write_idx(tmp_path / f"a.idx{suffix}", x)
    y = read_idx(path)
    assert y.dtype == np.dtype(dtype).newbyteorder("=") and y.shape == (2, 3, 4)
    np.testing.assert_array_equal(y, x)


def test_idx_header_is_big_endian_as_in_mnist(tmp_path):
    path = write_idx(tmp_path / "labels", np.array([7, 2, 1], dtype=np.uint8))
    raw = path.read_bytes()
    assert raw[:4] == b"\x00\x00\x08\x01"  # the MNIST label magic 2049
    assert struct.unpack(">I", raw[4:8]) == (3,) and raw[8:] == b"\x07\x02\x01"
    big = write_idx(tmp_path / "ints", np.array([1, 256], dtype=np.int32)).read_bytes()
    assert big[8:] == b"\x00\x00\x00\x01\x00\x00\x01\x00"


def test_idx_reads_gzip_by_content_not_name(tmp_path):
    x = np.arange(10, dtype=np.uint8)
    path = tmp_path / "no_suffix"
    path.write_bytes(gzip.compress(write_idx(tmp_path / "plain", x).read_bytes()))
    np.testing.assert_array_equal(read_idx(path), x)


def _broken(tmp_path, data: bytes, gz: bool = False):
    path = tmp_path / ("bad.gz" if gz else "bad")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x01\x00\x08\x01\x00\x00\x00\x01\x05", "two zero bytes"),
        (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "unknown IDX data type 0x07"),
        (b"\x00\x00\x08\x00", "dimension count 0"),
        (b"\x00\x00\x08\x03\x00\x00\x00\x01", "truncated header"),
        (b"\x00\x00", "too short"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "truncated"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", "trailing"),
    ],
)
def test_idx_rejects_broken_files_naming_them(tmp_path, data, message, gz):
    path = _broken(tmp_path, data, gz)
    with pytest.raises(IDXError, match=message) as e:
        read_idx(path)
    assert str(path) in str(e.value)


def test_idx_huge_announced_size_fails_before_allocating(tmp_path):
    # 4 dims of 2**32-1: ~3e38 bytes; must fail on the length check, not on allocation.
    path = _broken(tmp_path, b"\x00\x00\x08\x04" + b"\xff" * 16 + b"\x00" * 8)
    with pytest.raises(IDXError, match="truncated"):
        read_idx(path)
    with pytest.raises(IDXError, match="gzip trailer"):
        read_idx(_broken(tmp_path, b"\x00\x00\x08\x04" + b"\xff" * 16 + b"\x00" * 8, gz=True))


def test_idx_truncated_gzip_stream_is_reported(tmp_path):
    data = gzip.compress(write_idx(tmp_path / "x", np.arange(5000, dtype=np.uint8) % 7).read_bytes())
    path = tmp_path / "cut.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IDXError, match="cut.gz"):
        read_idx(path)


def test_idx_corrupted_gzip_crc_is_reported(tmp_path):
    data = bytearray(gzip.compress(write_idx(tmp_path / "x", np.arange(300, dtype=np.uint8)).read_bytes()))
    data[-8] ^= 0xFF  # CRC32 field of the trailer
    path = tmp_path / "crc.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(IDXError, match="corrupted or truncated gzip"):
        read_idx(path)


def test_idx_missing_file_and_unwritable_dtype(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        read_idx(tmp_path / "nope")
    with pytest.raises(TypeError, match="uint8, int8"):
        write_idx(tmp_path / "c", np.zeros(3, dtype=np.complex64))
