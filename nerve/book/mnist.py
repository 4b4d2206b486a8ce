"""The book's ``dataset.mnist.load_mnist``, on nerve's MNIST loader (local files, cache, SHA-256 checks).

Which data set: the ``dataset`` argument, else the environment variable ``NERVE_BOOK_DATASET``, else
"mnist". "fashion-mnist" loads Fashion-MNIST instead, same shapes and label range, which is how the book's
scripts run where MNIST cannot be downloaded (Debian's ``dataset-fashion-mnist`` package installs a copy
nerve finds): ``NERVE_BOOK_DATASET=fashion-mnist python -m nerve.book ch05/train_neuralnet.py``.
Files are looked for and fetched as :func:`nerve.datasets.load_mnist` describes (``NERVE_DATA``, the cache,
system copies, then the mirrors).
"""

from __future__ import annotations

import difflib
import os

import numpy as np

from .. import datasets

__all__ = ["load_mnist", "DATASET_ENV", "LOADERS"]

DATASET_ENV = "NERVE_BOOK_DATASET"
#: data set name -> nerve loader called with (normalize=False, flatten, one_hot_label=False, data_dir, download)
LOADERS = {"mnist": datasets.load_mnist, "fashion-mnist": datasets.load_fashion_mnist}


def load_mnist(normalize=True, flatten=True, one_hot_label=False, *, dataset=None, data_dir=None, download=True,
               **unexpected):
    """``(x_train, t_train), (x_test, t_test)`` with the book's conventions.

    ``normalize``: float32 pixels in [0, 1] (else uint8 0..255). ``flatten``: images (N, 784) (else
    (N, 1, 28, 28)). ``one_hot_label``: labels (N, 10) of 0/1 (else integers (N,)).
    """
    if unexpected:
        name = next(iter(unexpected))
        close = difflib.get_close_matches(name, ["normalize", "flatten", "one_hot_label", "dataset"], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise TypeError(f"load_mnist() got an unexpected keyword argument {name!r}{hint}")
    name = (dataset or os.environ.get(DATASET_ENV) or "mnist").lower()
    if name not in LOADERS:
        raise ValueError(f"load_mnist: unknown dataset {name!r} (from {'dataset=' if dataset else DATASET_ENV}); "
                         f"expected one of {sorted(LOADERS)}")
    (x_train, t_train), (x_test, t_test) = LOADERS[name](normalize=False, flatten=flatten, one_hot_label=False,
                                                          data_dir=data_dir, download=download)
    out = []
    for x, t in ((x_train, t_train), (x_test, t_test)):
        if normalize:
            x = x.astype(np.float32)
            x /= 255.0
        if one_hot_label:
            t = np.eye(10)[t]  # float64 rows, as the book makes them
        out.append((x, t))
    return tuple(out)
