"""nerve.book.mnist.load_mnist: the book's arguments and conventions, on nerve's loader."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.book import mnist
from nerve.book.mnist import load_mnist


def test_book_conventions(book_data):
    (x, t), (xt, tt) = load_mnist()
    assert x.shape == (2000, 784) and xt.shape == (500, 784) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0 and t.shape == (2000,) and t.dtype.kind == "i"
    (x, t), _ = load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (2000, 1, 28, 28) and x.dtype == np.uint8
    assert t.shape == (2000, 10) and t.dtype == np.float64
    np.testing.assert_array_equal(t.argmax(axis=1), book_data[0][1])
    np.testing.assert_array_equal(t.sum(axis=1), 1.0)


def test_dataset_choice_and_errors(book_data, monkeypatch):
    def no_mnist(**kwargs):
        raise FileNotFoundError("mnist files not found")

    monkeypatch.setitem(mnist.LOADERS, "mnist", no_mnist)
    assert load_mnist(dataset="fashion-mnist")[0][0].shape == (2000, 784)  # the argument ...
    with pytest.raises(FileNotFoundError):
        load_mnist(dataset="mnist")  # ... wins over the environment variable
    monkeypatch.delenv(mnist.DATASET_ENV)
    with pytest.raises(FileNotFoundError):
        load_mnist()  # MNIST by default
    with pytest.raises(ValueError, match="unknown dataset 'cifar'"):
        load_mnist(dataset="cifar")
    with pytest.raises(TypeError, match="did you mean 'one_hot_label'"):
        load_mnist(normalize=True, one_hot_laobel=True)  # seed 001's typo


def test_real_fashion_mnist_when_installed(real_fashion):
    if real_fashion is None:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    (x, t), (xt, tt) = real_fashion
    assert x.shape == (60000, 1, 28, 28) and xt.shape == (10000, 1, 28, 28) and x.dtype == np.uint8
    assert set(np.unique(t)) == set(range(10)) and len(tt) == 10000
