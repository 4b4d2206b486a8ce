"""Pooling layers: MaxPool2D, AvgPool2D, GlobalAvgPool2D and KMaxPool, each with its backward."""

from __future__ import annotations

import numpy as np

from ..errors import positive_int
from ..im2col import conv_output_size, pair
from .base import Layer

__all__ = ["MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "KMaxPool"]


def _require_4d(layer: Layer, x) -> None:
    if np.ndim(x) != 4:
        raise ValueError(f"{layer}: expects 4-D input (batch, channels, height, width), got shape {np.shape(x)}")


class _Pool2D(Layer):
    """Shared window bookkeeping: each pooling window is visited as strided slices, one per window offset.

    The loops below run over the ph*pw offsets inside a window (4 for 2x2), never over pixels: offset (i, j)
    of every window at once is the strided view ``x[:, :, i::sh, j::sw]`` of shape (N, C, OH, OW).
    """

    _pad_value = 0.0

    def __init__(self, pool_size=2, stride=None, padding=0, name=None):
        super().__init__(name)
        owner = type(self).__name__
        self.pool_size = pair(pool_size, "pool_size", owner)
        self.stride = self.pool_size if stride is None else pair(stride, "stride", owner)
        self.padding = pair(padding, "padding", owner, minimum=0)
        if any(p > k // 2 for p, k in zip(self.padding, self.pool_size)):
            raise ValueError(f"{owner}: `padding` {self.padding} must be at most half the pool size {self.pool_size}")
        self._x = None

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self}: expects 4-D input (batch, channels, height, width), got sample shape "
                             f"{tuple(input_shape)}")
        _, h, w = input_shape
        (kh, kw), (ph, pw) = self.pool_size, self.padding
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise ValueError(f"{self}: pool window {kh}x{kw} does not fit the input {h}x{w} (padding {self.padding})")
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        c, h, w = input_shape
        (kh, kw), (sh, sw), (ph, pw) = self.pool_size, self.stride, self.padding
        return c, conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)

    def _prepare(self, x):
        _require_4d(self, x)
        return super()._prepare(x)

    def _padded(self, x: np.ndarray) -> np.ndarray:
        ph, pw = self.padding
        if not (ph or pw):
            return x
        return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=self._pad_value)

    def _offsets(self):
        """(i, j, slice_h, slice_w) for every offset inside a window."""
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        _, oh, ow = self.output_shape
        for i in range(kh):
            for j in range(kw):
                yield slice(i, i + sh * oh, sh), slice(j, j + sw * ow, sw)

    def _unpad(self, dxp: np.ndarray) -> np.ndarray:
        ph, pw = self.padding
        _, h, w = self.input_shape
        return dxp[:, :, ph:ph + h, pw:pw + w] if (ph or pw) else dxp

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size), "stride": list(self.stride),
                "padding": list(self.padding)}


class MaxPool2D(_Pool2D):
    """Max pooling: the largest value of each window.

    Args:
        pool_size: int or (ph, pw), default 2.
        stride: int or (sh, sw); defaults to ``pool_size`` (windows tile the input).
        padding: int or (ph, pw), at most half the pool size; padded cells never win.
    Input shape: (batch, channels, height, width). Output shape: (batch, channels, out_h, out_w).

    Backward sends each window's gradient to its maximum; when several cells tie, to the first of them
    in row-major order (like PyTorch), so the gradient is never counted twice.
    """

    _pad_value = -np.inf

    def forward(self, x, training=False):
        x = self._prepare(x)
        xp = self._padded(x)
        offsets = self._offsets()
        rows, cols = next(offsets)
        y = xp[:, :, rows, cols].copy()
        for rows, cols in offsets:
            np.maximum(y, xp[:, :, rows, cols], out=y)
        if training:
            self._x, self._y = xp, y
        return y

    def backward(self, dout):
        xp = self._cache_or_raise(self._x)
        y = self._y
        dxp = np.zeros(xp.shape, dtype=dout.dtype)
        unclaimed = np.ones(y.shape, dtype=bool)  # windows whose maximum has not been routed yet
        hit = np.empty(y.shape, dtype=bool)
        for rows, cols in self._offsets():
            np.equal(xp[:, :, rows, cols], y, out=hit)
            hit &= unclaimed          # first maximum in the window only
            unclaimed &= ~hit
            dxp[:, :, rows, cols] += dout * hit
        return self._unpad(dxp)


class AvgPool2D(_Pool2D):
    """Average pooling: the mean of each window (padded cells count as zeros, like PyTorch's default).

    Args:
        pool_size: int or (ph, pw), default 2.
        stride: int or (sh, sw); defaults to ``pool_size``.
        padding: int or (ph, pw), at most half the pool size.
    Input shape: (batch, channels, height, width). Output shape: (batch, channels, out_h, out_w).
    """

    def forward(self, x, training=False):
        x = self._prepare(x)
        xp = self._padded(x)
        offsets = self._offsets()
        rows, cols = next(offsets)
        y = xp[:, :, rows, cols].copy()
        for rows, cols in offsets:
            y += xp[:, :, rows, cols]
        y *= 1.0 / (self.pool_size[0] * self.pool_size[1])
        if training:
            self._x = xp.shape
        return y

    def backward(self, dout):
        shape = self._cache_or_raise(self._x)
        # y = Σ_window x / (ph*pw)  =>  every cell of a window receives dout / (ph*pw)
        share = dout * (1.0 / (self.pool_size[0] * self.pool_size[1]))
        dxp = np.zeros(shape, dtype=dout.dtype)
        for rows, cols in self._offsets():
            dxp[:, :, rows, cols] += share
        return self._unpad(dxp)


class GlobalAvgPool2D(Layer):
    """Mean over height and width: (batch, channels, height, width) -> (batch, channels)."""

    def __init__(self, name=None):
        super().__init__(name)
        self._batch = None

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self}: expects 4-D input (batch, channels, height, width), got sample shape "
                             f"{tuple(input_shape)}")
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],)

    def forward(self, x, training=False):
        _require_4d(self, x)
        x = self._prepare(x)
        if training:
            self._batch = x.shape[0]
        return x.mean(axis=(2, 3))

    def backward(self, dout):
        self._cache_or_raise(self._batch)
        _, h, w = self.input_shape
        # y = mean(x)  =>  dx = dout / (H*W) at every position: (N, C) -> (N, C, H, W)
        scaled = dout * (1.0 / (h * w))
        return np.broadcast_to(scaled[:, :, None, None], (dout.shape[0], *self.input_shape)).copy()


class KMaxPool(Layer):
    """K-max pooling: the ``k`` largest values along the last axis, kept in their original order.

    Args:
        k: how many values to keep (at most the length of the last axis).
    Input shape: (batch, ..., length). Output shape: (batch, ..., k).
    """

    def __init__(self, k: int, name=None):
        super().__init__(name)
        self.k = positive_int(k, "k", "KMaxPool")
        self._idx = None

    def build(self, input_shape):
        if len(input_shape) < 1 or input_shape[-1] < self.k:
            raise ValueError(f"{self}: cannot keep k={self.k} values from samples of shape {tuple(input_shape)}")
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.k)

    def forward(self, x, training=False):
        x = self._prepare(x)
        # positions of the k largest, then sorted so the kept values stay in their original order
        idx = np.argpartition(x, x.shape[-1] - self.k, axis=-1)[..., -self.k:]
        idx.sort(axis=-1)
        if training:
            self._idx = idx
        return np.take_along_axis(x, idx, axis=-1)

    def backward(self, dout):
        idx = self._cache_or_raise(self._idx)
        dx = np.zeros((*dout.shape[:-1], self.input_shape[-1]), dtype=dout.dtype)
        np.put_along_axis(dx, idx, dout, axis=-1)  # each kept value passes its gradient back to where it was
        return dx

    def get_config(self):
        return {**super().get_config(), "k": self.k}
