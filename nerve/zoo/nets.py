"""The book's and the tutorials' classic networks as ordinary, already built ``Sequential`` models.

Every constructor takes the input shape (without the batch axis) and the class count, and returns a
``Sequential`` you can ``summary()``, ``compile``, ``fit``, ``save`` and load. Outputs are logits: compile
with the default ``softmax_cross_entropy`` loss and use ``predict_proba`` for probabilities.

    >>> model = nerve.zoo.simple_conv_net()
    >>> model.compile(optimizer="adam", loss="softmax_cross_entropy", metrics=["accuracy"])
"""

from __future__ import annotations

from collections.abc import Sequence

from ..layers import BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from ..model import Sequential
from ..validation import Integral, Interval, ListOf, Real, check_param, validate_params

__all__ = [
    "image_shape", "channel_widths",
    "two_layer_net", "simple_conv_net", "deep_conv_net", "lenet5", "vgg_small", "alexnet_like",
    "TwoLayerNet", "SimpleConvNet", "DeepConvNet", "LeNet5", "VGGSmall", "AlexNetLike",
]


_COUNT = [Interval(Integral, 1, None)]
_RATE = [Interval(Real, 0, 1, closed="left")]


def _sizes(count: int | None) -> ListOf:
    """A tuple/list of integers >= 1 (exactly ``count`` of them, or at least one)."""
    return ListOf(_COUNT[0], length=count)


def image_shape(input_shape, owner: str) -> tuple[int, int, int]:
    """``input_shape`` as (channels, height, width) ints, or the argument error naming ``owner``."""
    check_param(owner, "input_shape", input_shape, _sizes(3))
    return tuple(int(d) for d in input_shape)


def channel_widths(values, count: int, name: str, owner: str) -> tuple[int, ...]:
    """``values`` as ``count`` ints >= 1, or the argument error naming ``owner``."""
    check_param(owner, name, values, _sizes(count))
    return tuple(int(v) for v in values)


@validate_params({"input_size": _COUNT, "hidden_size": _COUNT, "output_size": _COUNT})
def two_layer_net(input_size: int = 784, hidden_size: int = 50, output_size: int = 10,
                  weight_init_std: float = 0.01) -> Sequential:
    """The book's TwoLayerNet: Affine(input, hidden) -> ReLU -> Affine(hidden, output)."""
    input_size = int(input_size)
    return Sequential([
        Dense(hidden_size, weight_init=weight_init_std),
        ReLU(),
        Dense(output_size, weight_init=weight_init_std),
    ], input_shape=(input_size,), name="two_layer_net")


@validate_params({"num_classes": _COUNT})
def simple_conv_net(input_shape=(1, 28, 28), num_classes: int = 10, filters: int = 30, kernel_size: int = 5,
                    hidden_size: int = 100, weight_init="he") -> Sequential:
    """The book's SimpleConvNet: conv(30 5x5) -> ReLU -> max-pool 2 -> Affine 100 -> ReLU -> Affine classes.

    The book initialises with ``weight_init_std=0.01`` (pass ``weight_init=0.01`` for that); He init, the
    default here, reaches 0.90 on Fashion-MNIST in 4-5 epochs with Adam where 0.01 stays near 0.89.
    """
    shape = image_shape(input_shape, "simple_conv_net")
    return Sequential([
        Conv2D(filters, kernel_size, weight_init=weight_init), ReLU(), MaxPool2D(2),
        Flatten(), Dense(hidden_size, weight_init=weight_init), ReLU(),
        Dense(num_classes, weight_init=weight_init),
    ], input_shape=shape, name="simple_conv_net")


@validate_params({"num_classes": _COUNT, "dropout": _RATE})
def deep_conv_net(input_shape=(1, 28, 28), num_classes: int = 10, filters=(16, 16, 32, 32, 64, 64),
                  hidden_size: int = 50, dropout: float = 0.5, output_dropout: bool = True) -> Sequential:
    """The book's ch08 DeepConvNet: six 3x3 convs (pool after each pair), Affine 50, dropout; He init.

    As in the book every conv has padding 1 except the fourth (padding 2), and dropout follows both Affine
    layers. On 28x28 inputs the features before the first Affine are 64x4x4. ``output_dropout=False``
    leaves out the book's Dropout after the output layer (it zeroes half the logits of every sample in
    training; see benchmarks/README.md for what it costs on Fashion-MNIST).
    """
    shape = image_shape(input_shape, "deep_conv_net")
    widths = channel_widths(filters, 6, "filters", "deep_conv_net")
    rate = dropout
    layers = []
    for i, (width, pad) in enumerate(zip(widths, (1, 1, 1, 2, 1, 1))):
        layers += [Conv2D(width, 3, padding=pad, weight_init="he"), ReLU()]
        if i % 2:
            layers.append(MaxPool2D(2))
    layers += [Flatten(), Dense(hidden_size, weight_init="he"), ReLU(), Dropout(rate),
               Dense(num_classes, weight_init="he")]
    if output_dropout:
        layers.append(Dropout(rate))
    return Sequential(layers, input_shape=shape, name="deep_conv_net")


@validate_params({"num_classes": _COUNT})
def lenet5(input_shape=(1, 28, 28), num_classes: int = 10) -> Sequential:
    """LeNet-5 with ReLU and max-pooling: conv 6@5x5 (padding 2) -> pool -> conv 16@5x5 -> pool -> 120 -> 84."""
    shape = image_shape(input_shape, "lenet5")
    return Sequential([
        Conv2D(6, 5, padding=2), ReLU(), MaxPool2D(2),
        Conv2D(16, 5), ReLU(), MaxPool2D(2),
        Flatten(), Dense(120), ReLU(), Dense(84), ReLU(),
        Dense(num_classes),
    ], input_shape=shape, name="lenet5")


@validate_params({"num_classes": _COUNT, "blocks": [_sizes(None)], "dropout": _RATE})
def vgg_small(input_shape=(1, 28, 28), num_classes: int = 10, blocks: Sequence[int] = (32, 64),
              hidden_size: int = 256, batch_norm: bool = True, dropout: float = 0.5) -> Sequential:
    """A small VGG: per block two 3x3 'same' convs (+ BatchNorm) with ReLU, then max-pool 2; then Dense."""
    shape = image_shape(input_shape, "vgg_small")
    widths = tuple(int(b) for b in blocks)
    if not widths:
        raise ValueError("vgg_small: `blocks` needs at least one block width")
    layers = []
    for width in widths:
        for _ in range(2):
            layers.append(Conv2D(width, 3, padding="same"))
            layers += [BatchNorm(), ReLU()] if batch_norm else [ReLU()]
        layers.append(MaxPool2D(2))
    layers += [Flatten(), Dense(hidden_size), ReLU(), Dropout(dropout),
               Dense(num_classes)]
    return Sequential(layers, input_shape=shape, name="vgg_small")


@validate_params({"num_classes": _COUNT, "dense_units": [_sizes(None)], "dropout": _RATE})
def alexnet_like(input_shape=(3, 224, 224), num_classes: int = 2, filters=(6, 256, 384, 384, 356),
                 dense_units=(4096, 4096, 1000), dropout: float = 0.5) -> Sequential:
    """The tutorial's cats-vs-dogs network (AlexNet-like), Keras layer for layer.

    Conv 11x11/4 -> ReLU -> BatchNorm -> MaxPool 3/2 -> Conv 5x5 'same' -> ReLU -> BatchNorm -> MaxPool 3/2 ->
    two Conv 3x3 'same' and one Conv 3x3 'valid' (each ReLU -> BatchNorm) -> MaxPool 3/2 -> Flatten ->
    Dense(4096) -> ReLU -> Dropout -> Dense(4096) -> ReLU -> Dropout -> Dense(1000) -> ReLU -> Dropout ->
    Dense(classes). Inputs need at least 99x99 pixels; shrink ``filters``/``dense_units`` for quick runs.
    """
    shape = image_shape(input_shape, "alexnet_like")
    f = channel_widths(filters, 5, "filters", "alexnet_like")
    rate = dropout
    if min(shape[1:]) < 99:
        raise ValueError(f"alexnet_like: images must be at least 99x99 pixels, got input_shape={tuple(shape)}")
    layers = [
        Conv2D(f[0], 11, stride=4), ReLU(), BatchNorm(), MaxPool2D(3, stride=2),
        Conv2D(f[1], 5, padding="same"), ReLU(), BatchNorm(), MaxPool2D(3, stride=2),
        Conv2D(f[2], 3, padding="same"), ReLU(), BatchNorm(),
        Conv2D(f[3], 3, padding="same"), ReLU(), BatchNorm(),
        Conv2D(f[4], 3), ReLU(), BatchNorm(), MaxPool2D(3, stride=2),
        Flatten(),
    ]
    for units in dense_units:
        layers += [Dense(units), ReLU(), Dropout(rate)]
    layers.append(Dense(num_classes))
    return Sequential(layers, input_shape=shape, name="alexnet_like")


#: class-style names, for readers coming from the book (``SimpleConvNet()``) or from Keras applications
TwoLayerNet = two_layer_net
SimpleConvNet = simple_conv_net
DeepConvNet = deep_conv_net
LeNet5 = lenet5
VGGSmall = vgg_small
AlexNetLike = alexnet_like
