"""nerve.io.read_npz on hostile and unusual files: every check of the reader has a file that trips it."""

from __future__ import annotations

import io
import struct
import zipfile

import numpy as np
import pytest

from nerve.io import atomic_savez, read_npz


def _npy(array, version=(1, 0)) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, version=version, allow_pickle=True)
    return buf.getvalue()


def _zip(path, members: dict, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _forge_sizes(path, *, file_size=None, compress_size=None):
    """Rewrite the central directory's sizes of the first member (what zipfile's infolist reports)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    if compress_size is not None:
        struct.pack_into("<I", data, at + 20, compress_size)
    if file_size is not None:
        struct.pack_into("<I", data, at + 24, file_size)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.int64, np.float32, np.float64])
def test_numeric_arrays_round_trip_exactly(tmp_path, dtype):
    array = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    atomic_savez(tmp_path / "a.npz", {"w": array, "b": array[0]})
    out = read_npz(tmp_path / "a.npz", "test")
    assert sorted(out) == ["b", "w"]
    assert out["w"].dtype == dtype and out["w"].shape == (2, 3, 4)
    np.testing.assert_array_equal(out["w"], array)
    np.testing.assert_array_equal(out["b"], array[0])


def test_fortran_order_and_version_2_headers_are_read_as_written(tmp_path):
    array = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4))
    _zip(tmp_path / "f.npz", {"f.npy": _npy(array), "v2.npy": _npy(array.T.copy(), version=(2, 0))})
    out = read_npz(tmp_path / "f.npz", "test")
    np.testing.assert_array_equal(out["f"], array)
    np.testing.assert_array_equal(out["v2"], array.T)
    assert out["f"].flags.writeable  # a copy, not a view of the read bytes


def test_a_compressed_file_of_zeros_is_accepted(tmp_path):
    zeros = np.zeros(250_000, np.float32)  # 1 MB that deflates ~1000:1, the most deflate can do
    np.savez_compressed(tmp_path / "z.npz", z=zeros)
    np.testing.assert_array_equal(read_npz(tmp_path / "z.npz", "test")["z"], zeros)


@pytest.mark.parametrize("array", [np.array([1 + 2j]), np.array(["abc"]), np.array([b"ab"]),
                                   np.zeros(2, dtype=[("a", "f4"), ("b", "i4")]), np.array([{}, 1], dtype=object),
                                   np.array(["2026-12-03"], dtype="datetime64[D]")],
                         ids=["complex", "str", "bytes", "structured", "object", "datetime"])
def test_anything_but_bool_int_and_float_arrays_is_refused(tmp_path, array):
    _zip(tmp_path / "x.npz", {"x.npy": _npy(array)})
    with pytest.raises(ValueError, match=r"^test: array 'x' has dtype .*; only numeric arrays are allowed"):
        read_npz(tmp_path / "x.npz", "test")


def test_a_header_that_claims_more_data_than_the_member_holds_is_refused(tmp_path):
    data = _npy(np.zeros(10, np.float32)).replace(b"(10,)", b"(11,)")
    _zip(tmp_path / "x.npz", {"x.npy": data})
    message = r"^test: array 'x' declares shape \(11,\) \(44 bytes\) but the file holds 40"
    with pytest.raises(ValueError, match=message):
        read_npz(tmp_path / "x.npz", "test")


def test_trailing_bytes_after_the_array_are_refused(tmp_path):
    _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(10, np.float32)) + b"\0\0\0\0"})
    message = r"^test: array 'x' declares shape \(10,\) \(40 bytes\) but the file holds 44"
    with pytest.raises(ValueError, match=message):
        read_npz(tmp_path / "x.npz", "test")


def test_a_stored_member_claiming_more_than_the_file_is_refused_before_reading(tmp_path):
    path = _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(10, np.float32))})
    disk = path.stat().st_size
    _forge_sizes(path, file_size=disk + 1, compress_size=disk + 1)
    message = rf"^test: member 'x.npy' declares {disk + 1} bytes, which a {disk}-byte file"
    with pytest.raises(ValueError, match=message):
        read_npz(path, "test")


def test_a_stored_member_whose_sizes_disagree_is_refused(tmp_path):
    path = _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(10, np.float32))})
    info = zipfile.ZipFile(path).infolist()[0]
    _forge_sizes(path, file_size=info.file_size - 1)
    with pytest.raises(ValueError, match=r"^test: member 'x.npy' declares \d+ bytes"):
        read_npz(path, "test")


def test_a_deflated_member_claiming_an_impossible_ratio_is_refused(tmp_path):
    path = _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(1000, np.float32))}, zipfile.ZIP_DEFLATED)
    info = zipfile.ZipFile(path).infolist()[0]
    claim = info.compress_size * 1100 + 4097  # one byte past what deflate can expand to (with slack)
    _forge_sizes(path, file_size=claim)
    with pytest.raises(ValueError, match=rf"^test: member 'x.npy' declares {claim} bytes"):
        read_npz(path, "test")
    _forge_sizes(path, file_size=claim - 1)  # within the bound: the size check passes, the content check fails
    with pytest.raises(ValueError, match="declares shape"):
        read_npz(path, "test")


def test_a_deflated_member_larger_than_the_file_is_refused(tmp_path):
    path = _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(1000, np.float32))}, zipfile.ZIP_DEFLATED)
    disk = path.stat().st_size
    _forge_sizes(path, compress_size=disk + 1)
    with pytest.raises(ValueError, match=r"^test: member .* which a \d+-byte file cannot hold"):
        read_npz(path, "test")


def test_other_compressions_are_refused(tmp_path):
    path = _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(10, np.float32))}, zipfile.ZIP_BZIP2)
    message = r"^test: member 'x.npy' uses zip compression method 12; NumPy files are stored"
    with pytest.raises(ValueError, match=message):
        read_npz(path, "test")


def test_a_member_that_is_not_an_npy_is_refused(tmp_path):
    _zip(tmp_path / "x.npz", {"x.npy": _npy(np.zeros(2)), "evil.pkl": b"\x80\x04N."})
    with pytest.raises(ValueError, match=r"^test: unexpected member 'evil.pkl'; not a NumPy .npz file"):
        read_npz(tmp_path / "x.npz", "test")


def test_missing_and_non_zip_files_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"test: no such file: .*nothing.npz"):
        read_npz(tmp_path / "nothing.npz", "test")
    (tmp_path / "text.npz").write_text("not a zip")
    message = r"^test: .*text.npz is not a readable .npz file \(BadZipFile: .*\); it may be truncated or corrupted$"
    with pytest.raises(ValueError, match=message):
        read_npz(tmp_path / "text.npz", "test")


def test_a_deflated_member_shorter_than_its_header_and_sizes_claim_is_truncated(tmp_path):
    # header and central directory agree on 1001 floats, the compressed stream holds 1000
    data = _npy(np.zeros(1000, np.float32)).replace(b"(1000,)", b"(1001,)")
    path = _zip(tmp_path / "x.npz", {"x.npy": data}, zipfile.ZIP_DEFLATED)
    _forge_sizes(path, file_size=zipfile.ZipFile(path).infolist()[0].file_size + 4)
    with pytest.raises(ValueError, match=r"^test: array 'x' is truncated$"):
        read_npz(path, "test")


def test_a_member_that_is_no_npy_inside_is_named_corrupted(tmp_path):
    _zip(tmp_path / "x.npz", {"x.npy": b"GIF89a, not an array"})
    with pytest.raises(ValueError, match=r"^test: .*x.npz is corrupted \(the magic string is not correct"):
        read_npz(tmp_path / "x.npz", "test")
