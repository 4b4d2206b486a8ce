"""Classic image filters (Sobel, Laplacian, Gaussian and box blur, sharpen) applied with a Conv2D layer.

A convolution kernel is a template: the output is large where the image looks like the kernel. The
tutorial's edge detector is the Sobel pair; here every filter runs through :class:`nerve.layers.Conv2D`
(cross-correlation, like every CNN layer), so these are exactly the operations a CNN's first layer learns.

    >>> edges = apply_filter(image, SOBEL_X)          # gray (H, W) or RGB (H, W, 3)
    >>> magnitude = sobel_edges(image)                 # sqrt(Gx² + Gy²)
"""

from __future__ import annotations

import numpy as np

from .backend import floatx
from .layers.conv import Conv2D
from .validation import Integral, Interval, Real, validate_params

__all__ = [
    "SOBEL_X", "SOBEL_Y", "LAPLACIAN", "SHARPEN", "box_blur", "gaussian_kernel",
    "apply_filter", "sobel_edges", "get", "names",
]

#: responds to brightness increasing from left to right (vertical edges)
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float64)
#: responds to brightness increasing from top to bottom (horizontal edges)
SOBEL_Y = SOBEL_X.T.copy()
#: second derivative in both directions: zero on flat and linear regions, large at fine detail
LAPLACIAN = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64)
#: the image plus its negated Laplacian: boosts edges, keeps the mean (entries sum to 1)
SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float64)


@validate_params({"size": [Interval(Integral, 1, None)]})
def box_blur(size: int = 3) -> np.ndarray:
    """A ``size`` x ``size`` kernel of equal weights summing to 1 (the window mean)."""
    size = int(size)
    return np.full((size, size), 1.0 / (size * size))


@validate_params({"size": [Interval(Integral, 1, None)], "sigma": [Interval(Real, 0, None, closed="neither")]})
def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """A ``size`` x ``size`` Gaussian blur kernel with standard deviation ``sigma``, normalised to sum 1."""
    size = int(size)
    r = np.arange(size) - (size - 1) / 2
    g = np.exp(-(r ** 2) / (2.0 * sigma ** 2))
    kernel = np.outer(g, g)
    return kernel / kernel.sum()


_NAMED = {
    "sobel_x": lambda: SOBEL_X, "sobel_y": lambda: SOBEL_Y, "laplacian": lambda: LAPLACIAN,
    "sharpen": lambda: SHARPEN, "box_blur": box_blur, "gaussian": gaussian_kernel,
}


def names() -> list[str]:
    """The filter names :func:`get` understands."""
    return list(_NAMED)


def get(name: str) -> np.ndarray:
    """A kernel by name: "sobel_x", "sobel_y", "laplacian", "sharpen", "box_blur" (3x3), "gaussian" (5x5)."""
    if isinstance(name, str) and name.lower() in _NAMED:
        return np.array(_NAMED[name.lower()](), dtype=np.float64)
    raise ValueError(f"Could not interpret filter identifier: {name!r}; expected one of {names()}")


def apply_filter(image, kernel, padding="same", stride=1) -> np.ndarray:
    """Cross-correlate a gray (H, W) or color (H, W, C) image with a 2-D ``kernel`` (a name or an array).

    Every color channel is filtered on its own with the same kernel. ``padding="same"`` (zeros around the
    border, odd kernels) keeps the size; ``padding=0`` gives the smaller 'valid' output. Returns floats in
    the default dtype, gray (OH, OW) or (OH, OW, C) like the input.
    """
    kernel = get(kernel) if isinstance(kernel, str) else np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2:
        raise ValueError(f"apply_filter: `kernel` must be a 2-D array, got shape {kernel.shape}")
    img = np.asarray(image)
    if img.ndim not in (2, 3) or img.size == 0:
        raise ValueError(f"apply_filter: expected a gray (H, W) or color (H, W, C) image, got shape {img.shape}")
    if not np.issubdtype(img.dtype, np.number) or np.issubdtype(img.dtype, np.complexfloating):
        raise TypeError(f"apply_filter: expected a numeric image, got dtype {img.dtype}")
    gray = img.ndim == 2
    # (H, W) -> (1, 1, H, W); (H, W, C) -> (C, 1, H, W): each channel is one single-channel sample
    x = img[None, None] if gray else img.transpose(2, 0, 1)[:, None]
    conv = Conv2D(1, kernel.shape, stride=stride, padding=padding, use_bias=False, name="filter")
    conv.build(x.shape[1:])
    conv.params["W"][...] = kernel  # (1, 1, kh, kw): one output channel, one input channel
    y = conv.forward(x.astype(floatx(), copy=False))  # (C, 1, OH, OW)
    return y[0, 0] if gray else np.ascontiguousarray(y[:, 0].transpose(1, 2, 0))  # (C, 1, OH, OW) -> (OH, OW, C)


def sobel_edges(image, padding="same") -> np.ndarray:
    """Edge strength sqrt(Gx² + Gy²) from the two Sobel filters (the tutorial's edge detector)."""
    gx = apply_filter(image, SOBEL_X, padding)
    gy = apply_filter(image, SOBEL_Y, padding)
    return np.hypot(gx, gy)
