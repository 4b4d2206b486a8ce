"""one_hot and train_test_split."""

from __future__ import annotations

import numbers

import numpy as np

from ..backend import floatx, rng
from ..validation import Boolean, Integral, Interval, Real, validate_params

__all__ = ["one_hot", "train_test_split"]


def one_hot(labels, num_classes: int | None = None, dtype=None) -> np.ndarray:
    """Integer labels (N,) -> one-hot rows (N, num_classes)."""
    t = np.asarray(labels)
    if t.ndim != 1 or t.dtype.kind not in "iub":
        if t.ndim == 1 and t.dtype.kind == "f" and np.all(t == np.round(t)):
            t = t.astype(np.int64)
        else:
            raise ValueError(
                f"one_hot: expected a 1-D array of integer labels, got shape {t.shape} dtype {t.dtype}"
            )
    if t.size and t.min() < 0:
        raise ValueError(f"one_hot: labels must be >= 0, got {t.min()}")
    n = int(t.max()) + 1 if num_classes is None else int(num_classes)
    if t.size and t.max() >= n:
        raise ValueError(f"one_hot: label {t.max()} out of range for num_classes={n}")
    out = np.zeros((t.size, n), dtype=dtype or floatx())
    out[np.arange(t.size), t] = 1
    return out


@validate_params({"test_size": [Interval(Real, 0, 1, closed="neither"), Interval(Integral, 1, None)],
                  "shuffle": [Boolean], "seed": [None, Interval(Integral, 0, None)]})
def train_test_split(*arrays, test_size=0.25, shuffle: bool = True, seed: int | None = None, stratify=None):
    """Split arrays along the first axis into train and test parts (scikit-learn's order of results).

    ``test_size`` is a fraction in (0, 1) or a number of samples. Returns ``x_train, x_test, y_train, y_test``
    for two arrays, as scikit-learn does.
    """
    if not arrays:
        raise ValueError("train_test_split: expected at least one array")
    n = len(arrays[0])
    for a in arrays[1:]:
        if len(a) != n:
            raise ValueError(f"train_test_split: arrays have different lengths: {[len(a) for a in arrays]}")
    if isinstance(test_size, numbers.Integral):
        n_test = int(test_size)
    else:
        n_test = int(np.ceil(test_size * n))
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: test_size={test_size!r} leaves an empty part for {n} samples")
    gen = np.random.default_rng(seed) if seed is not None else rng()
    if stratify is not None:
        labels = np.asarray(stratify)
        if len(labels) != n:
            raise ValueError(f"train_test_split: `stratify` has {len(labels)} labels for {n} samples")
        _, inverse = np.unique(labels, return_inverse=True)
        counts = np.bincount(inverse)
        # Share n_test among classes by their frequency; largest remainders get the leftover samples.
        exact = n_test * counts / n
        per_class = np.floor(exact).astype(np.int64)
        per_class[np.argsort(per_class - exact, kind="stable")[: n_test - per_class.sum()]] += 1
        test_idx = []
        for c, k in enumerate(per_class):
            members = np.flatnonzero(inverse == c)
            if shuffle:
                members = gen.permutation(members)
            test_idx.append(members[:k])
        test_mask = np.zeros(n, dtype=bool)
        test_mask[np.concatenate(test_idx)] = True
        order = gen.permutation(n) if shuffle else np.arange(n)
        train, test = order[~test_mask[order]], order[test_mask[order]]
    else:
        order = gen.permutation(n) if shuffle else np.arange(n)
        train, test = order[n_test:], order[:n_test]
    out = []
    for a in arrays:
        a = np.asarray(a)
        out += [a[train], a[test]]
    return out
