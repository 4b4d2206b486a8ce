"""Weight initialisers: normal(std) as in the book, uniform(low, high), Xavier/Glorot, He, and constants."""

from __future__ import annotations

import math
import numbers

import numpy as np

from .backend import floatx, rng
from .validation import Interval, Real, validate_params

__all__ = ["Initializer", "Normal", "Uniform", "Xavier", "GlorotUniform", "He", "Constant", "Zeros", "get", "serialize",
           "fans"]


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a Dense (in, out) or Conv2D (out, in, kh, kw) weight."""
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


class Initializer:
    """Callable ``init(shape) -> ndarray`` in the default dtype."""

    def __call__(self, shape: tuple[int, ...]) -> np.ndarray:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


class Normal(Initializer):
    """N(0, std²): the book's ``weight_init_std * randn``."""

    @validate_params({"std": [Interval(Real, 0, None, closed="neither")]})
    def __init__(self, std: float = 0.01):
        self.std = float(std)

    def __call__(self, shape):
        return (self.std * rng().standard_normal(shape)).astype(floatx())

    def get_config(self):
        return {"std": self.std}


class Uniform(Initializer):
    """U(low, high): every value equally likely in [low, high) (Keras's RandomUniform, ±0.05 by default)."""

    @validate_params({"low": [Interval(Real, None, None)], "high": [Interval(Real, None, None)]})
    def __init__(self, low: float = -0.05, high: float = 0.05):
        if not low < high:
            raise ValueError(f"Uniform: expected low < high, got low={low!r}, high={high!r}")
        self.low, self.high = float(low), float(high)

    def __call__(self, shape):
        return rng().uniform(self.low, self.high, shape).astype(floatx())

    def get_config(self):
        return {"low": self.low, "high": self.high}


class GlorotUniform(Initializer):
    """Glorot uniform (Keras's default for Dense and Conv2D): U(±sqrt(6 / (fan_in + fan_out)))."""

    def __call__(self, shape):
        fan_in, fan_out = fans(shape)
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return rng().uniform(-limit, limit, shape).astype(floatx())


class Xavier(Initializer):
    """Glorot normal: std = sqrt(2 / (fan_in + fan_out)); suits sigmoid and tanh."""

    def __call__(self, shape):
        fan_in, fan_out = fans(shape)
        return (np.sqrt(2.0 / (fan_in + fan_out)) * rng().standard_normal(shape)).astype(floatx())


class He(Initializer):
    """He normal: std = sqrt(2 / fan_in); the default for the ReLU family."""

    def __call__(self, shape):
        fan_in, _ = fans(shape)
        return (np.sqrt(2.0 / fan_in) * rng().standard_normal(shape)).astype(floatx())


class Constant(Initializer):
    """Every entry equal to ``value``."""

    @validate_params({"value": [Interval(Real, None, None)]})
    def __init__(self, value: float = 0.0):
        self.value = float(value)

    def __call__(self, shape):
        return np.full(shape, self.value, dtype=floatx())

    def get_config(self):
        return {"value": self.value}


class Zeros(Constant):
    """All zeros (biases)."""

    def __init__(self):
        super().__init__(0.0)

    def get_config(self):
        return {}


_REGISTRY = {"normal": Normal, "uniform": Uniform, "xavier": Xavier, "glorot": Xavier, "glorot_normal": Xavier,
             "glorot_uniform": GlorotUniform, "xavier_uniform": GlorotUniform, "he": He, "zeros": Zeros,
             "constant": Constant}


def get(identifier) -> Initializer:
    """An initializer from an instance, a name ("he", "xavier", "glorot_uniform", "uniform", "zeros"), a std
    (float) or a ``{"class": "Uniform", "config": {...}}`` dict written by :func:`serialize`."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict) and identifier.get("class") == "Uniform":
        return Uniform(**identifier.get("config", {}))
    if isinstance(identifier, numbers.Real) and not isinstance(identifier, bool):
        return Normal(float(identifier))
    if isinstance(identifier, str) and identifier.lower() in _REGISTRY:
        return _REGISTRY[identifier.lower()]()
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}; expected one of {sorted(_REGISTRY)}")


def serialize(init: Initializer):
    """The inverse of :func:`get`: a name, or the std of a Normal, for model files."""
    if isinstance(init, Normal):
        return init.std
    if isinstance(init, Constant) and not isinstance(init, Zeros):
        raise ValueError(f"serialize: Constant({init.value}) is for biases, not weights")
    if isinstance(init, Uniform):
        return {"class": "Uniform", "config": init.get_config()}
    names = {Xavier: "xavier", GlorotUniform: "glorot_uniform", He: "he", Zeros: "zeros"}
    if type(init) not in names:
        raise ValueError(f"serialize: cannot describe custom initializer {init!r} in a model file")
    return names[type(init)]
