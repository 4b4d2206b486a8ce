"""download(): mirrors in order, SHA-256 checks, .part files, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib

import pytest

from nerve.data.download import DownloadError, cache_dir, download, sha256_file

BODY = bytes(range(256)) * 40
DIGEST = hashlib.sha256(BODY).hexdigest()


def test_download_good_file_is_verified_and_renamed(tmp_path, http_server):
    base, routes, hits = http_server
    routes["f.bin"] = BODY
    dest = download([f"{base}/good/f.bin"], tmp_path / "sub" / "f.bin", sha256=DIGEST, progress=False)
    assert dest.read_bytes() == BODY and sha256_file(dest) == DIGEST
    assert sorted(p.name for p in dest.parent.iterdir()) == ["f.bin"]
    assert hits == ["/good/f.bin"]


def test_download_checksum_mismatch_is_rejected_and_nothing_kept(tmp_path, http_server):
    base, routes, _ = http_server
    routes["f.bin"] = BODY
    with pytest.raises(DownloadError, match="checksum mismatch") as e:
        download([f"{base}/corrupt/f.bin"], tmp_path / "f.bin", sha256=DIGEST, progress=False)
    assert f"{base}/corrupt/f.bin" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_download_falls_back_to_next_mirror(tmp_path, http_server):
    base, routes, hits = http_server
    routes["f.bin"] = BODY
    urls = [f"{base}/fail/f.bin", f"{base}/corrupt/f.bin", f"{base}/partial/f.bin", f"{base}/good/f.bin"]
    dest = download(urls, tmp_path / "f.bin", sha256=[DIGEST.upper()], progress=False)
    assert dest.read_bytes() == BODY
    assert hits == ["/fail/f.bin", "/corrupt/f.bin", "/partial/f.bin", "/good/f.bin"]


def test_download_partial_file_is_never_accepted(tmp_path, http_server):
    base, routes, _ = http_server
    routes["f.bin"] = BODY
    # Even a check that accepts anything must not see a half body: the length check comes first.
    with pytest.raises(DownloadError, match=f"incomplete download: got {len(BODY) // 2} of {len(BODY)} bytes"):
        download([f"{base}/partial/f.bin"], tmp_path / "f.bin", check=lambda p: True, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_download_error_lists_every_mirror(tmp_path, http_server):
    base, _, _ = http_server
    with pytest.raises(DownloadError) as e:
        download([f"{base}/fail/x", f"{base}/good/missing"], tmp_path / "x", sha256=DIGEST, progress=False)
    assert "/fail/x" in str(e.value) and "/good/missing" in str(e.value) and "404" in str(e.value)


def test_download_refuses_without_checksum_and_non_http_urls(tmp_path):
    with pytest.raises(ValueError, match="without a checksum"):
        download(["http://127.0.0.1:9/x"], tmp_path / "x")
    with pytest.raises(DownloadError, match="only http"):
        download(["file:///etc/passwd"], tmp_path / "x", sha256=DIGEST)


def test_cache_dir_follows_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "nerve"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    assert cache_dir() == tmp_path / "h" / ".cache" / "nerve"


def test_failed_download_leaves_an_existing_file_untouched(tmp_path, http_server):
    base, routes, _ = http_server
    routes["f.bin"] = BODY
    dest = tmp_path / "f.bin"
    dest.write_bytes(b"old content")
    with pytest.raises(DownloadError):
        download([f"{base}/partial/f.bin", f"{base}/corrupt/f.bin"], dest, sha256=DIGEST, progress=False)
    assert dest.read_bytes() == b"old content" and not (tmp_path / "f.bin.part").exists()


def test_download_shows_a_tqdm_progress_bar(tmp_path, http_server, capsys):
    base, routes, _ = http_server
    routes["f.bin"] = BODY
    download([f"{base}/good/f.bin"], tmp_path / "f.bin", sha256=DIGEST, progress=True)
    err = capsys.readouterr().err
    assert "f.bin" in err and "10.2k" in err  # name and size (10,240 bytes) in the bar
