"""Pooling layers: the tutorial's 4x4 example, loop references, gradient checks, tie routing, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nerve import backend
from nerve.gradcheck import check_gradients
from nerve.layers import AvgPool2D, GlobalAvgPool2D, KMaxPool, MaxPool2D

TUTORIAL = np.arange(1, 17, dtype=np.float32).reshape(1, 1, 4, 4)


def _pool_loops(x, reduce, size, stride, pad, fill):
    """Reference pooling with plain loops over output pixels."""
    (kh, kw), (sh, sw), (ph, pw) = size, stride, pad
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    oh, ow = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.empty((*x.shape[:2], oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = reduce(xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw], axis=(2, 3))
    return out


def test_tutorial_4x4_max_pooling():
    np.testing.assert_array_equal(MaxPool2D(2).forward(TUTORIAL)[0, 0], [[6, 8], [14, 16]])


def test_tutorial_4x4_average_pooling():
    np.testing.assert_array_equal(AvgPool2D(2, stride=2).forward(TUTORIAL)[0, 0], [[3.5, 5.5], [11.5, 13.5]])


CASES = [((2, 2), None, (0, 0)), ((3, 3), (1, 1), (1, 1)), ((2, 3), (1, 2), (0, 1)), ((3, 3), (2, 2), (0, 0))]


@pytest.mark.parametrize("size,stride,pad", CASES)
def test_maxpool_matches_loop_reference(size, stride, pad):
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 6))
    layer = MaxPool2D(size, stride, pad)
    expected = _pool_loops(x, np.max, size, layer.stride, pad, -np.inf)
    np.testing.assert_array_equal(layer.forward(x), expected)


@pytest.mark.parametrize("size,stride,pad", CASES)
def test_avgpool_matches_loop_reference(size, stride, pad):
    x = np.random.default_rng(1).standard_normal((2, 3, 7, 6))
    layer = AvgPool2D(size, stride, pad)
    expected = _pool_loops(x, np.mean, size, layer.stride, pad, 0.0)
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-12)


@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D])
@pytest.mark.parametrize("size,stride,pad", CASES)
def test_pool_gradients_match_central_differences(cls, size, stride, pad):
    with backend.default_dtype(np.float64):
        x = np.random.default_rng(2).standard_normal((2, 2, 6, 7))  # distinct values: no ties
        assert check_gradients(cls(size, stride, pad), x) < 1e-6


def test_maxpool_backward_routes_to_argmax():
    x = np.array([[[[1.0, 9.0], [3.0, 4.0]]]])
    layer = MaxPool2D(2)
    layer.forward(x, training=True)
    np.testing.assert_array_equal(layer.backward(np.array([[[[5.0]]]]))[0, 0], [[0, 5], [0, 0]])


def test_maxpool_backward_sends_a_tie_to_one_cell_only():
    x = np.zeros((1, 1, 4, 4))  # e.g. a window of ReLU zeros: every cell is the maximum
    layer = MaxPool2D(2)
    layer.forward(x, training=True)
    dx = layer.backward(np.ones((1, 1, 2, 2)))
    assert dx.sum() == 4.0
    np.testing.assert_array_equal(dx[0, 0], [[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])


def test_maxpool_padding_never_wins():
    x = -np.ones((1, 1, 3, 3))
    assert (MaxPool2D(3, stride=1, padding=1).forward(x) == -1).all()


def test_global_avg_pool_forward_and_gradient():
    x = np.random.default_rng(3).standard_normal((2, 3, 4, 5))
    np.testing.assert_allclose(GlobalAvgPool2D().forward(x), x.mean(axis=(2, 3)))
    with backend.default_dtype(np.float64):
        assert check_gradients(GlobalAvgPool2D(), x) < 1e-6


def test_kmax_keeps_the_k_largest_in_original_order():
    x = np.array([[4.0, 1.0, 5.0, 2.0, 3.0]])
    np.testing.assert_array_equal(KMaxPool(3).forward(x), [[4.0, 5.0, 3.0]])
    y = KMaxPool(2).forward(np.array([[[1.0, 7.0, 3.0, 6.0], [9.0, 0.0, 8.0, 1.0]]]))
    np.testing.assert_array_equal(y, [[[7.0, 6.0], [9.0, 8.0]]])


def test_kmax_gradient_matches_central_differences():
    with backend.default_dtype(np.float64):
        x = np.random.default_rng(4).standard_normal((3, 2, 6))
        assert check_gradients(KMaxPool(3), x) < 1e-6


def test_pool_output_shapes_and_configs():
    layer = MaxPool2D(3, stride=2, padding=1)
    layer.build((4, 9, 8))
    assert layer.output_shape == (4, 5, 4)
    assert MaxPool2D(**layer.get_config()).get_config() == layer.get_config()
    assert KMaxPool(**KMaxPool(2).get_config()).k == 2


def test_float32_stays_float32():
    x = np.random.default_rng(5).standard_normal((2, 3, 8, 8)).astype(np.float32)
    for layer in (MaxPool2D(), AvgPool2D(), GlobalAvgPool2D()):
        y = layer.forward(x, training=True)
        assert y.dtype == np.float32 and layer.backward(np.ones_like(y)).dtype == np.float32


def test_pool_window_that_does_not_fit_is_an_error():
    with pytest.raises(ValueError, match="does not fit"):
        MaxPool2D(5).forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="does not fit"):
        AvgPool2D((2, 6)).forward(np.zeros((1, 1, 8, 4)))


@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D, GlobalAvgPool2D])
def test_pool_rejects_3d_input(cls):
    with pytest.raises(ValueError, match="4-D"):
        cls().forward(np.zeros((1, 4, 4)))


@pytest.mark.parametrize("kwargs,name", [
    ({"pool_size": 0}, "pool_size"), ({"pool_size": 1.5}, "pool_size"), ({"stride": -1}, "stride"),
    ({"stride": 2.0}, "stride"), ({"padding": -1}, "padding"), ({"pool_size": 2, "padding": 2}, "padding"),
])
def test_pool_rejects_invalid_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        MaxPool2D(**kwargs)


def test_kmax_rejects_bad_k():
    with pytest.raises(ValueError, match="k"):
        KMaxPool(0)
    with pytest.raises(ValueError, match="k=4"):
        KMaxPool(4).forward(np.zeros((1, 3)))


def test_kmaxpool_on_three_dimensional_samples_pools_the_last_axis():
    x = np.arange(2 * 3 * 5, dtype=np.float32).reshape(2, 3, 5)[:, :, ::-1].copy()  # largest first on each row
    layer = KMaxPool(k=2)
    layer.build((3, 5))
    assert layer.compute_output_shape((3, 5)) == (3, 2)
    out = layer.forward(x, training=True)
    np.testing.assert_array_equal(np.sort(out, axis=-1), np.sort(x, axis=-1)[..., -2:])
    dx = layer.backward(np.ones_like(out))
    assert dx.shape == x.shape and dx.sum() == out.size


@pytest.mark.parametrize("padding", [0, 1])  # padded too: the padded copy keeps the layout (np.pad's is C order)
@pytest.mark.parametrize("cls", [MaxPool2D, AvgPool2D])
def test_pooling_keeps_a_channels_last_layout_and_gives_the_same_values(cls, padding):
    rng = np.random.default_rng(11)
    x = rng.standard_normal((3, 4, 6, 8)).astype(np.float32)
    x_last = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)  # same values, channels-last
    dout = rng.standard_normal((3, 4, 3 + padding, 4 + padding)).astype(np.float32)  # NCHW, as a Flatten's
    plain, last = cls(2, padding=padding), cls(2, padding=padding)
    y, y_last = plain.forward(x, training=True), last.forward(x_last, training=True)
    np.testing.assert_array_equal(y_last, y)
    assert y_last.strides[1] == y_last.itemsize  # channels stay innermost
    dx, dx_last = plain.backward(dout), last.backward(dout)
    np.testing.assert_array_equal(dx_last, dx)
    if cls is MaxPool2D:  # its gradient follows the forward's layout (AvgPool's follows dout's)
        assert dx_last.strides[1] == dx_last.itemsize
    if padding:  # a compact array, as without padding, not a view into the padded one
        assert dx_last.base is None or dx_last.base.shape == dx_last.shape
        assert dx_last.size * dx_last.itemsize == max(abs(s) * n for s, n in zip(dx_last.strides, dx_last.shape))
