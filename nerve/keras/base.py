"""What Keras's layers share: ``data_format``, ``input_shape=``, a fused ``activation`` and ``padding='same'``.

Inside a ``nerve.keras`` model every image tensor is channels-first, as in the rest of nerve: the model turns
channels-last input into (batch, channels, height, width) once, at its first layer (:class:`ToChannelsFirst`),
and ``Flatten`` turns it back into Keras's (height, width, channels) order, so every weight has Keras's shape
and meaning. A Keras layer here wraps one of nerve's layers (``inner``), which does the computing.
"""

from __future__ import annotations

import math

import numpy as np

from ..im2col import pair
from ..layers import Layer
from ..layers import get as get_layer

__all__ = ["KerasLayer", "ToChannelsFirst", "same_padding", "data_format_of", "activation_layer"]

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


class KerasLayer(Layer):
    """A nerve layer (``inner``) behind Keras's arguments, with optional 'same' padding and activation.

    The inner layer's ``params``/``grads``/``state`` dicts are this layer's own, so optimizers, weight decay and
    model files see the usual ``"<layer>/W"`` names.
    """

    def __init__(self, inner: Layer, *, activation=None, data_format=None, input_shape=None, padding="valid",
                 window=None, stride=None, pad_value: float = 0.0, name=None):
        super().__init__(name)
        owner = type(self).__name__
        self.inner = inner
        self.params, self.grads, self.state = inner.params, inner.grads, inner.state
        self.activation = activation_layer(activation, owner)
        self.data_format = data_format_of(data_format, owner)
        if padding not in ("valid", "same"):
            raise ValueError(f"{owner}: received an invalid value for `padding`, expected 'valid' or 'same'. "
                             f"Received: padding={padding!r}")
        self.padding = padding
        self.window, self.stride_hw, self.pad_value = window, stride, pad_value
        self.pads = ((0, 0), (0, 0))  # (top, bottom), (left, right) pixels of 'same' padding done here
        self.keras_input_shape = None
        if input_shape is not None:
            self.keras_input_shape = tuple(int(d) for d in input_shape)

    # -- shapes ---------------------------------------------------------------------------------------
    def _padded_shape(self, input_shape):
        if len(input_shape) != 3:
            return tuple(input_shape)
        c, h, w = input_shape
        (t, b), (le, r) = self.pads
        return c, h + t + b, w + le + r

    def build(self, input_shape):
        if self.padding == "same" and self.window is not None:
            if len(input_shape) != 3:
                raise ValueError(f"{self}: expects image input, got sample shape {tuple(input_shape)}")
            (kh, kw), (sh, sw) = pair(self.window), pair(self.stride_hw)
            self.pads = (same_padding(input_shape[1], kh, sh), same_padding(input_shape[2], kw, sw))
        self.inner.build(self._padded_shape(input_shape))
        super().build(input_shape)
        if self.activation is not None:
            self.activation.build(self.output_shape)

    def compute_output_shape(self, input_shape):
        return self.inner.compute_output_shape(self._padded_shape(input_shape))

    # -- computing ------------------------------------------------------------------------------------
    def forward(self, x, training=False):
        x = self._prepare(x)
        (t, b), (le, r) = self.pads
        if t or b or le or r:
            # (N, C, H, W) -> (N, C, t+H+b, l+W+r); the extra pixel of an odd total goes bottom/right, as in Keras
            x = np.pad(x, ((0, 0), (0, 0), (t, b), (le, r)), constant_values=self.pad_value)
        y = self.inner.forward(x, training=training)
        return y if self.activation is None else self.activation.forward(y, training=training)

    def backward(self, dout):
        if self.activation is not None:
            dout = self.activation.backward(dout)
        self.inner.need_input_grad = self.need_input_grad
        dx = self.inner.backward(dout)
        (t, b), (le, r) = self.pads
        if dx is None or not (t or b or le or r):
            return dx
        _, h, w = self.input_shape
        return dx[:, :, t:t + h, le:le + w]  # the padding's share of the gradient is dropped

    def get_config(self):
        config = super().get_config()
        if self.keras_input_shape is not None:
            config["input_shape"] = list(self.keras_input_shape)
        return config


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
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2))  # (N, H, W, C) -> (N, C, H, W)

    def backward(self, dout):
        return dout.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
