"""MNIST and Fashion-MNIST, the book's ``load_mnist``: found locally or downloaded with SHA-256 checks.

Where the IDX files come from, in order: ``data_dir`` (or ``data_dir/<dataset>``), ``$NERVE_DATA/<dataset>``,
the cache (``$XDG_CACHE_HOME/nerve/<dataset>`` or ``~/.cache/nerve/<dataset>``), a system copy (Debian's
``dataset-fashion-mnist`` installs ``/usr/share/datasets/fashion-mnist``), then a download into the cache
from the first of the mirrors that delivers files with the right SHA-256. ``<dataset>`` is ``mnist`` or
``fashion-mnist``. Mirrors, checksums and system folders are module attributes, so they can be replaced.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..backend import floatx
from .download import DownloadError, cache_dir, download, sha256_file
from .idx import read_idx
from .split import one_hot

__all__ = [
    "IDXFile", "MNIST_FILES", "MNIST_MIRRORS", "FASHION_MNIST_FILES", "FASHION_MNIST_MIRRORS",
    "FASHION_MNIST_CLASSES", "SYSTEM_DIRS", "find_idx_files", "to_book_arrays", "load_mnist", "load_fashion_mnist",
]

_KEYS = ("train_images", "train_labels", "test_images", "test_labels")


@dataclass(frozen=True)
class IDXFile:
    """One published file: its name and the SHA-256 of the ``.gz`` as published and of the IDX bytes inside.

    The second digest lets a recompressed (Debian) or an unzipped copy be verified as well.
    """

    name: str
    sha256: str
    raw_sha256: str

    def candidates(self) -> tuple[str, ...]:
        """File names to look for: ``x-idx3-ubyte.gz``, ``x-idx3-ubyte`` and the dotted ``x.idx3-ubyte``."""
        plain = self.name[:-3] if self.name.endswith(".gz") else self.name
        head, _, tail = plain.rpartition("-idx")
        dotted = f"{head}.idx{tail}"
        return (self.name, plain, dotted + ".gz", dotted)

    def matches(self, path) -> bool:
        """True if ``path`` holds this file, gzipped as published, recompressed or unzipped."""
        digest = sha256_file(path)
        if digest in (self.sha256, self.raw_sha256):
            return True
        with open(path, "rb") as f:
            if f.read(2) != b"\x1f\x8b":
                return False
        h = hashlib.sha256()
        try:
            with gzip.open(path, "rb") as g:
                for chunk in iter(lambda: g.read(1 << 20), b""):
                    h.update(chunk)
        except (OSError, EOFError):
            return False
        return h.hexdigest() == self.raw_sha256


MNIST_FILES: dict[str, IDXFile] = {
    "train_images": IDXFile(
        "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ),
    "train_labels": IDXFile(
        "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ),
    "test_images": IDXFile(
        "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ),
    "test_labels": IDXFile(
        "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ),
}
MNIST_MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]

# NOTE: the raw digests were computed from Debian's dataset-fashion-mnist; the .gz digests are upstream's.
FASHION_MNIST_FILES: dict[str, IDXFile] = {
    "train_images": IDXFile(
        "train-images-idx3-ubyte.gz",
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    "train_labels": IDXFile(
        "train-labels-idx1-ubyte.gz",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    "test_images": IDXFile(
        "t10k-images-idx3-ubyte.gz",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    "test_labels": IDXFile(
        "t10k-labels-idx1-ubyte.gz",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
}
FASHION_MNIST_MIRRORS: list[str] = [
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
]
FASHION_MNIST_CLASSES: tuple[str, ...] = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
SYSTEM_DIRS: dict[str, list[str]] = {"mnist": [], "fashion-mnist": ["/usr/share/datasets/fashion-mnist"]}

# (path, size, mtime) of files already verified in this process: later loads skip re-hashing them.
_verified: set[tuple[str, int, int]] = set()


def _tables(dataset: str) -> tuple[dict[str, IDXFile], list[str]]:
    """The checksum table and mirrors of ``dataset``, read at call time so replacing them works."""
    if dataset == "mnist":
        return MNIST_FILES, MNIST_MIRRORS
    if dataset == "fashion-mnist":
        return FASHION_MNIST_FILES, FASHION_MNIST_MIRRORS
    raise ValueError(f"unknown IDX dataset {dataset!r}; expected 'mnist' or 'fashion-mnist'")


def _locations(dataset: str, data_dir) -> list[tuple[str, Path | None]]:
    """(kind, folder) pairs in search order; folder None means "not set"."""
    out: list[tuple[str, Path | None]] = []
    if data_dir is not None:
        out += [("data_dir", Path(data_dir)), ("data_dir", Path(data_dir) / dataset)]
    env = os.environ.get("NERVE_DATA")
    out.append(("$NERVE_DATA", Path(env) / dataset if env else None))
    out.append(("cache", cache_dir() / dataset))
    out += [("system copy", Path(d)) for d in SYSTEM_DIRS.get(dataset, [])]
    return out


def _find_in(folder: Path, files: dict[str, IDXFile]) -> dict[str, Path] | None:
    """The four files in ``folder`` under any accepted name, or None if one is missing."""
    found = {}
    for key, spec in files.items():
        path = next((folder / n for n in spec.candidates() if (folder / n).is_file()), None)
        if path is None:
            return None
        found[key] = path
    return found


def _is_verified(path: Path, spec: IDXFile) -> bool:
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key in _verified:
        return True
    ok = spec.matches(path)
    if ok:
        _verified.add(key)
    return ok


def find_idx_files(
    dataset: str, data_dir=None, *, download_missing: bool = True, mirrors=None, verify: bool = True,
    progress: bool | None = None,
) -> dict[str, Path]:
    """Paths of the four verified IDX files of ``dataset`` ("mnist", "fashion-mnist"); downloads if needed."""
    files, default_mirrors = _tables(dataset)
    looked = []
    for kind, folder in _locations(dataset, data_dir):
        looked.append(f"  {kind}: {folder if folder is not None else '(not set)'}")
        found = None if folder is None else _find_in(folder, files)
        if found is None:
            continue
        bad = [p for k, p in found.items() if verify and not _is_verified(p, files[k])]
        if not bad:
            return found
        if kind != "cache":
            raise ValueError(
                f"{bad[0]}: SHA-256 does not match the published {dataset} file; it is corrupted or a "
                f"different data set. Replace it, or pass verify=False (nerve CLI: --no-verify) to use it anyway"
            )
        for p in bad:
            warnings.warn(f"{p}: cached file is corrupted (SHA-256 mismatch); fetching again", stacklevel=3)
            p.unlink()
    target = cache_dir() / dataset
    mirrors = list(default_mirrors if mirrors is None else mirrors)
    names = ", ".join(spec.name for spec in files.values())
    manual = (
        f"To provide the files by hand, download {names} (e.g. from {mirrors[0] if mirrors else 'a mirror'}) "
        f"and put them in {target} (or pass data_dir=..., or set NERVE_DATA to a folder holding a "
        f"'{dataset}' subfolder)."
    )
    where = "\n".join(looked)
    if not download_missing:
        raise FileNotFoundError(f"{dataset} files not found. Looked in:\n{where}\n{manual}")
    paths = {}
    try:
        for key, spec in files.items():
            dest = target / spec.name
            if not (dest.is_file() and _is_verified(dest, spec)):
                download([m.rstrip("/") + "/" + spec.name for m in mirrors], dest, check=spec.matches,
                         progress=progress)
            paths[key] = dest
    except DownloadError as e:
        raise DownloadError(f"{dataset} files not found. Looked in:\n{where}\nThen {e}\n{manual}") from None
    return paths


def to_book_arrays(x: np.ndarray, t: np.ndarray, normalize: bool, flatten: bool, one_hot_label: bool,
               num_classes: int, scale: int = 255) -> tuple[np.ndarray, np.ndarray]:
    """uint8 images (N, H, W) and labels -> the book's conventions (``normalize`` divides by ``scale``)."""
    if normalize:
        x = x.astype(floatx())
        x /= scale
    x = x.reshape(len(x), -1) if flatten else x.reshape(len(x), 1, *x.shape[1:])
    t = one_hot(t, num_classes) if one_hot_label else t.astype(np.int64)
    return x, t


def _load(dataset, normalize, flatten, one_hot_label, data_dir, download, mirrors, verify, progress):
    paths = find_idx_files(dataset, data_dir, download_missing=download, mirrors=mirrors, verify=verify,
                           progress=progress)
    arrays = {k: read_idx(p) for k, p in paths.items()}
    for split in ("train", "test"):
        x, t = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if x.ndim != 3 or t.ndim != 1 or len(x) != len(t) or x.dtype != np.uint8:
            raise ValueError(
                f"{paths[split + '_images']}: expected uint8 images (N, H, W) and N labels, got images "
                f"{x.shape} {x.dtype} and labels {t.shape}"
            )
        if t.size and t.max() > 9:
            raise ValueError(f"{paths[split + '_labels']}: labels must be 0..9, found {t.max()}")
    train = to_book_arrays(arrays["train_images"], arrays["train_labels"], normalize, flatten, one_hot_label, 10)
    test = to_book_arrays(arrays["test_images"], arrays["test_labels"], normalize, flatten, one_hot_label, 10)
    return train, test


def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False, data_dir=None, *,
               download: bool = True, mirrors=None, verify: bool = True, progress: bool | None = None):
    """MNIST as ``(x_train, t_train), (x_test, t_test)``, with the book's arguments.

    ``normalize`` -> float32 pixels in [0, 1] (else uint8 0..255); ``flatten`` -> (N, 784) (else
    (N, 1, 28, 28)); ``one_hot_label`` -> labels (N, 10) (else int64 (N,)). See the module docstring for
    where the files are looked for; ``download=False`` raises instead of downloading.
    """
    return _load("mnist", normalize, flatten, one_hot_label, data_dir, download, mirrors, verify, progress)


def load_fashion_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False,
                       data_dir=None, *, download: bool = True, mirrors=None, verify: bool = True,
                       progress: bool | None = None):
    """Fashion-MNIST as ``(x_train, t_train), (x_test, t_test)``; same arguments as :func:`load_mnist`.

    Class names: ``FASHION_MNIST_CLASSES[label]``.
    """
    return _load("fashion-mnist", normalize, flatten, one_hot_label, data_dir, download, mirrors, verify,
                 progress)
