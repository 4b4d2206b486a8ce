"""The classifier view's 2-D datasets: ``nerve.data.toy``'s sets, placed on the playground's [-6, 6]² board.

There is one set of toy datasets. Each dataset here is the library's maker called with the same
``n_samples``, ``noise`` and ``seed`` (:func:`library_dataset`); :func:`make_dataset` then moves the points
onto the board with a fixed map, ``(x - centre) * scale`` (:data:`BOARD`), and clips them to the square.
Labels are the library's, unchanged (its convention is documented in :mod:`nerve.data.toy`: XOR is 1 where
exactly one coordinate is positive, the inner circle is 1, the upper moon is 0).

``noise`` is the slider's value in [0, 0.5], passed on as the maker's ``noise`` (a standard deviation in the
library's units, so it looks ``scale`` times larger on the board); for "gaussians" it sets the spread
``cluster_std = sqrt(0.5 + 7 * noise)`` as on TensorFlow Playground. Every draw comes from a generator seeded
by the configuration, so a link reproduces the same points.
"""

from __future__ import annotations

import math

import numpy as np

from ..data import toy

__all__ = ["BOARD", "DATASET_NAMES", "library_dataset", "make_dataset", "split"]

#: name -> (centre, scale) of the map from the library's coordinates onto the board
BOARD = {
    "xor": ((0.0, 0.0), 5.0),        # [-1, 1]² -> [-5, 5]²
    "circles": ((0.0, 0.0), 5.0),    # outer radius 1 -> 5, inner 0.5 -> 2.5
    "gaussians": ((0.0, 0.0), 1.0),  # blobs already centred on (-2, -2) and (2, 2)
    "moons": ((0.5, 0.25), 3.0),     # the moons' centre to the origin, 3x larger
    "spirals": ((0.0, 0.0), 5.0),    # radius 1 -> 5
}
DATASET_NAMES = tuple(BOARD)


def library_dataset(name: str, n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``nerve.data.toy`` call behind a board dataset: ``(x (n, 2) in the library's units, y (n,))``."""
    if name == "xor":
        return toy.make_xor(n_samples, noise=noise, seed=seed)
    if name == "circles":
        return toy.make_circles(n_samples, noise=noise, factor=0.5, seed=seed)
    if name == "gaussians":
        return toy.make_blobs(n_samples, centers=[[-2.0, -2.0], [2.0, 2.0]],
                              cluster_std=math.sqrt(0.5 + 7.0 * noise), seed=seed)
    if name == "moons":
        return toy.make_moons(n_samples, noise=noise, seed=seed)
    if name == "spirals":
        return toy.make_spirals(n_samples, n_classes=2, noise=noise, seed=seed)
    raise ValueError(f"make_dataset: unknown dataset {name!r}; expected one of {sorted(BOARD)}")


def make_dataset(name: str, n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(points (n, 2) float64 clipped to [-6, 6]², labels (n,) in {0, 1})`` for a named dataset."""
    x, labels = library_dataset(name, int(n_samples), float(noise), seed)
    centre, scale = BOARD[name]
    xy = (x.astype(np.float64) - centre) * scale
    return np.clip(xy, -6.0, 6.0), labels


def split(points: np.ndarray, labels: np.ndarray, train_ratio: float, seed: int):
    """Shuffle with ``seed`` and cut into ``(x_train, y_train), (x_test, y_test)``; both keep >= 1 sample."""
    n = len(points)
    order = np.random.default_rng(seed + 1).permutation(n)
    n_train = min(max(int(round(n * train_ratio)), 1), n - 1) if n > 1 else n
    tr, te = order[:n_train], order[n_train:]
    return (points[tr], labels[tr]), (points[te], labels[te])
