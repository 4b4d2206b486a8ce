"""VGG16 and VGG19 (Simonyan & Zisserman, 2014): stacks of 3x3 convolutions and 2x2 max-pools, then three Dense.

The book's chapter 8 describes VGG; ``vgg16()`` on 224x224x3 images with 1000 classes has 138,357,544 parameters,
``vgg19()`` 143,667,240. :func:`vgg_param_count` computes the count from the architecture alone, without building
(the full model holds over half a gigabyte of float32 weights, and as much again for their gradients).
"""

from __future__ import annotations

from ..layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from ..model import Sequential
from ..validation import Integral, Interval, Real, check_param
from .nets import image_shape

__all__ = ["VGG_BLOCKS", "vgg16", "vgg19", "vgg", "vgg_param_count"]

#: convolutions per block (each block ends with a 2x2 max-pool) and the block widths
VGG_BLOCKS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
_WIDTHS = (64, 128, 256, 512, 512)


def _plan(depth: int, input_shape, width: float, owner: str):
    """The conv widths, one None per max-pool, and the flattened size after the last block."""
    if depth not in VGG_BLOCKS:
        raise ValueError(f"{owner}: `depth` must be one of {sorted(VGG_BLOCKS)}, got {depth!r}")
    check_param(owner, "width", width, Interval(Real, 0, None, closed="neither"))
    c, h, w = image_shape(input_shape, owner)
    if h < 32 or w < 32:
        raise ValueError(f"{owner}: five 2x2 max-pools need images of at least 32x32, got {h}x{w}")
    plan = []
    for convs, channels in zip(VGG_BLOCKS[depth], _WIDTHS):
        plan += [max(1, round(channels * width))] * convs + [None]
        h, w = h // 2, w // 2
    return c, plan, plan[-2] * h * w


def vgg(depth: int = 16, input_shape=(3, 224, 224), num_classes: int = 1000, fc_units: int = 4096,
        dropout: float = 0.5, width: float = 1.0, weight_init="he") -> Sequential:
    """VGG with ``depth`` 16 or 19: blocks of 3x3 'same' convolutions + ReLU, each followed by a 2x2 max-pool,
    then Dense(fc_units) -> ReLU -> Dropout twice and Dense(num_classes) (logits).

    ``width`` scales every convolution's channel count (1.0: the paper's 64...512), e.g. 0.25 for small images.
    """
    owner = f"vgg{depth}"
    num_classes = check_param(owner, "num_classes", num_classes, Interval(Integral, 1, None))
    fc_units = check_param(owner, "fc_units", fc_units, Interval(Integral, 1, None))
    _, plan, _ = _plan(depth, input_shape, width, owner)
    layers = []
    for channels in plan:
        layers += [MaxPool2D(2)] if channels is None else [Conv2D(channels, 3, padding=1, weight_init=weight_init),
                                                            ReLU()]
    layers += [Flatten(), Dense(fc_units, weight_init=weight_init), ReLU(), Dropout(dropout),
               Dense(fc_units, weight_init=weight_init), ReLU(), Dropout(dropout),
               Dense(num_classes, weight_init=weight_init)]
    return Sequential(layers, input_shape=tuple(input_shape), name=owner)


def vgg16(input_shape=(3, 224, 224), num_classes: int = 1000, **kwargs) -> Sequential:
    """VGG16: 13 convolutions in blocks of 2, 2, 3, 3, 3 and three Dense layers; see :func:`vgg`."""
    return vgg(16, input_shape, num_classes, **kwargs)


def vgg19(input_shape=(3, 224, 224), num_classes: int = 1000, **kwargs) -> Sequential:
    """VGG19: 16 convolutions in blocks of 2, 2, 4, 4, 4 and three Dense layers; see :func:`vgg`."""
    return vgg(19, input_shape, num_classes, **kwargs)


def vgg_param_count(depth: int = 16, input_shape=(3, 224, 224), num_classes: int = 1000, fc_units: int = 4096,
                    width: float = 1.0) -> int:
    """The parameter count of ``vgg(depth, ...)`` from its shapes, without building it.

    Conv2D: 3·3·c_in·c_out + c_out; Dense: n_in·n_out + n_out.
    """
    c, plan, flat = _plan(depth, input_shape, width, f"vgg{depth}")
    total = 0
    for channels in plan:
        if channels is not None:
            total += 9 * c * channels + channels
            c = channels
    for n_in, n_out in ((flat, fc_units), (fc_units, fc_units), (fc_units, num_classes)):
        total += n_in * n_out + n_out
    return total
