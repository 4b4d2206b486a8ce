"""Pooling layers: MaxPool2D, AvgPool2D, GlobalAvgPool2D and KMaxPool, each with its backward."""

from __future__ import annotations

import numpy as np

from ..backend import get_array_module
from ..im2col import conv_output_size, pair
from ..layout import in_layout_of
from ..validation import Integral, Interval, validate_params
from .base import Layer

__all__ = ["MaxPool2D", "AvgPool2D", "GlobalAvgPool2D", "KMaxPool"]


def _require_4d(layer: Layer, x) -> None:
    shape = get_array_module(x).shape(x)
    if len(shape) != 4:
        raise ValueError(f"{layer}: expects 4-D input (batch, channels, height, width), got shape {shape}")


def _take(axis: int, i: int, stride: int, n: int) -> tuple:
    """Index of offset ``i`` of every window along ``axis``: ``[..., i : i + stride*n : stride]``."""
    return (slice(None),) * axis + (slice(i, i + stride * n, stride),)


def _max_along(a: np.ndarray, axis: int, k: int, stride: int, n: int, with_index: bool):
    """Max over windows of ``k`` along ``axis`` (and, if asked, the offset of the first maximum)."""
    xp = get_array_module(a)
    # NOTE: order="K" keeps the input's memory layout (a channels-last conv output stays channels-last), so
    # the elementwise passes here and in the layers around run along contiguous memory
    best = a[_take(axis, 0, stride, n)].copy(order="K")
    index = None
    if with_index:  # (offsets 0 and 1 are all written by the first comparison below: no zeros needed)
        index = (xp.empty_like if 1 < k < 256 else xp.zeros_like)(best, dtype=np.uint8 if k < 256 else np.intp)
    for i in range(1, k):
        v = a[_take(axis, i, stride, n)]
        if with_index and i == 1 and index.dtype == np.uint8:
            xp.greater(v, best, out=index.view(np.bool_))  # offset 0 or 1: one pass (2x2 pools: all of them)
        elif with_index:
            # strictly greater: a later offset wins only if larger, so ties keep the first offset
            xp.maximum(index, (v > best).view(np.uint8) * index.dtype.type(i), out=index)
        xp.maximum(best, v, out=best)
    return best, index


def _scatter_along(d: np.ndarray, axis: int, k: int, stride: int, size: int, index=None) -> np.ndarray:
    """Adjoint of a window reduction along ``axis``: add ``d`` back to offset ``index`` (max) or to all (sum)."""
    n = d.shape[axis]
    shape = d.shape[:axis] + (size,) + d.shape[axis + 1:]
    tiles = stride == k and size == k * n  # every position belongs to exactly one window: plain writes
    xp = get_array_module(d)
    out = xp.empty_like(d, shape=shape) if tiles else xp.zeros_like(d, shape=shape)  # in d's memory layout
    if tiles and k == 2 and index is not None and index.dtype == np.uint8:
        # two offsets: offset 1 gets d·[index == 1], offset 0 the rest, d - that (one pass each)
        second = xp.multiply(d, index.view(np.bool_), out=out[_take(axis, 1, stride, n)])
        xp.subtract(d, second, out=out[_take(axis, 0, stride, n)])
        return out
    for i in range(k):
        where = out[_take(axis, i, stride, n)]
        if index is None and tiles:
            xp.copyto(where, d)
        elif index is None:
            where += d
        elif tiles:
            xp.multiply(d, index == i, out=where)
        else:
            where += d * (index == i)
    return out


class _Pool2D(Layer):
    """Shared window bookkeeping for 2-D pooling.

    A kh x kw window reduction is done in two 1-D passes, first over the kh rows of every window (for every
    column), then over the kw columns. Each pass loops over the offsets inside a window (2 for a 2x2 pool),
    never over pixels: offset i of every window at once is the strided slice ``x[..., i::stride, :]``, and
    the rows stay contiguous in memory, which keeps NumPy's inner loops long.
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
        self._cache = None

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
        x = super()._prepare(x)
        ph, pw = self.padding
        if ph or pw:  # NOTE: in x's memory layout (np.pad's is always C order): the passes below stay in order
            n, c, h, w = x.shape
            xpad = get_array_module(x).full_like(x, self._pad_value, shape=(n, c, h + 2 * ph, w + 2 * pw))
            xpad[:, :, ph:ph + h, pw:pw + w] = x
            x = xpad
        return x

    def _unpad(self, dxp: np.ndarray) -> np.ndarray:
        ph, pw = self.padding
        _, h, w = self.input_shape
        if not (ph or pw):
            return dxp
        # NOTE: a compact copy in the same layout, as a layer without padding hands back: the layer below may
        # take another (differently rounded) path for a strided view, e.g. to sum its bias gradient
        dx = dxp[:, :, ph:ph + h, pw:pw + w]
        return in_layout_of(dx, dx, copy=True)

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

    Backward sends each window's gradient to its maximum. When several cells tie (a window of ReLU zeros),
    exactly one of them receives it (the first maximal column, and in it the top one), so the gradient is
    never counted twice.
    """

    _pad_value = -float("inf")

    def forward(self, x, training=False):
        xpad = self._prepare(x)  # (N, C, Hp, Wp)
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        _, oh, ow = self.output_shape
        # rows: (N, C, Hp, Wp) -> (N, C, OH, Wp), then columns: (N, C, OH, Wp) -> (N, C, OH, OW)
        rows, row_index = _max_along(xpad, 2, kh, sh, oh, training)
        y, col_index = _max_along(rows, 3, kw, sw, ow, training)
        if training:
            self._cache = (xpad.shape, row_index, col_index)
        return y

    def backward(self, dout):
        (n, c, hp, wp), row_index, col_index = self._cache_or_raise(self._cache)
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        # NOTE: dout in the forward's memory layout first (a Flatten hands back NCHW for a channels-last input)
        dout = in_layout_of(dout, col_index)
        # the winning column of each window gets dout: (N, C, OH, OW) -> (N, C, OH, Wp)
        drows = _scatter_along(dout, 3, kw, sw, wp, col_index)
        # and in that column the winning row: (N, C, OH, Wp) -> (N, C, Hp, Wp)
        return self._unpad(_scatter_along(drows, 2, kh, sh, hp, row_index))


class AvgPool2D(_Pool2D):
    """Average pooling: the mean of each window (padded cells count as zeros, like PyTorch's default).

    Args:
        pool_size: int or (ph, pw), default 2.
        stride: int or (sh, sw); defaults to ``pool_size``.
        padding: int or (ph, pw), at most half the pool size.
    Input shape: (batch, channels, height, width). Output shape: (batch, channels, out_h, out_w).
    """

    def forward(self, x, training=False):
        xpad = self._prepare(x)
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        _, oh, ow = self.output_shape
        rows = xpad[_take(2, 0, sh, oh)].copy(order="K")  # (N, C, Hp, Wp) -> (N, C, OH, Wp): sum of each window's rows
        for i in range(1, kh):
            rows += xpad[_take(2, i, sh, oh)]
        y = rows[_take(3, 0, sw, ow)].copy(order="K")  # (N, C, OH, Wp) -> (N, C, OH, OW): then of its columns
        for j in range(1, kw):
            y += rows[_take(3, j, sw, ow)]
        y *= 1.0 / (kh * kw)
        if training:
            self._cache = xpad.shape
        return y

    def backward(self, dout):
        n, c, hp, wp = self._cache_or_raise(self._cache)
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        # y = Σ_window x / (kh*kw)  =>  every cell of a window receives dout / (kh*kw)
        share = dout * (1.0 / (kh * kw))
        drows = _scatter_along(share, 3, kw, sw, wp)  # (N, C, OH, OW) -> (N, C, OH, Wp)
        return self._unpad(_scatter_along(drows, 2, kh, sh, hp))  # (N, C, OH, Wp) -> (N, C, Hp, Wp)


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
        return get_array_module(dout).broadcast_to(scaled[:, :, None, None], (dout.shape[0], *self.input_shape)).copy()


class KMaxPool(Layer):
    """K-max pooling: the ``k`` largest values along the last axis, kept in their original order.

    Args:
        k: how many values to keep (at most the length of the last axis).
    Input shape: (batch, ..., length). Output shape: (batch, ..., k).
    """

    @validate_params({"k": [Interval(Integral, 1, None)]})
    def __init__(self, k: int, name=None):
        super().__init__(name)
        self.k = int(k)
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
        xp = get_array_module(x)
        idx = xp.argpartition(x, x.shape[-1] - self.k, axis=-1)[..., -self.k:]
        idx.sort(axis=-1)
        if training:
            self._idx = idx
        return xp.take_along_axis(x, idx, axis=-1)

    def backward(self, dout):
        idx = self._cache_or_raise(self._idx)
        xp = get_array_module(dout)
        dx = xp.zeros((*dout.shape[:-1], self.input_shape[-1]), dtype=dout.dtype)
        # each kept value passes its gradient back to where it was (put_along_axis, spelled with indexing:
        # (..., L) -> (M, L) rows, each row gets its k values at its k positions)
        rows = dx.reshape(-1, dx.shape[-1])
        rows[xp.arange(rows.shape[0])[:, None], idx.reshape(rows.shape[0], -1)] = dout.reshape(rows.shape[0], -1)
        return dx

    def get_config(self):
        return {**super().get_config(), "k": self.k}
