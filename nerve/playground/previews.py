"""Small previews of every dataset for the page's dataset buttons (TensorFlow Playground's thumbnails)."""

from __future__ import annotations

import functools

import numpy as np

from .datasets import make_dataset
from .regression_data import make_regression_dataset
from .validation import PROBLEM_DATASETS

__all__ = ["dataset_previews"]

PREVIEW_POINTS = 160


@functools.lru_cache(maxsize=1)
def dataset_previews() -> dict:
    """``{dataset: [[x1, x2, label or target], ...]}``: each dataset at noise 0, seed 1 (computed once)."""
    out = {}
    for problem, names in PROBLEM_DATASETS.items():
        make = make_regression_dataset if problem == "regression" else make_dataset
        for name in names:
            if name == "custom":
                continue
            xy, y = make(name, PREVIEW_POINTS, 0.0, 1)
            out[name] = np.round(np.column_stack([xy, y]).astype(np.float64), 2).tolist()
    return out
