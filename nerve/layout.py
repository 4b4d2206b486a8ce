"""Memory layout: the order of an array's axes in memory, and copying an array into another one's layout.

A convolution's output is channels-last in memory behind its (N, C, H, W) shape, and the layers after it keep
that layout (``order="K"``), but a Flatten hands its gradient back in (N, C, H, W) order. An elementwise pass
over two arrays laid out differently walks one of them with long strides, and NumPy's ufunc loop is then ~6x
slower, while its copy across layouts is not: for SimpleConvNet's pooled gradient (432,000 float32),
``dout * mask`` across layouts takes 0.65 ms, a copy into the mask's layout 0.12 ms and the product after it
0.10 ms. So a layer whose backward mixes ``dout`` with its own cached arrays first brings ``dout`` to their
layout with :func:`in_layout_of`.
"""

from __future__ import annotations

from .backend import get_array_module

__all__ = ["axis_order", "in_layout_of"]


def axis_order(a) -> list[int]:
    """The axes of ``a`` from the largest stride to the smallest: its memory layout."""
    return sorted(range(a.ndim), key=lambda axis: -a.strides[axis])


def in_layout_of(a, template, copy: bool = False):
    """``a`` laid out in memory like ``template`` (same shape): ``a`` itself when it already is (unless
    ``copy``), else a new array."""
    if not copy and axis_order(a) == axis_order(template):
        return a
    out = get_array_module(a).empty_like(template, dtype=a.dtype)
    out[...] = a
    return out
