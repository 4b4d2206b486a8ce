"""load_mnist / load_fashion_mnist: conventions, search order, checked downloads from a local server."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

import nerve.data.mnist as mnist
from nerve.data.download import DownloadError
from nerve.data.idx import write_idx
from nerve.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist

N_TRAIN, N_TEST = 12, 5


def _fake_dataset(seed: int) -> dict[str, np.ndarray]:
    gen = np.random.default_rng(seed)
    return {
        "train_images": gen.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8),
        "train_labels": gen.integers(0, 10, N_TRAIN).astype(np.uint8),
        "test_images": gen.integers(0, 256, (N_TEST, 28, 28), dtype=np.uint8),
        "test_labels": gen.integers(0, 10, N_TEST).astype(np.uint8),
    }


def _publish(monkeypatch, tmp_path, routes=None, table="MNIST_FILES", seed=0):
    """Write fake files, install their checksums as the official ones; return (arrays, published, folder)."""
    arrays, published, files = _fake_dataset(seed), {}, {}
    src = tmp_path / f"published{seed}"
    src.mkdir()
    for key, arr in arrays.items():
        name = getattr(mnist, table)[key].name
        raw = write_idx(src / name[:-3], arr).read_bytes()
        gz = gzip.compress(raw, mtime=0)
        (src / name).write_bytes(gz)
        published[name] = gz
        files[key] = mnist.IDXFile(name, hashlib.sha256(gz).hexdigest(), hashlib.sha256(raw).hexdigest())
        if routes is not None:
            routes[name] = gz
    monkeypatch.setattr(mnist, table, files)
    return arrays, published, src


def _cached(tmp_path, dataset="mnist") -> list[str]:
    folder = tmp_path / "cache" / "nerve" / dataset
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_good_download_lands_in_cache_and_loads(monkeypatch, tmp_path, http_server):
    base, routes, hits = http_server
    arrays, published, _ = _publish(monkeypatch, tmp_path, routes)
    (x, t), (xt, tt) = load_mnist(mirrors=[f"{base}/good/"], progress=False)
    assert x.shape == (N_TRAIN, 784) and x.dtype == np.float32 and t.dtype == np.int64
    np.testing.assert_array_equal(x, arrays["train_images"].reshape(N_TRAIN, -1) / np.float32(255))
    np.testing.assert_array_equal(tt, arrays["test_labels"])
    assert _cached(tmp_path) == sorted(published)
    # A second call uses the cache: no new requests.
    n = len(hits)
    load_mnist(mirrors=[f"{base}/good/"])
    assert len(hits) == n


def test_checksum_mismatch_is_rejected_and_nothing_cached(monkeypatch, tmp_path, http_server):
    base, routes, _ = http_server
    _publish(monkeypatch, tmp_path, routes)
    with pytest.raises(DownloadError) as e:
        load_mnist(mirrors=[f"{base}/corrupt/"], progress=False)
    msg = str(e.value)
    assert "checksum mismatch" in msg and "Looked in" in msg and "by hand" in msg
    assert _cached(tmp_path) == []


def test_failing_and_partial_mirrors_fall_back(monkeypatch, tmp_path, http_server):
    base, routes, hits = http_server
    arrays, published, _ = _publish(monkeypatch, tmp_path, routes)
    (_, t), _ = load_mnist(mirrors=[f"{base}/fail/", f"{base}/partial/", f"{base}/good/"], progress=False)
    np.testing.assert_array_equal(t, arrays["train_labels"])
    assert [h.split("/")[1] for h in hits[:3]] == ["fail", "partial", "good"]
    assert _cached(tmp_path) == sorted(published)  # no .part left behind


def test_partial_file_only_mirror_fails_cleanly(monkeypatch, tmp_path, http_server):
    base, routes, _ = http_server
    _publish(monkeypatch, tmp_path, routes)
    with pytest.raises(DownloadError, match="incomplete download"):
        load_mnist(mirrors=[f"{base}/partial/"], progress=False)
    assert _cached(tmp_path) == []


def test_corrupted_cached_file_is_fetched_again(monkeypatch, tmp_path, http_server):
    base, routes, hits = http_server
    arrays, published, _ = _publish(monkeypatch, tmp_path, routes)
    load_mnist(mirrors=[f"{base}/good/"], progress=False)
    bad = tmp_path / "cache" / "nerve" / "mnist" / "t10k-labels-idx1-ubyte.gz"
    bad.write_bytes(published[bad.name][:-3] + b"xyz")
    mnist._verified.clear()
    n = len(hits)
    with pytest.warns(UserWarning, match="corrupted"):
        _, (_, tt) = load_mnist(mirrors=[f"{base}/good/"], progress=False)
    np.testing.assert_array_equal(tt, arrays["test_labels"])
    assert hits[n:] == ["/good/t10k-labels-idx1-ubyte.gz"]
    assert bad.read_bytes() == published[bad.name]


def test_book_conventions_flatten_normalize_one_hot(monkeypatch, tmp_path):
    arrays, _, src = _publish(monkeypatch, tmp_path)
    (x, t), (xt, tt) = load_mnist(normalize=False, flatten=False, one_hot_label=True, data_dir=src)
    assert x.shape == (N_TRAIN, 1, 28, 28) and x.dtype == np.uint8 and xt.shape == (N_TEST, 1, 28, 28)
    np.testing.assert_array_equal(x[:, 0], arrays["train_images"])
    assert t.shape == (N_TRAIN, 10) and t.dtype == np.float32
    np.testing.assert_array_equal(t.argmax(1), arrays["train_labels"])
    (x, _), _ = load_mnist(normalize=True, flatten=False, data_dir=src)
    assert x.dtype == np.float32 and 0.0 <= x.min() and x.max() <= 1.0


def test_search_order_data_dir_env_cache_system(monkeypatch, tmp_path):
    """Each location holds a different valid-looking copy; verify=False lets us see which one wins."""
    _, _, src = _publish(monkeypatch, tmp_path)
    copies = {}
    for i, where in enumerate(["data_dir", "env/mnist", "cache/nerve/mnist", "system"]):
        folder = tmp_path / where
        folder.mkdir(parents=True)
        labels = np.full(N_TRAIN, i, dtype=np.uint8)
        for p in src.glob("*.gz"):
            (folder / p.name).write_bytes(p.read_bytes())
        write_idx(folder / "train-labels-idx1-ubyte.gz", labels)
        copies[where] = folder
    monkeypatch.setenv("NERVE_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(mnist, "SYSTEM_DIRS", {"mnist": [str(copies["system"])]})
    (_, t), _ = load_mnist(data_dir=copies["data_dir"], verify=False, download=False)
    assert set(t) == {0}
    for k, where in enumerate(["env/mnist", "cache/nerve/mnist", "system"], start=1):
        (_, t), _ = load_mnist(verify=False, download=False)
        assert set(t) == {k}, where
        for p in copies[where].iterdir():
            p.unlink()
    with pytest.raises(FileNotFoundError) as e:
        load_mnist(verify=False, download=False)
    for where in ["$NERVE_DATA", "cache", "system copy"]:
        assert where in str(e.value)


def test_user_copy_with_wrong_checksum_is_refused(monkeypatch, tmp_path):
    _, published, src = _publish(monkeypatch, tmp_path)
    (src / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00\x00\x08\x01\x00\x00\x00\x01\x03"))
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz: SHA-256 does not match"):
        load_mnist(data_dir=src, download=False)


def test_unzipped_dotted_and_recompressed_copies_are_accepted(monkeypatch, tmp_path):
    arrays, published, src = _publish(monkeypatch, tmp_path)
    folder = tmp_path / "mixed" / "mnist"  # data_dir/<dataset> is searched too
    folder.mkdir(parents=True)
    for name, gz in published.items():
        raw = gzip.decompress(gz)
        if name.startswith("train-images"):
            (folder / "train-images.idx3-ubyte").write_bytes(raw)  # the original site's unzipped name
        elif name.startswith("train-labels"):
            (folder / name).write_bytes(gzip.compress(raw, compresslevel=1, mtime=123))  # recompressed
        else:
            (folder / name[:-3]).write_bytes(raw)
    (x, t), _ = load_mnist(data_dir=tmp_path / "mixed", normalize=False, download=False)
    np.testing.assert_array_equal(x.reshape(N_TRAIN, 28, 28), arrays["train_images"])
    np.testing.assert_array_equal(t, arrays["train_labels"])


def test_fashion_mnist_uses_its_own_folder_and_classes(monkeypatch, tmp_path, http_server):
    base, routes, _ = http_server
    arrays, published, _ = _publish(monkeypatch, tmp_path, routes, table="FASHION_MNIST_FILES", seed=3)
    monkeypatch.setattr(mnist, "FASHION_MNIST_MIRRORS", [f"{base}/good/"])
    (_, t), _ = load_fashion_mnist(progress=False)
    np.testing.assert_array_equal(t, arrays["train_labels"])
    assert _cached(tmp_path, "fashion-mnist") == sorted(published) and _cached(tmp_path, "mnist") == []
    assert len(FASHION_MNIST_CLASSES) == 10 and FASHION_MNIST_CLASSES[9] == "Ankle boot"


def test_real_checksum_tables_are_well_formed():
    for table in (mnist.MNIST_FILES, mnist.FASHION_MNIST_FILES):
        assert list(table) == ["train_images", "train_labels", "test_images", "test_labels"]
        for spec in table.values():
            assert len(spec.sha256) == 64 and len(spec.raw_sha256) == 64
            int(spec.sha256, 16), int(spec.raw_sha256, 16)


DEBIAN = Path("/usr/share/datasets/fashion-mnist")


@pytest.mark.needs_fashion_mnist
def test_debian_fashion_mnist_copy_matches_the_real_checksums(monkeypatch):
    # .ci/system-deps installs the package as root; elsewhere it is skipped, except under CI=true
    assert DEBIAN.is_dir(), "apt-get install dataset-fashion-mnist (Debian's copy of the real files)"
    monkeypatch.setattr(mnist, "SYSTEM_DIRS", {"fashion-mnist": [str(DEBIAN)]})
    (x, t), (xt, tt) = load_fashion_mnist(normalize=False, download=False)
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    np.testing.assert_array_equal(np.bincount(t), np.full(10, 6000))
    np.testing.assert_array_equal(np.bincount(tt), np.full(10, 1000))
