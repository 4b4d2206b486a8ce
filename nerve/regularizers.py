"""L1 and L2 weight decay on layers' weights (never biases), as an option of compile or of a layer."""

from __future__ import annotations

from .backend import get_array_module

__all__ = ["weight_decay"]


def weight_decay(layers, l1: float, l2: float, *, grads: bool) -> float:
    """The penalty l1·Σ|W| + ½·l2·ΣW² over every layer's weights; with ``grads`` also add its gradient.

    A layer's own ``l1``/``l2`` (when not None) replaces the model's. Layers inside nested models and residual
    blocks count, each once even when it is used several times.
    """
    penalty = 0.0
    for layer in _leaves(layers, set()):
        a = l1 if layer.l1 is None else layer.l1
        b = l2 if layer.l2 is None else layer.l2
        if not (a or b):
            continue
        for key in layer.weight_names:
            W = layer.params[key]
            if b:
                penalty += 0.5 * b * float(get_array_module(W).vdot(W, W))
                if grads:
                    layer.grads[key] += b * W  # d(½·l2·W²)/dW = l2·W
            if a:
                penalty += a * float(abs(W).sum())
                if grads:
                    layer.grads[key] += a * get_array_module(W).sign(W)
    return penalty


def _leaves(layers, seen: set) -> list:
    """The layers that hold weights: containers are walked into, a repeated layer is given once."""
    found = []
    for layer in layers:
        if id(layer) not in seen:
            seen.add(id(layer))
            inner = layer.sublayers()
            found += _leaves(inner, seen) if inner else [layer]
    return found
