"""im2col / col2im (book layout) and unfold / fold (batch-first layout)."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.im2col import conv_output_size, fold, unfold, unfold_shifted
from nerve.ops import col2im, im2col


def _im2col_loops(x, fh, fw, stride, pad):
    """The book's definition, written with plain loops over output pixels (reference only)."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1
    rows = []
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                rows.append(xp[b, :, i * stride:i * stride + fh, j * stride:j * stride + fw].ravel())
    return np.array(rows)


def test_im2col_shapes_match_the_book():
    rng = np.random.default_rng(0)
    assert im2col(rng.random((1, 3, 7, 7)), 5, 5, stride=1, pad=0).shape == (9, 75)
    assert im2col(rng.random((10, 3, 7, 7)), 5, 5, stride=1, pad=0).shape == (90, 75)


@pytest.mark.parametrize("fh,fw,stride,pad", [(3, 3, 1, 0), (3, 3, 2, 1), (2, 3, 1, 2), (5, 5, 3, 0), (1, 1, 1, 0)])
def test_im2col_matches_loop_reference(fh, fw, stride, pad):
    x = np.random.default_rng(1).standard_normal((2, 3, 7, 9))
    np.testing.assert_array_equal(im2col(x, fh, fw, stride, pad), _im2col_loops(x, fh, fw, stride, pad))


@pytest.mark.parametrize("fh,fw,stride,pad", [(3, 3, 1, 0), (3, 3, 2, 1), (2, 3, 1, 2), (4, 4, 3, 1)])
def test_col2im_is_the_adjoint_of_im2col(fh, fw, stride, pad):
    # <im2col(x), C> == <x, col2im(C)> for every x and C: col2im sums each patch back where it came from
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 8, 7))
    cols = im2col(x, fh, fw, stride, pad)
    c = rng.standard_normal(cols.shape)
    back = col2im(c, x.shape, fh, fw, stride, pad)
    assert back.shape == x.shape
    assert np.isclose((cols * c).sum(), (x * back).sum(), rtol=1e-12)


def test_col2im_counts_how_often_each_pixel_is_used():
    ones = np.ones((9, 9))  # 3x3 windows over 5x5 with stride 1: 9 windows
    counts = col2im(ones, (1, 1, 5, 5), 3, 3)[0, 0]
    expected = np.array([[1, 2, 3, 2, 1]]).T @ np.array([[1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(counts, expected)


def test_unfold_and_fold_agree_with_book_layout():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 6, 5))
    cols = unfold(x, 3, 2, stride=(2, 1), pad=(1, 0))
    oh, ow = conv_output_size(6, 3, 2, 1), conv_output_size(5, 2, 1, 0)
    assert cols.shape == (2, 3 * 3 * 2, oh * ow)
    # (N, K, P) -> (N, P, K) -> (N*P, K) is the book's layout
    book = cols.transpose(0, 2, 1).reshape(-1, 18)
    np.testing.assert_array_equal(book, im2col(x, 3, 2, stride=(2, 1), pad=(1, 0)))
    c = rng.standard_normal(cols.shape)
    assert np.isclose((cols * c).sum(), (x * fold(c, x.shape, 3, 2, (2, 1), (1, 0))).sum(), rtol=1e-12)


def test_unfold_reuses_the_buffer_it_is_given():
    x = np.random.default_rng(4).standard_normal((2, 1, 4, 4)).astype(np.float32)
    buf = np.empty((2, 9, 4), dtype=np.float32)
    out = unfold(x, 3, 3, out=buf)
    assert np.shares_memory(out, buf) and out.dtype == np.float32


def test_im2col_keeps_float32():
    x = np.ones((1, 1, 4, 4), dtype=np.float32)
    assert im2col(x, 2, 2).dtype == np.float32
    assert col2im(np.ones((9, 4), dtype=np.float32), (1, 1, 4, 4), 2, 2).dtype == np.float32


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, (1, 2, 3), "2"])
def test_im2col_rejects_bad_stride(bad):
    with pytest.raises(ValueError, match="stride"):
        im2col(np.ones((1, 1, 4, 4)), 2, 2, stride=bad)


def test_im2col_rejects_filter_larger_than_padded_input():
    with pytest.raises(ValueError, match="larger than the padded input"):
        im2col(np.ones((1, 1, 4, 4)), 7, 7, pad=1)


def test_im2col_rejects_3d_input():
    with pytest.raises(ValueError, match="4-D"):
        im2col(np.ones((1, 4, 4)), 2, 2)


@pytest.mark.parametrize("shape,kernel,pad", [
    ((3, 2, 6, 5), 3, (1, 1)),    # "same": flat shifts of whole images
    ((3, 2, 6, 5), 3, (2, 1)),    # output taller than the input: row by row
    ((2, 3, 7, 7), 5, (2, 2)),
    ((2, 1, 5, 5), 3, (0, 0)),    # valid
    ((2, 2, 3, 3), 3, (3, 3)),    # padding wider than the kernel: offsets that see no pixel at all
])
@pytest.mark.parametrize("threads", ["1", "2"])
def test_unfold_shifted_equals_unfold_of_the_padded_input(monkeypatch, shape, kernel, pad, threads):
    from nerve.backend import threads as host

    monkeypatch.setenv("NERVE_NUM_THREADS", threads)
    monkeypatch.setattr(host, "MIN_SPLIT_VALUES", 0)  # split even this small job across the threads
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).transpose(0, 1, 3, 2)  # any memory layout
    (ph, pw) = pad
    expected = unfold(np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))), kernel, kernel, batch_last=True)
    out = np.full(expected.shape, np.nan)  # whatever was there before: the padding cells are written too
    assert unfold_shifted(x, kernel, kernel, pad, out) is out
    np.testing.assert_array_equal(out, expected)
