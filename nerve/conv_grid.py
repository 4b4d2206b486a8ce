"""Stride-1 convolution without a patch matrix: a few GEMMs over a zero-padded, channels-last grid.

Lay the padded images out channels-last, one grid cell per pixel, rows of ``wg = W + pw`` cells (a row's right
padding is the next row's left padding) and ``hg = H + ph`` rows per image (likewise shared between images).
Output cell ``q`` of a kh x kw convolution then reads the cells ``q + i*wg + j``. Stack ``kh`` copies of the grid,
copy ``i`` shifted up by ``i`` rows, as the ``kh*C`` channels of one cell (``xk``, kh copies of the input instead
of im2col's kh*kw): the ``kw*kh*C`` values output cell ``q`` needs are then ``kw`` consecutive cells, one
contiguous run of memory. Taking every ``kw``-th output cell (phase ``u``) these runs tile memory exactly, so
``xk_flat[u*kh*C:].reshape(T, kw*kh*C)`` is an ordinary matrix and each phase is one GEMM with no copy:

    y[kw*t + u] = xk_flat[(kw*t + u)*kh*C : ... + kw*kh*C] @ Wm       (Wm: (kw*kh*C, FN), rows (j, i, c))

The grid's padding cells get outputs too (``hg*wg`` cells per image for ``oh*ow`` outputs: 7 % more GEMM work
for 28x28 "same", 27 % for 8x8); they are computed and dropped. Needs ``ph < kh`` and ``pw < kw``.
"""

from __future__ import annotations

from .backend import get_array_module
from .backend.threads import split_work
from .backend.workspace import scratch
from .channel_bias import add_channel_bias

__all__ = ["grid_fits", "grid_size", "grid_weights", "grid_convolve", "grid_weight_gradient"]


def grid_fits(kernel: tuple[int, int], stride: tuple[int, int], pad: tuple[int, int]) -> bool:
    """Whether :func:`grid_convolve` computes this convolution: stride 1 and padding below the kernel size."""
    return stride == (1, 1) and pad[0] < kernel[0] and pad[1] < kernel[1]


def grid_size(h: int, w: int, pad: tuple[int, int]) -> tuple[int, int]:
    """Rows and columns of one image's grid: ``(H + ph, W + pw)`` (the padding is shared by neighbours)."""
    return h + pad[0], w + pad[1]


def grid_weights(W):
    """Kernel ``W`` (FN, C, kh, kw) as the GEMM's (kw*kh*C, FN) matrix, rows in (j, i, c) order (a copy)."""
    fn, c, kh, kw = W.shape
    return W.transpose(3, 2, 1, 0).reshape(kw * kh * c, fn)  # (FN, C, kh, kw) -> (kw, kh, C, FN) -> (kw*kh*C, FN)


def _rows(m: int, hg: int, wg: int, kernel: tuple[int, int], pad: tuple[int, int]) -> int:
    """Cells of ``xk`` for ``m`` images: the GEMMs' reads (``kw*t + kw - 1`` from ``first``) and the grids."""
    kw, first = kernel[1], (kernel[0] - 1) * wg
    t = -(-m * hg * wg // kw)
    return max(first + kw * t + kw - 1, first + pad[0] * wg + pad[1] + m * hg * wg)


def _fill(x, xk, kh: int, pad: tuple[int, int], first: int) -> None:
    """Write the ``kh`` shifted grids of ``x`` (m, C, H, W) into ``xk`` (R, kh, C), zeros on every padding cell.

    Block ``i`` holds the grid moved up by ``i`` rows; grid cell 0 of block 0 sits at row ``first``.
    """
    m, c, h, w = x.shape
    hg, wg = grid_size(h, w, pad)
    cells = m * hg * wg
    margin = pad[0] * wg + pad[1]  # cells of padding before the first pixel
    src = x.transpose(0, 2, 3, 1)  # (m, C, H, W) -> (m, H, W, C), a view
    xp = get_array_module(x)
    for i in range(kh):
        start = first + margin - i * wg
        xk[first:max(first, start), i] = 0  # the padding above the first image
        xk[start + cells:, i] = 0  # and below the last one

    def copy(a: int, b: int) -> None:
        for i in range(kh):
            start = first + margin - i * wg
            grid = xk[start:start + cells, i].reshape(m, hg, wg, c)  # (m*hg*wg, C) -> (m, hg, wg, C)
            grid[a:b, :h, :w] = src[a:b]
            grid[a:b, :h, w:] = 0  # each row's padding cells (left and right of the next row)
            grid[a:b, h:] = 0  # the rows between images

    split_work(xp, m, cells * kh * c, copy)


def grid_convolve(x, Wm, kernel: tuple[int, int], pad: tuple[int, int], out, chunk: int, bias=None) -> None:
    """Convolve ``x`` (N, C, H, W), any strides, with ``Wm`` (:func:`grid_weights`) into ``out``.

    ``out`` is (N*hg*wg + kw, FN): output cell (n, r, s) is row ``(n*hg + r)*wg + s``, valid for r < OH and
    s < OW (``out[:N*hg*wg].reshape(N, hg, wg, FN)[:, :OH, :OW]``); the other rows hold anything. The batch
    goes in chunks of ``chunk`` images whose stacked grids live in the thread's scratch.
    """
    n, c, h, w = x.shape
    (kh, kw), fn = kernel, Wm.shape[1]
    hg, wg = grid_size(h, w, pad)
    xp = get_array_module(x)
    first = (kh - 1) * wg  # room for block kh-1's shift before the first cell the GEMMs read
    k = kw * kh * c
    buffer = scratch(xp, "conv.grid", (_rows(min(chunk, n), hg, wg, kernel, pad) * kh * c,), x.dtype)
    for s in range(0, n, chunk):
        m = min(chunk, n - s)
        t = -(-m * hg * wg // kw)  # GEMM rows per phase: kw*t >= the chunk's cells
        rows = _rows(m, hg, wg, kernel, pad)
        xk = buffer[:rows * kh * c]  # the chunk's stacked grids, (rows, kh, C)
        _fill(x[s:s + m], xk.reshape(rows, kh, c), kh, pad, first)
        flat = xk[first * kh * c:]
        y = out[s * hg * wg:s * hg * wg + kw * t].reshape(t, kw, fn)  # output cell kw*t + u is y[t, u]
        for u in range(kw):
            # phase u: row t is the kw*kh*C values from cell kw*t + u on, contiguous; rows follow each other
            xp.matmul(flat[u * kh * c:u * kh * c + k * t].reshape(t, k), Wm, out=y[:, u])  # (t, K) @ (K, FN)
        if bias is not None:
            add_channel_bias(y.reshape(kw * t, fn), bias)


def grid_weight_gradient(x, dout, kernel: tuple[int, int], pad: tuple[int, int], chunk: int, dWm) -> None:
    """dL/dWm (kw*kh*C, FN) of :func:`grid_convolve` over the batch, into ``dWm``, from ``x`` and ``dout``.

    ``y[kw*t + u] = A_u[t] @ Wm``, so ``dWm = Σ_chunks Σ_u A_u.T @ dy_u``, with ``dout`` laid out on the output
    grid and zeros on its padding cells (the outputs that were dropped get no gradient).
    """
    n, c, h, w = x.shape
    (kh, kw), fn, (oh, ow) = kernel, dout.shape[1], dout.shape[2:]
    hg, wg = grid_size(h, w, pad)
    xp = get_array_module(x)
    first, k = (kh - 1) * wg, kw * kh * c
    part = scratch(xp, "conv.dW", dWm.shape, dWm.dtype)
    most = min(chunk, n)
    buffer = scratch(xp, "conv.grid", (_rows(most, hg, wg, kernel, pad) * kh * c,), x.dtype)
    dy_buffer = scratch(xp, "conv.dgrid", ((most * hg * wg + kw) * fn,), dout.dtype)
    for s in range(0, n, chunk):
        m = min(chunk, n - s)
        t = -(-m * hg * wg // kw)
        rows = _rows(m, hg, wg, kernel, pad)
        xk = buffer[:rows * kh * c]
        _fill(x[s:s + m], xk.reshape(rows, kh, c), kh, pad, first)
        flat = xk[first * kh * c:]
        dy = dy_buffer[:kw * t * fn].reshape(kw * t, fn)
        cells = dy[:m * hg * wg].reshape(m, hg, wg, fn)  # (m*hg*wg, FN) -> (m, hg, wg, FN)
        cells[:, :oh, :ow] = dout[s:s + m].transpose(0, 2, 3, 1)  # (m, FN, OH, OW) -> (m, OH, OW, FN)
        cells[:, :oh, ow:] = 0
        cells[:, oh:] = 0
        dy[m * hg * wg:] = 0
        dy = dy.reshape(t, kw, fn)
        for u in range(kw):
            a = flat[u * kh * c:u * kh * c + k * t].reshape(t, k)
            if s == 0 and u == 0:
                xp.matmul(a.T, dy[:, u], out=dWm)  # (K, t) @ (t, FN) -> (K, FN)
            else:
                dWm += xp.matmul(a.T, dy[:, u], out=part)
