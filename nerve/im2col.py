"""im2col / col2im: turn convolution into one matrix product, with stride tricks instead of pixel loops.

Two layouts of the same patches are offered:

* ``im2col`` / ``col2im`` use the book's layout, one row per output pixel: ``(N*OH*OW, C*FH*FW)``.
* ``unfold`` / ``fold`` keep the batch axis in front: ``(N, C*FH*FW, OH*OW)``, so that
  ``W.reshape(FN, -1) @ cols`` is already in NCHW order; ``Conv2D`` uses this one.
"""

from __future__ import annotations

import numpy as np

from .backend import get_array_module
from .backend.threads import split_work
from .validation import Integral, Interval, Pair, check_param

__all__ = ["im2col", "col2im", "unfold", "unfold_shifted", "fold", "conv_output_size", "pair"]


def pair(value, name: str = "value", owner: str = "im2col", minimum: int = 1) -> tuple[int, int]:
    """``value`` (an int or a pair of ints) as ``(h, w)``, each >= ``minimum``, or a clear error."""
    check_param(owner, name, value, Pair(Interval(Integral, minimum, None)))
    items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    return int(items[0]), int(items[1])


def conv_output_size(size: int, kernel: int, stride: int = 1, pad: int = 0) -> int:
    """Output length of a window of ``kernel`` sliding by ``stride`` over ``size`` padded by ``pad`` per side."""
    return (size + 2 * pad - kernel) // stride + 1


def _check_4d(x: np.ndarray, where: str) -> None:
    if x.ndim != 4:
        raise ValueError(f"{where}: expected a 4-D array (batch, channels, height, width), got shape {x.shape}")


def _windows(x: np.ndarray, filter_h: int, filter_w: int, stride=1, pad=0) -> np.ndarray:
    """A view (N, C, FH, FW, OH, OW) of every window; copies only to pad."""
    _check_4d(x, "im2col")
    (sh, sw), (ph, pw) = pair(stride, "stride"), pair(pad, "pad", minimum=0)
    xp = get_array_module(x)
    if ph or pw:
        x = xp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    if filter_h > x.shape[2] or filter_w > x.shape[3]:
        raise ValueError(
            f"im2col: filter {filter_h}x{filter_w} is larger than the padded input "
            f"{x.shape[2]}x{x.shape[3]} (input shape {x.shape}, pad {(ph, pw)})"
        )
    # (N, C, Hp, Wp) -> (N, C, Hp-FH+1, Wp-FW+1, FH, FW), a strided view; then keep every stride-th window
    view = xp.lib.stride_tricks.sliding_window_view(x, (filter_h, filter_w), axis=(2, 3))[:, :, ::sh, ::sw]
    # (N, C, OH, OW, FH, FW) -> (N, C, FH, FW, OH, OW): rows of OW stay contiguous in memory when copied
    return view.transpose(0, 1, 4, 5, 2, 3)


def unfold(x: np.ndarray, filter_h: int, filter_w: int, stride=1, pad=0, out: np.ndarray | None = None,
           batch_last: bool = False) -> np.ndarray:
    """Patches of ``x`` (N, C, H, W) as (N, C*FH*FW, OH*OW), or (C*FH*FW, N*OH*OW) with ``batch_last``.

    ``out`` (any array of that size) receives the copy, so a layer can reuse one buffer for every batch.
    ``batch_last`` turns a convolution into one large GEMM, ``W (FN, C*FH*FW) @ cols``, instead of N small ones.
    """
    win = _windows(x, filter_h, filter_w, stride, pad)
    n, c, fh, fw, oh, ow = win.shape
    if batch_last:
        win = win.transpose(1, 2, 3, 0, 4, 5)  # (N, C, FH, FW, OH, OW) -> (C, FH, FW, N, OH, OW)
    xp = get_array_module(x)
    if out is None:
        out = xp.empty(win.shape, dtype=x.dtype)
    xp.copyto(out.reshape(win.shape), win)
    if batch_last:
        return out.reshape(c * fh * fw, n * oh * ow)  # (C, FH, FW, N, OH, OW) -> (C*FH*FW, N*OH*OW)
    return out.reshape(n, c * fh * fw, oh * ow)  # (N, C, FH, FW, OH, OW) -> (N, C*FH*FW, OH*OW)


def unfold_shifted(x: np.ndarray, filter_h: int, filter_w: int, pad, out: np.ndarray) -> np.ndarray:
    """Stride-1 patches of ``x`` (N, C, H, W), any memory layout, into ``out`` as (C*FH*FW, N*OH*OW).

    The same patches as ``unfold(..., batch_last=True)`` without a padded copy of ``x``: kernel offset (i, j)
    is one shifted slice of ``x``, copied straight into its block of ``out``, and the cells that fall on the
    padding are zeroed (``out`` may hold anything before). When the output is as large as the input ("same"
    padding), every offset is one flat shift of each (H*W) image, so a copy moves whole images rather than
    rows; the columns that wrapped around to the other border are zeroed after. Chunks of channels run on the
    host threads.
    """
    n, c, h, w = x.shape
    ph, pw = pad
    oh, ow = h + 2 * ph - filter_h + 1, w + 2 * pw - filter_w + 1
    xp = get_array_module(x)
    blocks = out.reshape(c, filter_h, filter_w, n, oh, ow)  # (C*FH*FW, N*OH*OW) -> (C, FH, FW, N, OH, OW)
    src = x.transpose(1, 0, 2, 3)  # (N, C, H, W) -> (C, N, H, W), a view
    same = oh == h and ow == w

    def copy(c0: int, c1: int) -> None:
        for i in range(filter_h):
            for j in range(filter_w):
                di, dj = i - ph, j - pw  # output (r, s) reads input (r + di, s + dj)
                if same:
                    # (C, N, H, W) -> (C, N, H*W): offset (i, j) is the shift di*W + dj of every image
                    shift = di * w + dj
                    lo, hi = max(0, -shift), min(h * w, h * w - shift)
                    dst = blocks[c0:c1, i, j].reshape(c1 - c0, n, h * w)
                    dst[:, :, lo:hi] = src[c0:c1].reshape(c1 - c0, n, h * w)[:, :, lo + shift:hi + shift]
                    dst[:, :, :lo] = 0  # the rows shifted in from above or below the image: padding
                    dst[:, :, hi:] = 0
                    if dj < 0:  # NOTE: the flat shift wrapped the previous row's last cells into column 0..
                        blocks[c0:c1, i, j, :, :, :-dj] = 0
                    elif dj > 0:
                        blocks[c0:c1, i, j, :, :, w - dj:] = 0
                    continue
                r0, r1, s0, s1 = max(0, -di), min(oh, h - di), max(0, -dj), min(ow, w - dj)
                block = blocks[c0:c1, i, j]  # (C', N, OH, OW)
                block[:, :, r0:r1, s0:s1] = src[c0:c1, :, r0 + di:r1 + di, s0 + dj:s1 + dj]
                block[:, :, :r0] = 0  # the padding: rows above and below, columns left and right
                block[:, :, max(r1, r0):] = 0
                block[:, :, r0:r1, :s0] = 0
                block[:, :, r0:r1, max(s1, s0):] = 0

    split_work(xp, c, out.size, copy)
    return out


def fold(cols: np.ndarray, input_shape, filter_h: int, filter_w: int, stride=1, pad=0,
         batch_last: bool = False) -> np.ndarray:
    """Inverse of :func:`unfold` for gradients: add each patch back where it came from -> (N, C, H, W)."""
    n, c, h, w = input_shape
    (sh, sw), (ph, pw) = pair(stride, "stride"), pair(pad, "pad", minimum=0)
    oh, ow = conv_output_size(h, filter_h, sh, ph), conv_output_size(w, filter_w, sw, pw)
    if batch_last:
        # (C*FH*FW, N*OH*OW) -> (C, FH, FW, N, OH, OW) -> (N, C, FH, FW, OH, OW)
        cols = cols.reshape(c, filter_h, filter_w, n, oh, ow).transpose(3, 0, 1, 2, 4, 5)
    else:
        cols = cols.reshape(n, c, filter_h, filter_w, oh, ow)  # (N, C*FH*FW, OH*OW) -> (N, C, FH, FW, OH, OW)
    img = get_array_module(cols).zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    # NOTE: the loop runs over the FH*FW kernel offsets only (9 for 3x3); each step adds a whole strided slice.
    for i in range(filter_h):
        for j in range(filter_w):
            img[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += cols[:, :, i, j]
    return img[:, :, ph:ph + h, pw:pw + w]


def im2col(input_data: np.ndarray, filter_h: int, filter_w: int, stride=1, pad=0) -> np.ndarray:
    """The book's im2col: (N, C, H, W) -> (N*OH*OW, C*FH*FW), one row per output pixel."""
    win = _windows(get_array_module(input_data).asarray(input_data), filter_h, filter_w, stride, pad)
    n, c, fh, fw, oh, ow = win.shape
    # (N, C, FH, FW, OH, OW) -> (N, OH, OW, C, FH, FW) -> (N*OH*OW, C*FH*FW)
    return win.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, c * fh * fw)


def col2im(col: np.ndarray, input_shape, filter_h: int, filter_w: int, stride=1, pad=0) -> np.ndarray:
    """The book's col2im: (N*OH*OW, C*FH*FW) -> (N, C, H, W), summing where windows overlap."""
    n, c, h, w = input_shape
    (sh, sw), (ph, pw) = pair(stride, "stride"), pair(pad, "pad", minimum=0)
    oh, ow = conv_output_size(h, filter_h, sh, ph), conv_output_size(w, filter_w, sw, pw)
    # (N*OH*OW, C*FH*FW) -> (N, OH, OW, C, FH, FW) -> (N, C, FH, FW, OH, OW)
    cols = get_array_module(col).asarray(col).reshape(n, oh, ow, c, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    return fold(cols, input_shape, filter_h, filter_w, stride, pad)
