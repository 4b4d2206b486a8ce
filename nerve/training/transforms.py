"""Gradient transforms: what runs between backward and the optimizer's step (weight decay, clipping, averaging).

A transform is any callable ``transform(grads, params)`` that changes the gradient arrays of ``grads`` in place
(and returns None) or returns a new dict with the same keys. Both dicts are keyed ``"<layer>/<param>"``. The
optimizer runs ``optimizer.transforms`` (e.g. an Allreduce across processes) and then its clipping
(``clipnorm``, ``clipvalue``, ``global_clipnorm``) at the start of every ``update``; weight decay runs first, as
part of the loss's gradient (see ``step.loss_and_gradients``).

The clipping transforms follow ``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_``: with total norm
``n``, every gradient is scaled by ``max_norm / (n + 1e-6)`` when that is below 1. They use only array methods
and operators, so they work unchanged on CuPy arrays.
"""

from __future__ import annotations

import math

import numpy as np

from ..regularizers import weight_decay
from ..validation import Interval, Real, check_param

__all__ = ["WeightDecay", "ClipByValue", "ClipByNorm", "ClipByGlobalNorm", "apply_transforms", "clipping",
           "global_norm"]

_EPS = 1e-6  # torch's clip_grad_norm_ epsilon: clip_coef = max_norm / (total_norm + 1e-6)


def apply_transforms(transforms, grads: dict, params: dict) -> dict:
    """Run ``transforms`` in order; returns the final gradients (the same dict unless one returned a new one)."""
    for transform in transforms:
        result = transform(grads, params)
        if result is not None:
            if not isinstance(result, dict) or result.keys() != grads.keys():
                raise ValueError(f"gradient transform {transform!r} must change grads in place or return a dict "
                                 f"with the same keys, got {type(result).__name__}")
            grads = result
    return grads


class WeightDecay:
    """Adds the gradient of l1·Σ|W| + ½·l2·ΣW² to every layer's weights (never biases).

    A layer's own ``l1``/``l2`` (when not None) replaces the model's. It writes the layers' gradient arrays,
    which are the arrays of ``model.grads``; ``apply`` returns the penalty that belongs in the loss.
    """

    def __init__(self, layers, l1: float = 0.0, l2: float = 0.0):
        self.layers, self.l1, self.l2 = layers, l1, l2

    @classmethod
    def of(cls, model) -> WeightDecay:
        """The weight decay ``model`` was compiled with (``compile(l1=..., l2=...)`` and the layers' own)."""
        return cls(model.layers, model.l1, model.l2)

    def penalty(self) -> float:
        """l1·Σ|W| + ½·l2·ΣW² over the weights, without touching gradients."""
        return weight_decay(self.layers, self.l1, self.l2, grads=False)

    def apply(self) -> float:
        """Add the penalty's gradient to the layers' gradients; returns the penalty."""
        return weight_decay(self.layers, self.l1, self.l2, grads=True)

    def __call__(self, grads, params) -> None:
        self.apply()

    def __repr__(self):
        return f"WeightDecay(l1={self.l1}, l2={self.l2})"


def _positive(value, name: str, owner: str) -> float:
    return float(check_param(owner, name, value, Interval(Real, 0, None, closed="neither")))


def _norm(g) -> float:
    flat = g.reshape(-1)
    with np.errstate(over="ignore"):  # overflow is handled below (errstate does nothing on a GPU)
        squares = float(flat @ flat)
    if math.isinf(squares):  # NOTE: float32 squares overflow past ~1.8e19 (exploding gradients): scale first
        largest = float(abs(flat).max())
        if math.isfinite(largest):
            scaled = flat / largest
            return largest * math.sqrt(float(scaled @ scaled))
    return math.sqrt(squares)


def global_norm(grads: dict) -> float:
    """√(Σ over every array of Σg²): the norm of all gradients as one vector."""
    return math.sqrt(sum(_norm(g) ** 2 for g in grads.values()))


class ClipByValue:
    """Clamp every gradient element to [-clipvalue, clipvalue] (Keras's ``clipvalue``, torch's clip_grad_value_)."""

    def __init__(self, clipvalue: float):
        self.clipvalue = _positive(clipvalue, "clipvalue", "ClipByValue")

    def __call__(self, grads, params) -> None:
        for g in grads.values():
            g.clip(-self.clipvalue, self.clipvalue, out=g)

    def __repr__(self):
        return f"ClipByValue({self.clipvalue})"


class ClipByNorm:
    """Rescale each gradient array whose L2 norm exceeds ``clipnorm`` (Keras's ``clipnorm``: per array)."""

    def __init__(self, clipnorm: float):
        self.clipnorm = _positive(clipnorm, "clipnorm", "ClipByNorm")

    def __call__(self, grads, params) -> None:
        for g in grads.values():
            coef = self.clipnorm / (_norm(g) + _EPS)
            if coef < 1.0:
                g *= coef  # NOTE: a Python float keeps float32 gradients float32

    def __repr__(self):
        return f"ClipByNorm({self.clipnorm})"


class ClipByGlobalNorm:
    """Rescale all gradients together when their global norm exceeds ``global_clipnorm`` (Keras's name)."""

    def __init__(self, global_clipnorm: float):
        self.global_clipnorm = _positive(global_clipnorm, "global_clipnorm", "ClipByGlobalNorm")

    def __call__(self, grads, params) -> None:
        coef = self.global_clipnorm / (global_norm(grads) + _EPS)
        if coef < 1.0:
            for g in grads.values():
                g *= coef

    def __repr__(self):
        return f"ClipByGlobalNorm({self.global_clipnorm})"


def clipping(clipnorm=None, clipvalue=None, global_clipnorm=None, owner: str = "Optimizer") -> list:
    """The clipping transforms for Keras's three optimizer arguments, in the order they run: value, then norm.

    ``clipnorm`` and ``global_clipnorm`` exclude each other (as in Keras).
    """
    if clipnorm is not None and global_clipnorm is not None:
        raise ValueError(f"{owner}: only one of `clipnorm` and `global_clipnorm` can be set. "
                         f"Received: clipnorm={clipnorm!r}, global_clipnorm={global_clipnorm!r}")
    transforms = []
    if clipvalue is not None:
        transforms.append(ClipByValue(_positive(clipvalue, "clipvalue", owner)))
    if clipnorm is not None:
        transforms.append(ClipByNorm(_positive(clipnorm, "clipnorm", owner)))
    if global_clipnorm is not None:
        transforms.append(ClipByGlobalNorm(_positive(global_clipnorm, "global_clipnorm", owner)))
    return transforms
