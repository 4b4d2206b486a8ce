"""Model zoo: the book's and the tutorials' networks as ordinary, already built ``Sequential`` models.

Every constructor takes the input shape (without the batch axis) and the class count, and returns a
``Sequential`` you can ``summary()``, ``compile``, ``fit``, ``save`` and load. Outputs are logits: compile
with the default ``softmax_cross_entropy`` loss and use ``predict_proba`` for probabilities.

    >>> model = nerve.zoo.simple_conv_net()
    >>> model.compile(optimizer="adam", loss="softmax_cross_entropy", metrics=["accuracy"])

One file per family: ``nets.py`` (the book's and the classic small networks), ``vgg.py`` (VGG16/19),
``resnet.py`` (a small ResNet of residual blocks); ``get(name)`` finds any of them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Sequential
from .nets import (
    AlexNetLike,
    DeepConvNet,
    LeNet5,
    SimpleConvNet,
    TwoLayerNet,
    VGGSmall,
    alexnet_like,
    deep_conv_net,
    lenet5,
    simple_conv_net,
    two_layer_net,
    vgg_small,
)
from .resnet import ResNetSmall, residual_block, resnet_small
from .vgg import vgg16, vgg19

__all__ = [
    "two_layer_net", "simple_conv_net", "deep_conv_net", "lenet5", "vgg_small", "alexnet_like",
    "TwoLayerNet", "SimpleConvNet", "DeepConvNet", "LeNet5", "VGGSmall", "AlexNetLike",
    "vgg16", "vgg19", "resnet_small", "ResNetSmall", "residual_block", "get", "names",
]

_REGISTRY: dict[str, Callable[..., Sequential]] = {
    "two_layer_net": two_layer_net, "simple_conv_net": simple_conv_net, "deep_conv_net": deep_conv_net,
    "lenet5": lenet5, "vgg_small": vgg_small, "alexnet_like": alexnet_like, "vgg16": vgg16, "vgg19": vgg19,
    "resnet_small": resnet_small,
}


def _key(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def names() -> list[str]:
    """The names :func:`get` understands."""
    return list(_REGISTRY)


def get(name: str) -> Callable[..., Sequential]:
    """The constructor for a zoo model: "simple_conv_net", "SimpleConvNet", "deep-conv-net", "lenet5", ..."""
    if isinstance(name, str):
        by_key = {_key(k): v for k, v in _REGISTRY.items()}
        if _key(name) in by_key:
            return by_key[_key(name)]
    raise ValueError(f"Could not interpret zoo model identifier: {name!r}; expected one of {names()}")
