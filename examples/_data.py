"""Shared by the MNIST-family examples: MNIST or Fashion-MNIST when the files are on this machine, else the
8x8 digits that always work offline."""

from __future__ import annotations

from nerve import datasets


def load(dataset: str = "auto", flatten: bool = True):
    """``(x_train, t_train), (x_test, t_test), name`` for "mnist", "fashion-mnist", "digits" or "auto"."""
    loaders = {"mnist": datasets.load_mnist, "fashion-mnist": datasets.load_fashion_mnist}
    if dataset in loaders or dataset == "auto":
        for name in [dataset] if dataset != "auto" else ["mnist", "fashion-mnist"]:
            try:
                return (*loaders[name](flatten=flatten, download=dataset != "auto"), name)
            except (FileNotFoundError, OSError, ValueError):
                if dataset != "auto":
                    raise
    train, test = datasets.load_digits(flatten=flatten)
    return train, test, "digits"
