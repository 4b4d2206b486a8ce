"""Conv2D: 2-D cross-correlation over NCHW batches, computed as im2col (unfold) + one matrix product."""

from __future__ import annotations

import numpy as np

from .. import initializers
from ..backend import get_array_module
from ..backend.threads import split_work
from ..backend.workspace import scratch
from ..channel_bias import channel_bias_gradient
from ..conv_grid import grid_convolve, grid_fits, grid_size, grid_weight_gradient, grid_weights
from ..im2col import conv_output_size, fold, pair, unfold, unfold_shifted
from ..validation import Boolean, Integral, Interval, Options, Pair, Real, validate_params
from .base import Layer

__all__ = ["Conv2D"]

#: batches are convolved in chunks of images whose patch matrix holds about this many values (4 MB float32)
_MAX_COLS_VALUES = 1 << 20
#: a training forward keeps its patch matrix for backward when it holds at most this many values (8 MB float32);
#: larger ones (DeepConvNet's, up to 45 MB) are made again in backward, chunk by chunk
_KEEP_COLS_VALUES = 1 << 21
#: the grid kernel (conv_grid.py) convolves chunks of images whose stacked grids hold about this many values (1 MB)
_MAX_GRID_VALUES = 1 << 18

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
        self._x = None        # the last training forward's input (backward makes its patches again...)
        self._cols = None     # (... unless this holds them: a small patch matrix, kept; see _KEEP_COLS_VALUES)

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

    def release_buffers(self) -> None:
        """Forget the last training batch's input and patches (backward needs a new forward afterwards)."""
        self._x = self._cols = None

    def work_bytes(self) -> int:
        return 0 if self._cols is None else int(self._cols.nbytes)

    def shared_copy(self) -> Conv2D:
        twin = super().shared_copy()
        twin._cols = None  # its own patches: two uses in one network must not overwrite each other's
        return twin

    def _chunk(self, n: int) -> int:
        """Images per chunk: their patch matrix stays near ``_MAX_COLS_VALUES`` values (4 MB, in cache)."""
        (kh, kw), (_, oh, ow) = self.kernel_size, self.output_shape
        most = max(1, int(_MAX_COLS_VALUES // (self.input_shape[0] * kh * kw * oh * ow)))
        return -(-n // -(-n // most))  # equal chunks: ceil(n / number of chunks)

    def _patches(self, x: np.ndarray, key: str, pad: tuple[int, int], m: int, chunk: int, out=None,
                 ones: bool = False) -> np.ndarray:
        """Patches of the ``m`` images ``x`` as (C*kh*kw, m*OH*OW), into ``out`` or the thread's scratch for
        ``chunk`` images; with ``ones`` a last row of ones follows (the bias's column of the GEMM)."""
        c, h, w = x.shape[1:]
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        oh, ow = conv_output_size(h, kh, sh, pad[0]), conv_output_size(w, kw, sw, pad[1])
        xp = get_array_module(x)
        k = c * kh * kw
        if out is None:
            # NOTE: one scratch buffer for every convolution of the thread: patches live only inside one call
            out = scratch(xp, key, (k + ones, chunk * oh * ow), x.dtype)[:, :m * oh * ow]  # (a last, smaller chunk)
        if ones:
            out[k] = 1
        if self.stride == (1, 1):  # shifted slices of x, no padded copy
            unfold_shifted(x, kh, kw, pad, out[:k])
        else:
            xpad = xp.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
            unfold(xpad, kh, kw, self.stride, out=out[:k], batch_last=True)
        return out

    def _kept_patches(self, x, spare):
        """The layer's own (C*kh*kw [+ 1], N*OH*OW) array for this batch's patches (and the bias's row of ones),
        or None if they are too many to keep."""
        (kh, kw), (_, oh, ow) = self.kernel_size, self.output_shape
        shape = (x.shape[1] * kh * kw + self.use_bias, x.shape[0] * oh * ow)
        if shape[0] * shape[1] > _KEEP_COLS_VALUES:
            return None
        cols = spare  # the last batch's array, reused when the shapes match
        if cols is None or cols.shape != shape or cols.dtype != x.dtype or type(cols) is not type(x):
            cols = get_array_module(x).empty(shape, dtype=x.dtype)
        self._cols = cols
        return cols

    def _uses_grid(self) -> bool:
        """Stride 1, padding below the kernel and more than one input channel: the grid kernel, no patches."""
        # NOTE: one channel makes the grid's rows 4 bytes long; the patch copy is as fast there (bench_conv_layers)
        return self.input_shape[0] > 1 and grid_fits(self.kernel_size, self.stride, self.pad)

    def _grid_chunk(self, shape, pad) -> int:
        """Images per chunk of the grid kernel for inputs of ``shape`` (N, C, H, W): ~``_MAX_GRID_VALUES``."""
        hg, wg = grid_size(shape[2], shape[3], pad)
        return max(1, _MAX_GRID_VALUES // (hg * wg * self.kernel_size[0] * shape[1]))

    def _grid(self, x, W, pad, out_size, bias=None):
        """Convolve ``x`` (N, C', H', W') with ``W`` (F, C', kh, kw) on the grid -> (N, F, *out_size), a view."""
        xp = get_array_module(x)
        (n, _, h, w), f, (oh, ow) = x.shape, W.shape[0], out_size
        hg, wg = grid_size(h, w, pad)
        y = xp.empty((n * hg * wg + self.kernel_size[1], f), dtype=x.dtype)
        grid_convolve(x, grid_weights(W), self.kernel_size, pad, y, self._grid_chunk(x.shape, pad), bias)
        # (N*hg*wg, F) -> (N, hg, wg, F) -> the valid (N, OH, OW, F) -> (N, F, OH, OW), a view
        return y[:n * hg * wg].reshape(n, hg, wg, f)[:, :oh, :ow].transpose(0, 3, 1, 2)

    def _backward_grid(self, x, dout):
        """dW, db and dx through conv_grid (dx is the convolution of dout with the flipped kernel)."""
        (kh, kw), (ph, pw), (fn, c) = self.kernel_size, self.pad, self.params["W"].shape[:2]
        if self.use_bias:
            rows = dout.transpose(0, 2, 3, 1)  # (N, FN, OH, OW) -> (N, OH, OW, FN): channels-last from a ReLU
            if rows.flags.c_contiguous:
                channel_bias_gradient(rows.reshape(-1, fn), self.grads["b"])
            else:
                dout.sum(axis=(0, 2, 3), out=self.grads["b"])
        dWm = grid_weights(self.grads["W"])  # a (kw*kh*C, FN) array, written whole
        grid_weight_gradient(x, dout, self.kernel_size, self.pad, self._grid_chunk(x.shape, self.pad), dWm)
        self.grads["W"][...] = dWm.reshape(kw, kh, c, fn).transpose(3, 2, 1, 0)  # -> (FN, C, kh, kw)
        if not self.need_input_grad:
            return None
        # y = x ⋆ W  =>  dx = dout (padded by k-1-p) ⋆ W flipped, in and out channels swapped
        W_flip = self.params["W"][:, :, ::-1, ::-1].transpose(1, 0, 2, 3)  # (FN, C, kh, kw) -> (C, FN, kh, kw)
        return self._grid(dout, W_flip, (kh - 1 - ph, kw - 1 - pw), self.input_shape[1:])

    def forward(self, x, training=False):
        x = self._prepare(x)
        xp = get_array_module(x)
        n, fn, (_, oh, ow) = x.shape[0], self.filters, self.output_shape
        if training:
            self._x = x  # backward makes large patch matrices again from it, chunk by chunk
        # a training forward replaces the kept patches (reusing their array); inference leaves them to backward
        spare, self._cols = self._cols, (None if training else self._cols)
        if self._uses_grid():
            return self._grid(x, self.params["W"], self.pad, (oh, ow), self.params["b"] if self.use_bias else None)
        W = self.params["W"].reshape(fn, -1)  # (FN, C, kh, kw) -> (FN, C*kh*kw)
        if self.use_bias:  # y = W·cols + b = [W | b]·[cols; 1]: the bias rides in the GEMM (no pass over y)
            W = xp.concatenate([W, self.params["b"][:, None]], axis=1)  # (FN, C*kh*kw + 1)
        kept = self._kept_patches(x, spare) if training else None
        y = xp.empty((n * oh * ow, fn), dtype=x.dtype)  # channels-last, as the grid kernel's output
        chunk = self._chunk(n)
        # NOTE: a loop over chunks of images, not over images: each chunk's patches are multiplied while they are
        # in cache; one patch matrix for the whole batch (45 MB for DeepConvNet's conv2) went to memory and back
        for s in range(0, n, chunk):
            m = min(chunk, n - s)
            block = None if kept is None else kept[:, s * oh * ow:(s + m) * oh * ow]
            # (C*kh*kw [+ 1], m*OH*OW)
            cols = self._patches(x[s:s + m], "conv.cols", self.pad, m, chunk, block, ones=self.use_bias)
            out = y[s * oh * ow:(s + m) * oh * ow]
            xp.matmul(cols.T, W.T, out=out)  # yᵀ = colsᵀ·Wᵀ: (m*OH*OW, C*kh*kw) @ (C*kh*kw, FN) -> (m*OH*OW, FN)
        # (N*OH*OW, FN) -> (N, OH, OW, FN) -> (N, FN, OH, OW)
        # NOTE: a transposed view, not a copy; NumPy's elementwise ops and the next layers accept any strides.
        # Channels-last makes the pooling after it read runs of FN values (2x2 max pool of 100x30x24x24: 0.69 ms,
        # 1.15 ms on channels-first memory)
        return y.reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)

    def backward(self, dout):
        x = self._cache_or_raise(self._x)
        n, fn, oh, ow = dout.shape
        if n != x.shape[0]:
            raise ValueError(f"{self}: dout of shape {dout.shape} does not match the last forward(training=True) "
                             f"(batch {x.shape[0]})")
        if self._uses_grid():
            return self._backward_grid(x, dout)
        # (N, FN, OH, OW) -> (N, OH, OW, FN) -> (N*OH*OW, FN), the layout of the forward's GEMM output; its
        # transpose (FN, N*OH*OW) is a view the GEMMs below read without a copy
        xp = get_array_module(dout)
        dout_m = dout.transpose(0, 2, 3, 1)
        if not dout_m.flags.c_contiguous:  # (a ReLU after this layer hands back that layout already)
            buf = scratch(xp, "conv.dout", (n, oh, ow, fn), dout.dtype)
            split_work(xp, n, dout.size, lambda n0, n1: xp.copyto(buf[n0:n1], dout_m[n0:n1]))
            dout_m = buf
        rows = dout_m.reshape(n * oh * ow, fn)
        # yᵀ = colsᵀ·Wᵀ  =>  dWᵀ = cols·dout, summed over chunks: (C*kh*kw, m*OH*OW) @ (m*OH*OW, FN) -> (C*kh*kw, FN)
        # and the row of ones gives db = Σ over batch and pixels of dout, as the last row of dWᵀ
        # NOTE: into a (C*kh*kw [+ 1], FN) scratch, copied to grads once: BLAS reads both operands along their rows
        k = self.grads["W"][0].size
        dWt = scratch(xp, "conv.dWt", (k + self.use_bias, fn), dout.dtype)
        chunk = self._chunk(n)
        for s in range(0, n, chunk):
            m = min(chunk, n - s)
            if self._cols is not None:  # kept by the forward
                cols = self._cols[:, s * oh * ow:(s + m) * oh * ow]
            else:
                cols = self._patches(x[s:s + m], "conv.cols", self.pad, m, chunk, ones=self.use_bias)
            part = rows[s * oh * ow:(s + m) * oh * ow]
            if s == 0:
                xp.matmul(cols, part, out=dWt)
            else:
                dWt += xp.matmul(cols, part, out=scratch(xp, "conv.dW", dWt.shape, dWt.dtype))
        self.grads["W"].reshape(fn, -1)[...] = dWt[:k].T
        if self.use_bias:
            self.grads["b"][...] = dWt[k]
        if not self.need_input_grad:
            return None
        return self._input_gradient(dout, rows.T, chunk)

    def _input_gradient(self, dout: np.ndarray, dout_t: np.ndarray, chunk: int) -> np.ndarray:
        """dL/dx, chunk by chunk, from dout (N, FN, OH, OW) and its (FN, N*OH*OW) layout."""
        xp = get_array_module(dout)
        (n, fn, oh, ow), (c, h, w) = dout.shape, self.input_shape
        (kh, kw), (ph, pw) = self.kernel_size, self.pad
        W = self.params["W"]
        dx = xp.empty((c, n, h, w), dtype=dout.dtype)
        # stride 1: dx is itself a convolution, of dout padded by k-1-p with the flipped kernel (in and out
        # channels swapped): no scatter of patches back
        # NOTE: only while fn <= c: its patches hold fn·kh·kw values per input pixel, the general path's
        # c·kh·kw, so a 1-channel input under 30 filters would copy 30x more (the book's first layer)
        transposed = self.stride == (1, 1) and ph < kh and pw < kw and fn <= c
        W_flip = W[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(c, -1)  # (FN, C, kh, kw) -> (C, FN*kh*kw)
        for s in range(0, n, chunk):
            m = min(chunk, n - s)
            out = dx[:, s:s + m].reshape(c, m * h * w)
            if transposed:
                dcols = self._patches(dout[s:s + m], "conv.cols", (kh - 1 - ph, kw - 1 - pw), m, chunk)
                xp.matmul(W_flip, dcols, out=out)  # (C, FN*kh*kw) @ (FN*kh*kw, m*H*W) -> (C, m*H*W)
                continue
            # the book's way: dcols = Wᵀ·dout (C*kh*kw, FN) @ (FN, m*OH*OW); col2im adds the patches back
            dcols = W.reshape(fn, -1).T @ dout_t[:, s * oh * ow:(s + m) * oh * ow]
            xp.copyto(out.reshape(c, m, h, w), fold(dcols, (m, c, h, w), kh, kw, self.stride, self.pad,
                                                    batch_last=True).transpose(1, 0, 2, 3))
        return dx.transpose(1, 0, 2, 3)  # (C, N, H, W) -> (N, C, H, W), a view

    def get_config(self):
        padding = self.padding if isinstance(self.padding, str) else list(self.pad)
        return {**super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
                "stride": list(self.stride), "padding": padding,
                "weight_init": initializers.serialize(self.weight_init), "use_bias": self.use_bias}
