"""Fixtures for nerve.book: a small MNIST-shaped data set behind ``nerve.book.mnist.load_mnist``."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="session")
def real_fashion():
    """All of Fashion-MNIST through nerve.book's ``load_mnist`` (uint8, (N, 1, 28, 28)), or None if not installed."""
    from nerve.book.mnist import load_mnist

    try:
        return load_mnist(normalize=False, flatten=False, dataset="fashion-mnist", download=False)
    except FileNotFoundError:
        return None


@pytest.fixture(scope="session")
def fashion_subset(real_fashion):
    """2000 train / 500 test uint8 images (N, 28, 28) with labels: real Fashion-MNIST when it is installed,
    else learnable synthetic digits-like images (each class brightens its own block of pixels)."""
    if real_fashion is not None:
        (x, t), (xt, tt) = real_fashion
        return (x[:2000, 0], t[:2000]), (xt[:500, 0], tt[:500])
    else:
        rng = np.random.default_rng(0)

        def make(n):
            t = rng.integers(0, 10, n)
            x = rng.integers(0, 60, (n, 28, 28))
            for c in range(10):
                x[t == c, 2 * c:2 * c + 8, 4:24] += 180
            return x.astype(np.uint8), t

        return make(2000), make(500)


@pytest.fixture
def book_data(monkeypatch, fashion_subset):
    """``load_mnist`` of nerve.book serves ``fashion_subset`` (selected the documented way, by the env var)."""
    import nerve.book.mnist as book_mnist

    def loader(normalize=False, flatten=True, one_hot_label=False, data_dir=None, download=True):
        assert not normalize and not one_hot_label  # nerve.book does those conversions itself
        (x, t), (xt, tt) = fashion_subset
        shape = (-1, 784) if flatten else (-1, 1, 28, 28)
        return (x.reshape(shape), t.astype(np.int64)), (xt.reshape(shape), tt.astype(np.int64))

    monkeypatch.setitem(book_mnist.LOADERS, "fashion-mnist", loader)
    monkeypatch.setenv(book_mnist.DATASET_ENV, "fashion-mnist")
    return fashion_subset
