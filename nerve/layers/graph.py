"""Computational-graph nodes with two inputs: Add and Multiply (the book's AddLayer and MulLayer)."""

from __future__ import annotations

from ..backend import get_array_module

__all__ = ["Add", "Multiply"]


def _unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape``, undoing NumPy broadcasting (a scalar input gets a scalar gradient)."""
    grad = get_array_module(grad).asarray(grad)
    if grad.shape == tuple(shape):
        return grad if grad.ndim else grad.item()
    extra = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(extra))) if extra > 0 else grad
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    grad = grad.sum(axis=axes, keepdims=True) if axes else grad
    return grad.reshape(shape) if len(shape) else grad.item()


class Add:
    """out = x + y; backward passes the gradient to both inputs unchanged."""

    def __init__(self):
        self.shapes = None

    def forward(self, x, y):
        xp = get_array_module(x, y)
        self.shapes = (xp.shape(x), xp.shape(y))
        return xp.add(x, y) if self.shapes != ((), ()) else x + y

    def backward(self, dout):
        if self.shapes is None:
            raise RuntimeError("Add: backward() called before forward()")
        return _unbroadcast(dout, self.shapes[0]), _unbroadcast(dout, self.shapes[1])

    def __repr__(self):
        return "Add()"


class Multiply:
    """out = x * y; backward swaps the inputs: d/dx = dout · y, d/dy = dout · x."""

    def __init__(self):
        self.x = self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        xp = get_array_module(x, y)
        return x * y if xp.ndim(x) == 0 and xp.ndim(y) == 0 else xp.multiply(x, y)

    def backward(self, dout):
        if self.x is None:
            raise RuntimeError("Multiply: backward() called before forward()")
        xp = get_array_module(dout, self.x, self.y)
        return _unbroadcast(xp.multiply(dout, self.y), xp.shape(self.x)), \
            _unbroadcast(xp.multiply(dout, self.x), xp.shape(self.y))

    def __repr__(self):
        return "Multiply()"
