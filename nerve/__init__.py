"""nerve: deep learning from scratch on NumPy — explicit forward/backward, checked gradients, real speed."""

from __future__ import annotations

__version__ = "0.1.0"

from . import (
    callbacks,
    classic,
    datasets,
    distances,
    filters,
    gradcheck,
    initializers,
    layers,
    losses,
    metrics,
    optimizers,
    preprocessing,
    schedules,
    zoo,
)
from .backend import default_dtype, floatx, seed, set_default_dtype
from .io import load_model
from .model import Sequential, model_from_json

__all__ = [
    "__version__", "Sequential", "load_model", "model_from_json", "seed", "set_default_dtype", "default_dtype",
    "floatx", "layers", "losses", "optimizers", "initializers", "callbacks", "metrics", "gradcheck",
    "classic", "datasets", "distances", "preprocessing", "schedules", "zoo", "filters",
]
