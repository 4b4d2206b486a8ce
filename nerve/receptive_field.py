"""Receptive fields: which input pixels one output cell of each layer sees (seed 000: 3x3, then 4x4).

For a window of k with stride s after layers whose cells are ``jump`` input pixels apart and see ``size``
pixels: size ← size + (k - 1)·jump, jump ← jump·s, start ← start + ((k - 1)/2 - pad)·jump (the centre of the
first cell, in input pixels). Layers without a window (activations, BatchNorm, Dropout) change nothing; a
Flatten or Dense sees the whole input, so the walk stops there.
"""

from __future__ import annotations

from .im2col import pair

__all__ = ["receptive_field", "window_of"]


def window_of(layer):
    """((kh, kw), (sh, sw), (ph, pw)) of a windowed layer (convolution, pooling), or None for the others."""
    inner = getattr(layer, "inner", None)  # nerve.keras wraps nerve's layers
    if inner is not None:
        found = window_of(inner)
        pads = getattr(layer, "pads", ((0, 0), (0, 0)))
        if found is not None:
            (k, s, p) = found
            return k, s, (p[0] + pads[0][0], p[1] + pads[1][0])
        return None
    kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if kernel is None or not hasattr(layer, "stride"):
        return None
    pad = getattr(layer, "pad", None) or getattr(layer, "padding", (0, 0))
    return pair(kernel), pair(layer.stride), pair(pad if not isinstance(pad, str) else 0, minimum=0)


def receptive_field(model) -> list[dict]:
    """One row per layer up to the first Flatten/Dense: ``{"layer", "size": (h, w), "jump": (h, w),
    "start": (h, w)}``; ``size`` is the receptive field of one output cell, in input pixels."""
    size, jump, start = [1, 1], [1, 1], [0.0, 0.0]
    rows = []
    for layer in getattr(model, "layers", model):
        if type(layer).__name__ in ("Flatten", "Dense", "GlobalAvgPool2D"):
            break
        window = window_of(layer)
        if window is not None:
            kernel, stride, pad = window
            for a in (0, 1):
                start[a] += ((kernel[a] - 1) / 2 - pad[a]) * jump[a]
                size[a] += (kernel[a] - 1) * jump[a]
                jump[a] *= stride[a]
        rows.append({"layer": layer.name or type(layer).__name__, "size": tuple(size), "jump": tuple(jump),
                     "start": tuple(start)})
    return rows
