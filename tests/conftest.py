"""Shared fixtures: every test starts from the same seed and the float32 default."""

from __future__ import annotations

import numpy as np
import pytest

import nerve


@pytest.fixture(autouse=True)
def _fresh_state():
    nerve.seed(0)
    nerve.set_default_dtype(np.float32)
    yield
    nerve.set_default_dtype(np.float32)


@pytest.fixture
def f64():
    """Build layers in float64 for gradient checks."""
    with nerve.default_dtype(np.float64):
        yield
