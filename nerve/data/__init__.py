"""Data: IDX files, MNIST-family loaders, toy sets, DataLoader, image folders and augmentation."""

from __future__ import annotations

from .download import DownloadError, cache_dir, download, sha256_file
from .idx import IDXError, read_idx, write_idx
from .mnist import FASHION_MNIST_CLASSES, find_idx_files, load_fashion_mnist, load_mnist
from .split import one_hot, train_test_split

__all__ = [
    "DownloadError", "cache_dir", "download", "sha256_file",
    "IDXError", "read_idx", "write_idx",
    "FASHION_MNIST_CLASSES", "find_idx_files", "load_fashion_mnist", "load_mnist",
    "one_hot", "train_test_split",
]
