"""The classifier view's 2-D regression problems (TensorFlow Playground's "plane" and "multi-Gaussian").

Points in [-6, 6]² with a real-valued target in [-1, 1]; ``noise`` in [0, 0.5] as on the playground's
slider. Every draw comes from a generator seeded by the configuration, so a link reproduces the points.
"""

from __future__ import annotations

import numpy as np

__all__ = ["REGRESSION_DATASETS", "make_regression_dataset"]

# (centre x, centre y, sign) of the six bumps of the multi-Gaussian surface, as on TensorFlow Playground
_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], float)


def plane_target(xy: np.ndarray) -> np.ndarray:
    """The tilted plane (x1 + x2) / 10 (in [-1.2, 1.2] on the square, clipped to [-1, 1])."""
    return np.clip((xy[:, 0] + xy[:, 1]) / 10.0, -1.0, 1.0)


def gaussians_target(xy: np.ndarray) -> np.ndarray:
    """The strongest of six signed bumps, each falling linearly from 1 at its centre to 0 at distance 2."""
    dist = np.hypot(xy[:, None, 0] - _BUMPS[:, 0], xy[:, None, 1] - _BUMPS[:, 1])  # (n, 6)
    heights = _BUMPS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)
    pick = np.argmax(np.abs(heights), axis=1)
    return heights[np.arange(len(xy)), pick]


_TARGETS = {"plane": plane_target, "multi_gaussian": gaussians_target}
REGRESSION_DATASETS = tuple(_TARGETS)


def make_regression_dataset(name: str, n_samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(points (n, 2) uniform in [-6, 6]², targets (n,) in [-1, 1])``; noise jitters where a target is read."""
    if name not in _TARGETS:
        raise ValueError(f"make_regression_dataset: unknown dataset {name!r}; expected one of {REGRESSION_DATASETS}")
    gen = np.random.default_rng(seed)
    xy = gen.uniform(-6.0, 6.0, size=(int(n_samples), 2))
    jitter = gen.uniform(-6.0, 6.0, size=xy.shape) * float(noise)
    return xy, _TARGETS[name](xy + jitter).astype(np.float64)
