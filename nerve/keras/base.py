"""What Keras's layers share: ``data_format``, ``input_shape=``, a fused ``activation`` and ``padding='same'``.

Inside a ``nerve.keras`` model every image tensor is channels-first, as in the rest of nerve: the model turns
channels-last input into (batch, channels, height, width) once, at its first layer (:class:`ToChannelsFirst`),
and ``Flatten`` turns it back into Keras's (height, width, channels) order, so every weight has Keras's shape
and meaning. A Keras layer wraps one of nerve's layers (``inner``), which does the computing.
"""

from __future__ import annotations

import math

from ..backend import get_array_module
from ..layers import Layer
from ..layers import get as get_layer

__all__ = ["ToChannelsFirst", "same_padding", "data_format_of", "activation_layer"]

DATA_FORMATS = ("channels_last", "channels_first")


def data_format_of(value, owner: str) -> str:
    """``data_format`` checked; None means Keras's default, "channels_last"."""
    if value is None:
        return "channels_last"
    if value not in DATA_FORMATS:
        raise ValueError(f"{owner}: received an invalid value for `data_format`, expected one of {DATA_FORMATS}. "
                         f"Received: data_format={value!r}")
    return value


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Keras's padding='same': (before, after) with the odd pixel after (bottom/right).

    pad_total = max((ceil(size / stride) - 1)·stride + kernel - size, 0), so the output has ceil(size / stride)
    positions for any stride.
    """
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def activation_layer(activation, owner: str) -> Layer | None:
    """A nerve activation layer for Keras's ``activation=`` ("relu", "softmax", ...); None or "linear": none."""
    if activation is None or activation == "linear":
        return None
    if isinstance(activation, str):
        try:
            return get_layer(activation)
        except ValueError:
            pass
    raise ValueError(f"{owner}: could not interpret `activation` identifier: {activation!r}; expected a name such "
                     "as 'relu', 'sigmoid', 'tanh', 'softmax', 'elu' or 'linear'")


class ToChannelsFirst(Layer):
    """(batch, height, width, channels) -> (batch, channels, height, width): a Keras model's first step.

    Added by ``nerve.keras.models.Sequential`` in front of a channels-last image model; nerve's layers behind it
    compute channels-first. The output is contiguous (a transposed view of a channels-first batch costs no copy).
    """

    config_name = "keras.ToChannelsFirst"

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self}: expects images (batch, height, width, channels), got sample shape "
                             f"{tuple(input_shape)}")
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        h, w, c = input_shape
        return c, h, w

    def forward(self, x, training=False):
        x = self._prepare(x)
        return get_array_module(x).ascontiguousarray(x.transpose(0, 3, 1, 2))  # (N, H, W, C) -> (N, C, H, W)

    def backward(self, dout):
        return dout.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
