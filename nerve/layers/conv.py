"""Conv2D: 2-D cross-correlation over NCHW batches, computed as im2col (unfold) + one matrix product."""

from __future__ import annotations

import math

import numpy as np

from .. import initializers
from ..backend import get_array_module
from ..im2col import conv_output_size, fold, pair, unfold
from ..validation import Boolean, Integral, Interval, Options, Pair, Real, validate_params
from .base import Layer

__all__ = ["Conv2D"]

#: inference batches whose patch matrix would exceed this many values are processed in chunks
_MAX_COLS_VALUES = 1 << 24


class Conv2D(Layer):
    """2-D convolution layer (cross-correlation, like PyTorch's ``Conv2d``).

    Args:
        filters: number of output channels.
        kernel_size: int or (kh, kw).
        stride: int or (sh, sw), default 1.
        padding: int, (ph, pw), "valid" (= 0) or "same" (output as large as the input; stride 1, odd kernel).
        weight_init: "he" (default), "xavier", "normal", an std or an Initializer.
        use_bias: add ``b``.
        l1: L1 weight decay for this layer's ``W`` (overrides the model's).
        l2: L2 weight decay for this layer's ``W`` (overrides the model's).
    Parameters: ``W`` (filters, in_channels, kh, kw), ``b`` (filters,).
    Input shape: (batch, channels, height, width).
    Output shape: (batch, filters, out_h, out_w), out = (in + 2*pad - kernel) // stride + 1.
    """

    weight_names = ("W",)

    @validate_params({"filters": [Interval(Integral, 1, None)], "kernel_size": [Pair(Interval(Integral, 1, None))],
                      "stride": [Pair(Interval(Integral, 1, None))],
                      "padding": [Pair(Interval(Integral, 0, None)), Options(("same", "valid"))],
                      "use_bias": [Boolean], "l1": [None, Interval(Real, 0, None)],
                      "l2": [None, Interval(Real, 0, None)]})
    def __init__(self, filters: int, kernel_size, stride=1, padding=0, weight_init="he", use_bias: bool = True,
                 l1=None, l2=None, name=None):
        super().__init__(name)
        self.filters = int(filters)
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2D")
        self.stride = pair(stride, "stride", "Conv2D")
        if isinstance(padding, str):
            if padding == "same" and (self.stride != (1, 1) or not all(k % 2 for k in self.kernel_size)):
                raise ValueError(
                    f"Conv2D: padding='same' needs stride 1 and an odd kernel size; got stride={self.stride}, "
                    f"kernel_size={self.kernel_size}"
                )
            self.padding = padding
            self.pad = (0, 0) if padding == "valid" else (self.kernel_size[0] // 2, self.kernel_size[1] // 2)
        else:
            self.pad = pair(padding, "padding", "Conv2D", minimum=0)
            self.padding = self.pad
        self.weight_init = initializers.get(weight_init)
        self.use_bias = bool(use_bias)
        self.l1, self.l2 = l1, l2
        self._cols = None     # (C*kh*kw, N*OH*OW) patches of the last training forward
        self._buffers: dict[str, np.ndarray] = {}  # work arrays reused between batches of the same shape

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(
                f"{self}: expects 4-D input (batch, channels, height, width), got sample shape "
                f"{tuple(input_shape)}; add a batch axis (x[None]) or a channel axis (x[:, None])"
            )
        c, h, w = input_shape
        (kh, kw), (ph, pw) = self.kernel_size, self.pad
        if kh > h + 2 * ph or kw > w + 2 * pw:
            raise ValueError(
                f"{self}: kernel {kh}x{kw} is larger than the padded input {h + 2 * ph}x{w + 2 * pw} "
                f"(input {h}x{w}, padding {self.pad})"
            )
        super().build(input_shape)
        self.params["W"] = self.weight_init((self.filters, c, kh, kw))
        self.grads["W"] = np.zeros_like(self.params["W"])
        if self.use_bias:
            self.params["b"] = np.zeros(self.filters, dtype=self.params["W"].dtype)
            self.grads["b"] = np.zeros_like(self.params["b"])

    def weight_shapes(self, input_shape):
        kh, kw = self.kernel_size
        return {"W": (self.filters, input_shape[0], kh, kw), **({"b": (self.filters,)} if self.use_bias else {})}

    def compute_output_shape(self, input_shape):
        _, h, w = input_shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.pad
        return self.filters, conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw)

    def _prepare(self, x):
        shape = get_array_module(x).shape(x)
        if len(shape) != 4:
            raise ValueError(f"{self}: expects 4-D input (batch, channels, height, width), got shape "
                             f"{shape}; add a batch axis (x[None]) or a channel axis (x[:, None])")
        if self.built and shape[1] != self.input_shape[0]:
            raise ValueError(f"{self}: built for {self.input_shape[0]} input channel(s), got {shape[1]} "
                             f"(input shape {shape}, expected (batch, {', '.join(map(str, self.input_shape))}))")
        return super()._prepare(x)

    def _buffer(self, key: str, shape: tuple[int, ...], dtype, zeros: bool = False) -> np.ndarray:
        """A work array kept between batches of the same shape (no allocation or page faults per batch)."""
        buf = self._buffers.get(key)
        xp = get_array_module(self.params["W"])
        if buf is None or buf.shape != shape or buf.dtype != dtype:
            buf = self._buffers[key] = xp.zeros(shape, dtype=dtype) if zeros else xp.empty(shape, dtype=dtype)
        return buf

    def _padded(self, key: str | None, x: np.ndarray, pad: tuple[int, int]) -> np.ndarray:
        """``x`` with a zero border of ``pad``; with a ``key`` the copy goes into a kept buffer."""
        ph, pw = pad
        if not (ph or pw):
            return x
        if key is None:
            return get_array_module(x).pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        n, c, h, w = x.shape
        buf = self._buffer(key, (n, c, h + 2 * ph, w + 2 * pw), x.dtype, zeros=True)
        buf[:, :, ph:ph + h, pw:pw + w] = x  # the border is never written, so it stays zero
        return buf

    def _convolve(self, x: np.ndarray, training: bool) -> np.ndarray:
        n, c = x.shape[:2]
        kh, kw = self.kernel_size
        _, oh, ow = self.output_shape
        # (N, C, H+2ph, W+2pw) -> (C*kh*kw, N*OH*OW): all patches side by side, so one large GEMM does the batch
        out = self._buffer("cols", (c * kh * kw, n * oh * ow), x.dtype) if training else None
        cols = unfold(self._padded("x" if training else None, x, self.pad), kh, kw, self.stride, out=out,
                      batch_last=True)
        if training:
            self._cols = cols
        W = self.params["W"].reshape(self.filters, -1)  # (FN, C, kh, kw) -> (FN, C*kh*kw)
        y = W @ cols  # (FN, C*kh*kw) @ (C*kh*kw, N*OH*OW) -> (FN, N*OH*OW)
        if self.use_bias:
            y += self.params["b"][:, None]
        # (FN, N*OH*OW) -> (FN, N, OH, OW) -> (N, FN, OH, OW)
        # NOTE: a transposed view, not a copy; NumPy's elementwise ops and the next layers accept any strides
        return y.reshape(self.filters, n, oh, ow).transpose(1, 0, 2, 3)

    def forward(self, x, training=False):
        x = self._prepare(x)
        if training:
            self._x_shape = x.shape
            return self._convolve(x, training=True)
        # inference keeps no patches; large batches go through in chunks to bound memory
        per_sample = self.input_shape[0] * self.kernel_size[0] * self.kernel_size[1] * math.prod(self.output_shape[1:])
        step = max(1, int(_MAX_COLS_VALUES // per_sample))
        if x.shape[0] <= step:
            return self._convolve(x, training=False)
        chunks = [self._convolve(x[i:i + step], training=False) for i in range(0, x.shape[0], step)]
        return get_array_module(x).concatenate(chunks)

    def backward(self, dout):
        cols = self._cache_or_raise(self._cols)
        n, fn, oh, ow = dout.shape
        if cols.shape[1] != n * oh * ow:
            raise ValueError(f"{self}: dout of shape {dout.shape} does not match the last forward(training=True) "
                             f"(batch {self._x_shape[0]})")
        # (N, FN, OH, OW) -> (FN, N, OH, OW) -> (FN, N*OH*OW), the layout of the forward's GEMM output
        xp = get_array_module(dout)
        dout_t = self._buffer("dout_t", (fn, n, oh, ow), dout.dtype)
        xp.copyto(dout_t, dout.transpose(1, 0, 2, 3))
        dout_t = dout_t.reshape(fn, n * oh * ow)
        if self.use_bias:
            dout_t.sum(axis=1, out=self.grads["b"])  # y = W·cols + b  =>  db = Σ over batch and pixels
        # y = W·cols  =>  dW = dout·colsᵀ: (FN, N*OH*OW) @ (N*OH*OW, C*kh*kw) -> (FN, C*kh*kw)
        xp.matmul(dout_t, cols.T, out=self.grads["W"].reshape(fn, -1))
        if not self.need_input_grad:
            return None
        _, c, h, w = self._x_shape
        (kh, kw), (ph, pw) = self.kernel_size, self.pad
        W = self.params["W"]
        if self.stride == (1, 1) and ph < kh and pw < kw and fn <= c:
            # stride 1: dx is itself a convolution, of dout padded by k-1-p with the flipped kernel
            # (in and out channels swapped); one unfold + GEMM instead of scattering patches back
            # NOTE: only while fn <= c: the unfold copies fn·kh·kw values per input pixel, the general path
            # writes c·kh·kw, so a 1-channel input under 30 filters would copy 30x more (the book's first layer)
            dpad = self._padded("dout", dout, (kh - 1 - ph, kw - 1 - pw))
            dcols = unfold(dpad, kh, kw, out=self._buffer("dcols", (fn * kh * kw, n * h * w), dout.dtype),
                           batch_last=True)  # (FN*kh*kw, N*H*W)
            W_flip = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(c, -1)  # (FN, C, kh, kw) -> (C, FN*kh*kw)
            dx = W_flip @ dcols  # (C, FN*kh*kw) @ (FN*kh*kw, N*H*W) -> (C, N*H*W)
            return dx.reshape(c, n, h, w).transpose(1, 0, 2, 3)  # (C, N*H*W) -> (N, C, H, W), a view
        # general case, the book's way: dcols = Wᵀ·dout (C*kh*kw, FN) @ (FN, N*OH*OW); col2im sums overlaps
        dcols = W.reshape(fn, -1).T @ dout_t
        return fold(dcols, (n, c, h, w), kh, kw, self.stride, self.pad, batch_last=True)

    def get_config(self):
        padding = self.padding if isinstance(self.padding, str) else list(self.pad)
        return {**super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
                "stride": list(self.stride), "padding": padding,
                "weight_init": initializers.serialize(self.weight_init), "use_bias": self.use_bias}
