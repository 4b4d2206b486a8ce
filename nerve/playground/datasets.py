"""The classifier view's 2-D datasets on TensorFlow Playground's scale: points in [-6, 6]², labels 0/1.

``noise`` is a fraction in [0, 0.5] as on TensorFlow Playground's slider (not a standard deviation);
every draw comes from a generator seeded by the configuration, so a link reproduces the same points.
(``nerve.data`` has the scikit-learn-style sets on the unit scale; these follow the playground's
conventions instead, so a setup behaves as it does on playground.tensorflow.org.)
"""

from __future__ import annotations

import numpy as np

__all__ = ["make_dataset", "split"]


def _xor(n, noise, rng):
    pad = 0.3
    xy = rng.uniform(-5, 5, size=(n, 2))
    xy += np.where(xy > 0, pad, -pad)  # keep a gap around the axes
    noisy = xy + rng.uniform(-5, 5, size=(n, 2)) * noise
    return xy, (noisy[:, 0] * noisy[:, 1] >= 0).astype(np.int64)


def _circles(n, noise, rng):
    radius = 5.0
    inner = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, inner), rng.uniform(radius * 0.7, radius, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    xy = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    noisy = xy + rng.uniform(-radius, radius, size=(n, 2)) * noise
    return xy, (np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5).astype(np.int64)


def _gaussians(n, noise, rng):
    std = np.sqrt(0.5 + 7.0 * noise)  # variance 0.5 .. 4 as noise goes 0 .. 0.5
    labels = (np.arange(n) < n // 2).astype(np.int64)
    centers = np.where(labels[:, None] == 1, 2.0, -2.0)
    return centers + std * rng.standard_normal((n, 2)), labels


def _moons(n, noise, rng):
    upper = n // 2
    t = rng.uniform(0, np.pi, n)
    outer = np.stack([np.cos(t), np.sin(t)], axis=1)
    inner = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    labels = (np.arange(n) < upper).astype(np.int64)
    xy = np.where(labels[:, None] == 1, outer, inner)
    xy = (xy - [0.5, 0.25]) * 3.0 + rng.standard_normal((n, 2)) * (2.0 * noise)
    return xy, labels


def _spirals(n, noise, rng):
    half = n // 2
    i = np.concatenate([np.arange(half), np.arange(n - half)]) / max(half, 1)
    labels = (np.arange(n) < half).astype(np.int64)
    r = i * 5.0
    t = 1.75 * i * 2 * np.pi + np.where(labels == 1, 0.0, np.pi)
    xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return xy + rng.uniform(-1, 1, size=(n, 2)) * noise, labels


_MAKERS = {"xor": _xor, "circles": _circles, "gaussians": _gaussians, "moons": _moons, "spirals": _spirals}


def make_dataset(name: str, n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(points (n, 2) clipped to [-6, 6]², labels (n,) in {0, 1})`` for a named dataset."""
    if name not in _MAKERS:
        raise ValueError(f"make_dataset: unknown dataset {name!r}; expected one of {sorted(_MAKERS)}")
    xy, labels = _MAKERS[name](int(n_samples), float(noise), np.random.default_rng(seed))
    return np.clip(xy, -6.0, 6.0), labels


def split(points: np.ndarray, labels: np.ndarray, train_ratio: float, seed: int):
    """Shuffle with ``seed`` and cut into ``(x_train, y_train), (x_test, y_test)``; both keep >= 1 sample."""
    n = len(points)
    order = np.random.default_rng(seed + 1).permutation(n)
    n_train = min(max(int(round(n * train_ratio)), 1), n - 1) if n > 1 else n
    tr, te = order[:n_train], order[n_train:]
    return (points[tr], labels[tr]), (points[te], labels[te])
