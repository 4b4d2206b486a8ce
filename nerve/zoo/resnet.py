"""A small ResNet (He et al., 2016) for 28x28 images: residual blocks of 3x3 convs with BatchNorm and ReLU.

    stem:    conv 3x3 (widths[0]) -> BatchNorm -> ReLU
    stage 1: ``blocks`` identity blocks at widths[0]
    stage k: a projection block (stride 2; the skip path is a 1x1 conv with stride 2 and BatchNorm),
             then ``blocks - 1`` identity blocks at widths[k-1]
    head:    global average pooling -> Dense(classes)

A block is ``ReLU(x + BN(conv(ReLU(BN(conv(x))))))``: ``Residual`` adds the skip path, the ReLU after it is a layer
of its own. On 28x28 inputs with the default widths (16, 32, 64) the feature maps are 28x28, 14x14 and 7x7.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..layers import BatchNorm, Conv2D, Dense, GlobalAvgPool2D, ReLU, Residual
from ..model import Sequential
from ..validation import Integral, Interval, ListOf, validate_params
from .nets import image_shape

__all__ = ["resnet_small", "residual_block", "ResNetSmall"]

_COUNT = Interval(Integral, 1, None)


def residual_block(filters: int, stride: int = 1, in_channels: int | None = None, name: str | None = None) -> Residual:
    """conv 3x3 (stride) -> BN -> ReLU -> conv 3x3 -> BN, plus the input; a projection when the shape changes."""
    body = [Conv2D(filters, 3, stride=stride, padding=1, use_bias=False), BatchNorm(), ReLU(),
            Conv2D(filters, 3, padding=1, use_bias=False), BatchNorm()]
    projection = None
    if stride != 1 or (in_channels is not None and in_channels != filters):
        projection = Sequential([Conv2D(filters, 1, stride=stride, use_bias=False), BatchNorm()], name="projection")
    return Residual(body, projection=projection, name=name)


@validate_params({"num_classes": [_COUNT], "widths": [ListOf(_COUNT)], "blocks": [_COUNT]})
def resnet_small(input_shape=(1, 28, 28), num_classes: int = 10, widths: Sequence[int] = (16, 32, 64),
                 blocks: int = 1) -> Sequential:
    """A small ResNet: stem conv, ``len(widths)`` stages of ``blocks`` residual blocks (a stride-2 projection
    block opens every stage after the first), global average pooling and a Dense layer; logits out."""
    shape = image_shape(input_shape, "resnet_small")
    widths = tuple(int(w) for w in widths)
    layers = [Conv2D(widths[0], 3, padding=1, use_bias=False), BatchNorm(), ReLU()]
    channels = widths[0]
    for stage, width in enumerate(widths, 1):
        for k in range(1, blocks + 1):
            stride = 2 if stage > 1 and k == 1 else 1
            layers += [residual_block(width, stride, channels, name=f"block{stage}_{k}"), ReLU()]
            channels = width
    layers += [GlobalAvgPool2D(), Dense(num_classes)]
    return Sequential(layers, input_shape=shape, name="resnet_small")


#: class-style name, like the zoo's other networks
ResNetSmall = resnet_small
