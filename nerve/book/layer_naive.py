"""The book's chapter 5 ``layer_naive``: ``MulLayer`` and ``AddLayer`` of the apple-shopping graph.

They are nerve's :class:`nerve.layers.Multiply` and :class:`nerve.layers.Add` under the book's names.
"""

from __future__ import annotations

from ..layers import Add, Multiply

__all__ = ["MulLayer", "AddLayer"]


class MulLayer(Multiply):
    """out = x·y; ``backward(dout)`` returns (dout·y, dout·x)."""

    def __repr__(self):
        return "MulLayer()"


class AddLayer(Add):
    """out = x + y; ``backward(dout)`` returns (dout, dout)."""

    def __repr__(self):
        return "AddLayer()"
