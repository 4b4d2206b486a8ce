"""Public datasets module: ``from nerve.datasets import load_mnist``; all of it lives in :mod:`nerve.data`."""

from __future__ import annotations

from .data import (
    FASHION_MNIST_CLASSES,
    GENDER_NAMES,
    GENDER_SHIFT,
    IMAGE_EXTENSIONS,
    DataLoader,
    DirectoryIterator,
    DownloadError,
    IDXError,
    ImageDataGenerator,
    NumpyArrayIterator,
    affine_transform,
    cache_dir,
    download,
    find_idx_files,
    gender_test_points,
    load_digits,
    load_fashion_mnist,
    load_gender,
    load_image,
    load_mnist,
    logic_gate,
    make_blobs,
    make_circles,
    make_linear,
    make_moons,
    make_spirals,
    make_xor,
    one_hot,
    read_idx,
    sha256_file,
    train_test_split,
    write_idx,
)

__all__ = [
    "DownloadError", "cache_dir", "download", "sha256_file", "IDXError", "read_idx", "write_idx",
    "FASHION_MNIST_CLASSES", "find_idx_files", "load_fashion_mnist", "load_mnist", "one_hot",
    "train_test_split", "load_digits", "DataLoader", "make_xor", "make_circles", "make_moons",
    "make_spirals", "make_blobs", "make_linear", "logic_gate", "load_gender", "gender_test_points",
    "GENDER_NAMES", "GENDER_SHIFT", "ImageDataGenerator", "NumpyArrayIterator", "DirectoryIterator",
    "load_image", "IMAGE_EXTENSIONS", "affine_transform",
]
