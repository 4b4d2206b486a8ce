"""Data: IDX files, MNIST-family loaders, toy sets, DataLoader, image folders and augmentation."""

from __future__ import annotations

from .affine import affine_transform
from .augment import ImageDataGenerator
from .digits import load_digits
from .download import DownloadError, cache_dir, download, sha256_file
from .folder import IMAGE_EXTENSIONS, DirectoryIterator, load_image
from .idx import IDXError, read_idx, write_idx
from .iterators import NumpyArrayIterator
from .loader import DataLoader
from .mnist import FASHION_MNIST_CLASSES, find_idx_files, load_fashion_mnist, load_mnist
from .split import one_hot, train_test_split
from .toy import (
    GENDER_NAMES,
    GENDER_SHIFT,
    gender_test_points,
    load_gender,
    logic_gate,
    make_blobs,
    make_circles,
    make_linear,
    make_moons,
    make_spirals,
    make_xor,
)

__all__ = [
    "DownloadError", "cache_dir", "download", "sha256_file",
    "IDXError", "read_idx", "write_idx",
    "FASHION_MNIST_CLASSES", "find_idx_files", "load_fashion_mnist", "load_mnist",
    "one_hot", "train_test_split", "load_digits", "DataLoader",
    "make_xor", "make_circles", "make_moons", "make_spirals", "make_blobs", "make_linear", "logic_gate",
    "load_gender", "gender_test_points", "GENDER_NAMES", "GENDER_SHIFT",
    "ImageDataGenerator", "NumpyArrayIterator", "DirectoryIterator", "load_image", "IMAGE_EXTENSIONS",
    "affine_transform",
]
