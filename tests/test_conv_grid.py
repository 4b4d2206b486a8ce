"""The grid convolution (nerve/conv_grid.py) and Conv2D on every path, against the book's plain im2col."""

from __future__ import annotations

import numpy as np
import pytest

from nerve import backend
from nerve.backend.workspace import release_workspace, scratch
from nerve.conv_grid import grid_convolve, grid_fits, grid_size, grid_weight_gradient, grid_weights
from nerve.gradcheck import check_gradients
from nerve.im2col import col2im, conv_output_size, im2col
from nerve.layers import Conv2D
from nerve.layers import conv as conv_module


def _reference(x, W, b, stride, pad, dout):
    """y, dW, db, dx of a convolution the book's way: one patch matrix, one GEMM, col2im (float64)."""
    n, c, h, w = x.shape
    fn, _, kh, kw = W.shape
    oh, ow = conv_output_size(h, kh, stride[0], pad[0]), conv_output_size(w, kw, stride[1], pad[1])
    col = im2col(x, kh, kw, stride, pad)  # (N*OH*OW, C*kh*kw)
    y = (col @ W.reshape(fn, -1).T + b).reshape(n, oh, ow, fn).transpose(0, 3, 1, 2)
    d = dout.transpose(0, 2, 3, 1).reshape(-1, fn)  # (N, FN, OH, OW) -> (N*OH*OW, FN)
    dW = (d.T @ col).reshape(W.shape)
    dx = col2im(d @ W.reshape(fn, -1), x.shape, kh, kw, stride, pad)
    return y, dW, d.sum(axis=0), dx


# (filters, channels, kernel, stride, padding, height, width): stride 1 with padding 0/1/2 (the grid), strided,
# 1x1, 5x5, non-square kernels, odd sizes, padding at or above the kernel (im2col again), one input channel
CASES = [
    (4, 3, 3, 1, 1, 7, 9), (3, 5, 3, 1, 0, 6, 5), (2, 4, 3, 1, 2, 5, 7), (5, 2, 5, 1, 2, 9, 8),
    (3, 4, 5, 1, 0, 7, 11), (6, 3, 1, 1, 0, 5, 4), (2, 3, (3, 2), 1, (1, 0), 6, 7), (3, 2, (1, 3), 1, (0, 2), 5, 6),
    (4, 3, 3, 2, 1, 9, 7), (2, 5, 3, 2, 0, 8, 8), (3, 2, 5, 2, 2, 11, 9), (2, 3, 2, 1, 2, 5, 5),
    (5, 1, 3, 1, 1, 6, 6), (3, 2, (2, 3), (2, 1), (1, 2), 7, 6),
]


@pytest.mark.parametrize("filters,channels,kernel,stride,padding,h,w", CASES)
def test_conv2d_matches_an_im2col_reference_forward_and_backward(filters, channels, kernel, stride, padding, h, w):
    rng = np.random.default_rng(3)
    with backend.default_dtype(np.float64):
        layer = Conv2D(filters, kernel, stride=stride, padding=padding)
        x = rng.standard_normal((3, channels, h, w))
        layer.build(x.shape[1:])
        layer.params["b"][:] = rng.standard_normal(filters)
        y = layer.forward(x, training=True)
        dout = rng.standard_normal(y.shape)
        dx = layer.backward(dout)
    ry, rdW, rdb, rdx = _reference(x, layer.params["W"], layer.params["b"], layer.stride, layer.pad, dout)
    for name, got, want in (("y", y, ry), ("dW", layer.grads["W"], rdW), ("db", layer.grads["b"], rdb),
                            ("dx", dx, rdx)):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10, err_msg=name)


def test_the_grid_takes_the_stride_1_layers_with_padding_below_the_kernel():
    assert grid_fits((3, 3), (1, 1), (2, 2)) and grid_fits((5, 1), (1, 1), (4, 0))
    assert not grid_fits((3, 3), (2, 2), (1, 1))
    assert not grid_fits((3, 3), (1, 1), (3, 0)) and not grid_fits((3, 2), (1, 1), (0, 2))
    assert grid_size(28, 28, (1, 1)) == (29, 29)  # one padding row and column shared by neighbours
    # a grid layer's output is a channels-last view (the GEMM writes (N*hg*wg, FN) rows)
    y = Conv2D(4, 3, padding=1).forward(np.ones((2, 3, 5, 5), dtype=np.float32))
    assert y.strides[1] == y.itemsize


@pytest.mark.parametrize("channels,kernel,pad,chunk", [(1, (3, 3), (1, 1), 1), (3, (3, 3), (2, 2), 2),
                                                       (2, (5, 3), (0, 1), 3), (4, (1, 1), (0, 0), 5)])
def test_grid_kernels_write_every_padding_cell_and_any_chunk_gives_the_same(channels, kernel, pad, chunk):
    rng = np.random.default_rng(5)
    n, h, w, fn = 5, 6, 7, 3
    x = rng.standard_normal((n, channels, h, w))
    W = rng.standard_normal((fn, channels, *kernel))
    b = rng.standard_normal(fn)
    oh, ow = h + 2 * pad[0] - kernel[0] + 1, w + 2 * pad[1] - kernel[1] + 1
    dout = rng.standard_normal((n, fn, oh, ow))
    ry, rdW, _, _ = _reference(x, W, b, (1, 1), pad, dout)
    hg, wg = grid_size(h, w, pad)
    release_workspace()
    for key in ("conv.grid", "conv.dgrid"):  # stale values in the scratch: every cell read must be written
        scratch(np, key, (1 << 16,), x.dtype)[...] = np.nan
    out = np.full((n * hg * wg + kernel[1], fn), np.nan)
    grid_convolve(x, grid_weights(W), kernel, pad, out, chunk, b)
    y = out[:n * hg * wg].reshape(n, hg, wg, fn)[:, :oh, :ow].transpose(0, 3, 1, 2)
    np.testing.assert_allclose(y, ry, rtol=1e-10, atol=1e-10)
    dWm = np.full(grid_weights(W).shape, np.nan)
    grid_weight_gradient(x, dout, kernel, pad, chunk, dWm)
    dW = dWm.reshape(kernel[1], kernel[0], channels, fn).transpose(3, 2, 1, 0)
    np.testing.assert_allclose(dW, rdW, rtol=1e-10, atol=1e-10)
    release_workspace()


@pytest.mark.parametrize("kernel,padding,shape", [(3, 1, (2, 3, 5, 5)), (3, 2, (2, 2, 4, 5)), (3, 0, (1, 2, 5, 6)),
                                                  ((2, 3), (1, 2), (2, 2, 4, 4)), (1, 0, (2, 3, 3, 3))])
def test_grid_layers_pass_the_float64_gradient_check(kernel, padding, shape):
    with backend.default_dtype(np.float64):
        layer = Conv2D(3, kernel, padding=padding)
        assert check_gradients(layer, np.random.default_rng(1).standard_normal(shape)) < 1e-6


def test_grid_training_in_chunks_equals_one_pass(monkeypatch):
    rng = np.random.default_rng(6)
    with backend.default_dtype(np.float64):
        layer = Conv2D(4, 3, padding=2)
        x = rng.standard_normal((7, 3, 6, 5))
        layer.build(x.shape[1:])
        dout = rng.standard_normal((7, *layer.output_shape))
        y, dx = layer.forward(x, training=True).copy(), layer.backward(dout).copy()
        dW = layer.grads["W"].copy()
        monkeypatch.setattr(conv_module, "_MAX_GRID_VALUES", 2 * 8 * 7 * 3 * 3)  # two images of 8x7 grid cells
        assert layer._grid_chunk(x.shape, layer.pad) == 2
        np.testing.assert_allclose(layer.forward(x, training=True), y, rtol=1e-12)
        np.testing.assert_allclose(layer.backward(dout), dx, rtol=1e-12)
        np.testing.assert_allclose(layer.grads["W"], dW, rtol=1e-12)
