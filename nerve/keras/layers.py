"""Keras's layers by Keras's names and arguments, computed by nerve's layers (channels-first inside).

``Conv2D(filters, kernel_size, strides=, padding=, activation=, input_shape=, data_format=)`` and the rest take
Keras's arguments and defaults (glorot_uniform kernels, BatchNormalization momentum 0.99 and epsilon 1e-3);
``padding='same'`` works for any stride, with Keras's asymmetric padding (the odd pixel at the bottom/right).
"""

from __future__ import annotations

import numpy as np

from .. import layers as nl
from ..backend import get_array_module
from ..im2col import pair
from ..layers import Layer
from ..validation import Integral, Interval, check_param
from .base import ToChannelsFirst, activation_layer, data_format_of, same_padding

__all__ = ["Conv2D", "MaxPooling2D", "AveragePooling2D", "Dense", "Activation", "Dropout", "Flatten",
           "BatchNormalization", "ToChannelsFirst", "MaxPool2D", "AvgPool2D"]


def _positive_int(value, name: str, owner: str) -> int:
    return int(check_param(owner, name, value, Interval(Integral, 1, None)))


def _initializer(value, owner: str, name: str):
    from .. import initializers

    try:
        return initializers.get(value)
    except ValueError:
        raise ValueError(f"{owner}: could not interpret `{name}`: {value!r}; expected e.g. 'glorot_uniform', "
                         "'he', 'uniform', 'zeros' or a nerve Initializer") from None


class _KerasLayer(Layer):
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
        self.same_pads = ((0, 0), (0, 0))  # all of 'same' padding, here or in the inner layer
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
            self.same_pads = (same_padding(input_shape[1], kh, sh), same_padding(input_shape[2], kw, sw))
            (t, b), (le, r) = self.pads = self.same_pads
            if t == b and le == r and self._pad_inner((t, le)):
                self.pads = ((0, 0), (0, 0))  # symmetric: the inner layer pads, into its kept buffers
        self.inner.build(self._padded_shape(input_shape))
        super().build(input_shape)
        if self.activation is not None:
            self.activation.build(self.output_shape)

    def compute_output_shape(self, input_shape):
        return self.inner.compute_output_shape(self._padded_shape(input_shape))

    def _pad_inner(self, pad: tuple[int, int]) -> bool:
        """Let the inner layer do a symmetric padding itself; False if it cannot."""
        if not hasattr(self.inner, "padding"):
            return False
        self.inner.padding = pad
        if hasattr(self.inner, "pad"):  # Conv2D keeps the pair in `pad`
            self.inner.pad = pad
        return True

    # -- computing ------------------------------------------------------------------------------------
    def forward(self, x, training=False):
        x = self._prepare(x)
        (t, b), (le, r) = self.pads
        if t or b or le or r:
            # (N, C, H, W) -> (N, C, t+H+b, l+W+r); the extra pixel of an odd total goes bottom/right, as in Keras
            x = get_array_module(x).pad(x, ((0, 0), (0, 0), (t, b), (le, r)), constant_values=self.pad_value)
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


class Conv2D(_KerasLayer):
    """2-D convolution with Keras's arguments: ``Conv2D(filters, kernel_size, strides=1, padding='valid')``.

    Args:
        filters: number of output channels.
        kernel_size: int or (h, w).
        strides: int or (h, w).
        padding: "valid" (no padding) or "same" (ceil(in / stride) outputs, Keras's asymmetric padding).
        activation: None, "relu", "softmax", ... applied to the output.
        use_bias: as in Keras; biases start at zero.
        kernel_initializer: as in Keras (default "glorot_uniform").
        data_format: "channels_last" (default) or "channels_first": the layout of the model's input.
        input_shape: shape of one sample, e.g. (224, 224, 3), when this is the model's first layer.
    Weights: ``W`` (filters, in_channels, kh, kw) (Keras's kernel is its transpose (kh, kw, in, filters)), ``b``.
    """

    config_name = "keras.Conv2D"
    weight_names = ("W",)

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", input_shape=None, name=None):
        self.filters = _positive_int(filters, "filters", "Conv2D")
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2D")
        self.strides = pair(strides, "strides", "Conv2D")
        self.kernel_initializer = _initializer(kernel_initializer, "Conv2D", "kernel_initializer")
        inner = nl.Conv2D(self.filters, self.kernel_size, stride=self.strides, weight_init=self.kernel_initializer,
                          use_bias=use_bias)
        super().__init__(inner, activation=activation, data_format=data_format, input_shape=input_shape,
                         padding=padding, window=self.kernel_size, stride=self.strides, name=name)
        self.activation_name = activation
        self.use_bias = bool(use_bias)

    def get_config(self):
        from .. import initializers

        return {**super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
                "strides": list(self.strides), "padding": self.padding, "data_format": self.data_format,
                "activation": self.activation_name, "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer)}


class _Pooling2D(_KerasLayer):
    inner_class: type = nl.MaxPool2D
    pad_value = -np.inf

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, input_shape=None,
                 name=None):
        owner = type(self).__name__
        self.pool_size = pair(pool_size, "pool_size", owner)
        self.strides = self.pool_size if strides is None else pair(strides, "strides", owner)
        inner = self.inner_class(self.pool_size, stride=self.strides)
        super().__init__(inner, data_format=data_format, input_shape=input_shape, padding=padding,
                         window=self.pool_size, stride=self.strides, pad_value=self.pad_value, name=name)

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format}


class MaxPooling2D(_Pooling2D):
    """Max pooling with Keras's arguments: ``MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid')``.

    ``strides`` defaults to ``pool_size``; with ``padding='same'`` the padded cells never win (they are -inf).
    """

    config_name = "keras.MaxPooling2D"


class AveragePooling2D(_Pooling2D):
    """Average pooling with Keras's arguments; with ``padding='same'`` a window averages its real cells only."""

    config_name = "keras.AveragePooling2D"
    inner_class = nl.AvgPool2D
    pad_value = 0.0

    def build(self, input_shape):
        super().build(input_shape)
        # Keras divides by the number of real (unpadded) cells of each window: scale nerve's mean by k*k / count
        _, h, w = input_shape
        (t, b), (le, r) = self.same_pads
        mask = np.pad(np.ones((1, 1, h, w), dtype=np.float64), ((0, 0), (0, 0), (t, b), (le, r)))
        counts = nl.AvgPool2D(self.pool_size, stride=self.strides).forward(mask)  # (1, 1, OH, OW): count / (k*k)
        self.scale = None if (t, b, le, r) == (0, 0, 0, 0) else 1.0 / counts
        self._scales = {}

    def forward(self, x, training=False):
        y = super().forward(x, training=training)
        return y if self.scale is None else y * self._scale_like(y)

    def backward(self, dout):
        if self.scale is not None:
            dout = dout * self._scale_like(dout)
        return super().backward(dout)

    def _scale_like(self, a):
        """``scale`` on ``a``'s device and in its dtype (kept per device, so moved once)."""
        xp = get_array_module(a)
        key = (xp.__name__, a.dtype)
        if self._scales.get("key") != key:
            self._scales = {"key": key, "value": xp.asarray(self.scale, dtype=a.dtype)}
        return self._scales["value"]


#: Keras's short aliases
MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D


class Dense(_KerasLayer):
    """Fully connected layer with Keras's arguments: ``Dense(units, activation=None, use_bias=True)``.

    Weights: ``W`` (in, units), Keras's kernel as it is, and ``b`` (units,).
    """

    config_name = "keras.Dense"
    weight_names = ("W",)

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform", input_shape=None,
                 input_dim=None, name=None):
        self.units = _positive_int(units, "units", "Dense")
        self.kernel_initializer = _initializer(kernel_initializer, "Dense", "kernel_initializer")
        if input_dim is not None and input_shape is None:
            input_shape = (_positive_int(input_dim, "input_dim", "Dense"),)
        inner = nl.Dense(self.units, weight_init=self.kernel_initializer, use_bias=use_bias)
        super().__init__(inner, activation=activation, input_shape=input_shape, name=name)
        self.activation_name = activation
        self.use_bias = bool(use_bias)

    def get_config(self):
        from .. import initializers

        return {**super().get_config(), "units": self.units, "activation": self.activation_name,
                "use_bias": self.use_bias, "kernel_initializer": initializers.serialize(self.kernel_initializer)}


class Activation(_KerasLayer):
    """An activation as a layer: ``Activation('relu')``, ``Activation('softmax')``, ..."""

    config_name = "keras.Activation"

    def __init__(self, activation, input_shape=None, name=None):
        super().__init__(nl.Identity(), activation=activation, input_shape=input_shape, name=name)
        if self.activation is None:
            raise ValueError(f"Activation: expected an activation name such as 'relu', got {activation!r}")
        self.activation_name = activation

    def get_config(self):
        return {**super().get_config(), "activation": self.activation_name}


class Dropout(nl.Dropout):
    """Keras's ``Dropout(rate)``: drops each input with probability ``rate`` while training (inverted dropout)."""

    config_name = "keras.Dropout"

    def __init__(self, rate, input_shape=None, name=None):
        super().__init__(rate, name=name)
        self.keras_input_shape = None if input_shape is None else tuple(int(d) for d in input_shape)


class Flatten(nl.Flatten):
    """Keras's ``Flatten()``: images are flattened in the order of ``data_format`` (channels-last: H, W, C).

    nerve computes channels-first, so a channels-last model's images are put back into (H, W, C) order here;
    that keeps the next Dense kernel identical to Keras's.
    """

    config_name = "keras.Flatten"

    def __init__(self, data_format=None, input_shape=None, name=None):
        super().__init__(name=name)
        # None: the model's format (set by nerve.keras's Sequential when it builds)
        self.data_format = None if data_format is None else data_format_of(data_format, "Flatten")
        self.keras_input_shape = None if input_shape is None else tuple(int(d) for d in input_shape)

    def _channels_last(self) -> bool:
        return (self.data_format or "channels_last") == "channels_last" and len(self.input_shape) == 3

    def forward(self, x, training=False):
        x = self._prepare(x)
        if self._channels_last():
            x = x.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C)
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        if not self._channels_last():
            return super().backward(dout)
        c, h, w = self.input_shape
        return dout.reshape(dout.shape[0], h, w, c).transpose(0, 3, 1, 2)  # (N, H*W*C) -> (N, C, H, W)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class BatchNormalization(nl.BatchNorm):
    """Keras's ``BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001)`` over the channel axis.

    Weights: ``gamma``, ``beta`` (trainable) and ``running_mean``, ``running_var`` (Keras's moving_mean and
    moving_variance, non-trainable): 4·C numbers, of which Keras counts 2·C as non-trainable.
    """

    config_name = "keras.BatchNormalization"

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, input_shape=None, name=None):
        if axis not in (-1, 1, 3):
            raise ValueError(f"BatchNormalization: `axis` must be the channel axis (-1, or 3 for channels-last "
                             f"images, 1 for channels-first); got axis={axis!r}")
        super().__init__(momentum=momentum, eps=epsilon, name=name)
        self.axis = axis
        self.keras_input_shape = None if input_shape is None else tuple(int(d) for d in input_shape)

    def get_config(self):
        config = {"name": self.name, "axis": self.axis, "momentum": self.momentum, "epsilon": self.eps}
        if self.keras_input_shape is not None:
            config["input_shape"] = list(self.keras_input_shape)
        return config


#: what model files may name, as "keras.<Name>" (their ``config_name``): registered explicitly, like nerve's own
for _cls in (Conv2D, MaxPooling2D, AveragePooling2D, Dense, Activation, Dropout, Flatten, BatchNormalization,
             ToChannelsFirst):
    nl.register(_cls)
del _cls
