"""Public datasets module: ``from nerve.datasets import load_mnist``; all of it lives in :mod:`nerve.data`."""

from __future__ import annotations

from .data import (
    FASHION_MNIST_CLASSES,
    DownloadError,
    IDXError,
    cache_dir,
    download,
    find_idx_files,
    load_fashion_mnist,
    load_mnist,
    one_hot,
    read_idx,
    sha256_file,
    train_test_split,
    write_idx,
)

__all__ = [
    "DownloadError", "cache_dir", "download", "sha256_file",
    "IDXError", "read_idx", "write_idx",
    "FASHION_MNIST_CLASSES", "find_idx_files", "load_fashion_mnist", "load_mnist",
    "one_hot", "train_test_split",
]
