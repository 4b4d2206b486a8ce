"""scikit-learn's bundled 8x8 handwritten digits in load_mnist's shapes: the offline set that always works."""

from __future__ import annotations

import numpy as np

from .mnist import to_book_arrays
from .split import train_test_split

__all__ = ["load_digits"]


def load_digits(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False,
                test_size: float = 0.2, seed: int = 0):
    """The 1,797 8x8 digits as ``(x_train, t_train), (x_test, t_test)``, split the same way every time.

    ``normalize`` -> float32 pixels in [0, 1] (the raw values 0..16 divided by 16; else uint8 0..16);
    ``flatten`` -> (N, 64) (else (N, 1, 8, 8)); ``one_hot_label`` -> (N, 10) (else int64 (N,)).
    The split is stratified by class and seeded by ``seed``. Needs scikit-learn (``pip install nerve[digits]``).
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError:
        raise ImportError(
            "load_digits needs scikit-learn, which ships the 8x8 digits: pip install 'nerve[digits]'"
        ) from None
    bunch = _sk_load_digits()
    images = bunch.images.astype(np.uint8)  # (1797, 8, 8), values 0..16
    labels = bunch.target.astype(np.int64)
    x_train, x_test, t_train, t_test = train_test_split(images, labels, test_size=test_size, seed=seed,
                                                        stratify=labels)
    train = to_book_arrays(x_train, t_train, normalize, flatten, one_hot_label, 10, scale=16)
    test = to_book_arrays(x_test, t_test, normalize, flatten, one_hot_label, 10, scale=16)
    return train, test
