"""K-max pooling over 2-D windows: the k largest values of every window, largest first."""

from __future__ import annotations

from ..backend import get_array_module
from ..im2col import conv_output_size, pair
from ..validation import Integral, Interval, check_param
from .base import Layer

__all__ = ["KMaxPool2D"]


class KMaxPool2D(Layer):
    """K-max pooling (seed 002): sort each pool window's values and keep the ``k`` largest, in descending order.

    With k = 1 it is max pooling; the mean of all kh·kw kept values is average pooling. The k values of channel
    c become channels c·k ... c·k + k - 1, so convolutions can follow. Ties keep the earlier cell (row-major).

    Args:
        k: how many values each window keeps (1 <= k <= kh·kw).
        pool_size: int or (kh, kw), default 2.
        stride: int or (sh, sw); defaults to ``pool_size``.
    Input shape: (batch, channels, height, width). Output shape: (batch, channels·k, out_h, out_w).
    """

    def __init__(self, k: int, pool_size=2, stride=None, name=None):
        super().__init__(name)
        self.k = int(check_param("KMaxPool2D", "k", k, Interval(Integral, 1, None)))
        self.pool_size = pair(pool_size, "pool_size", "KMaxPool2D")
        self.stride = self.pool_size if stride is None else pair(stride, "stride", "KMaxPool2D")
        if self.k > self.pool_size[0] * self.pool_size[1]:
            raise ValueError(f"KMaxPool2D: `k`={self.k} is more than the {self.pool_size[0] * self.pool_size[1]} "
                             f"values of a {self.pool_size} window")
        self._cache = None

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self}: expects 4-D input (batch, channels, height, width), got sample shape "
                             f"{tuple(input_shape)}")
        (kh, kw), (_, h, w) = self.pool_size, input_shape
        if kh > h or kw > w:
            raise ValueError(f"{self}: pool window {kh}x{kw} does not fit the input {h}x{w}")
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        c, h, w = input_shape
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        return c * self.k, conv_output_size(h, kh, sh), conv_output_size(w, kw, sw)

    def forward(self, x, training=False):
        x = self._prepare(x)
        xp = get_array_module(x)
        n, c, _, _ = x.shape
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        _, oh, ow = self.output_shape
        # (N, C, H, W) -> (N, C, H-kh+1, W-kw+1, kh, kw) view -> every stride-th window -> (N, C, OH, OW, kh*kw)
        windows = xp.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :oh, :ow]
        windows = windows.reshape(n, c, oh, ow, kh * kw)
        # positions of the k largest, largest first (a stable sort of -x: ties keep the earlier cell)
        idx = xp.argsort(-windows, axis=-1, kind="stable")[..., :self.k]
        top = xp.take_along_axis(windows, idx, axis=-1)  # (N, C, OH, OW, k)
        if training:
            self._cache = idx
        # (N, C, OH, OW, k) -> (N, C, k, OH, OW) -> (N, C*k, OH, OW)
        return xp.ascontiguousarray(top.transpose(0, 1, 4, 2, 3)).reshape(n, c * self.k, oh, ow)

    def backward(self, dout):
        idx = self._cache_or_raise(self._cache)
        xp = get_array_module(dout)
        n, c, oh, ow, _ = idx.shape
        (kh, kw), (sh, sw) = self.pool_size, self.stride
        # (N, C*k, OH, OW) -> (N, C, k, OH, OW) -> (N, C, OH, OW, k)
        d = dout.reshape(n, c, self.k, oh, ow).transpose(0, 1, 3, 4, 2)
        dwin = xp.zeros((n, c, oh, ow, kh * kw), dtype=dout.dtype)
        xp.put_along_axis(dwin, idx, d, axis=-1)  # each kept value sends its gradient to its cell
        dx = xp.zeros((n, c, *self.input_shape[1:]), dtype=dout.dtype)
        # NOTE: a loop over the kh*kw offsets of a window, never over pixels; overlapping windows add up
        for i in range(kh):
            for j in range(kw):
                dx[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += dwin[..., i * kw + j]
        return dx

    def get_config(self):
        return {**super().get_config(), "k": self.k, "pool_size": list(self.pool_size), "stride": list(self.stride)}
