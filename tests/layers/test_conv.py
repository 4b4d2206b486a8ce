"""Conv2D: forward against SciPy, float64 gradient checks, buffers and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate

from nerve import backend
from nerve.gradcheck import check_gradients
from nerve.layers import Conv2D
from nerve.layers import conv as conv_module


def _scipy_conv(x, W, b, stride, pad):
    """Reference: pad, correlate each (sample, filter) pair with SciPy over all channels, subsample."""
    (sh, sw), (ph, pw) = stride, pad
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.stack([
        np.stack([correlate(xp[n], W[f], mode="valid")[0] + b[f] for f in range(W.shape[0])])
        for n in range(x.shape[0])
    ])
    return out[:, :, ::sh, ::sw]


@pytest.mark.parametrize("kernel,stride,padding", [
    (3, 1, 0), (3, 2, 1), ((2, 3), (2, 1), (1, 2)), (5, 1, 2), (1, 1, 0), (4, 3, 0),
])
def test_forward_matches_scipy_correlate(kernel, stride, padding):
    rng = np.random.default_rng(0)
    with backend.default_dtype(np.float64):
        layer = Conv2D(4, kernel, stride=stride, padding=padding)
        x = rng.standard_normal((3, 2, 9, 7))
        layer.build(x.shape[1:])
        layer.params["b"][:] = rng.standard_normal(4)
        y = layer.forward(x)
    expected = _scipy_conv(x, layer.params["W"], layer.params["b"], layer.stride, layer.pad)
    assert y.shape == expected.shape == (3, *layer.output_shape)
    np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kernel,stride,padding,shape", [
    (3, 1, 0, (2, 2, 5, 5)),
    (3, 2, 1, (2, 3, 7, 6)),          # stride 2, padding, several channels, non-square input
    ((2, 3), (1, 2), (2, 1), (1, 2, 5, 7)),
    (3, 1, "same", (2, 1, 4, 6)),
    (2, 1, 2, (1, 2, 4, 5)),          # padding >= kernel: the col2im path at stride 1
])
def test_gradients_match_central_differences(kernel, stride, padding, shape):
    with backend.default_dtype(np.float64):
        layer = Conv2D(3, kernel, stride=stride, padding=padding)
        x = np.random.default_rng(1).standard_normal(shape)
        assert check_gradients(layer, x) < 1e-6


def test_first_layer_skips_input_gradient_but_keeps_weight_gradients():
    rng = np.random.default_rng(2)
    with backend.default_dtype(np.float64):
        layer = Conv2D(2, 3, padding=1)
        x = rng.standard_normal((2, 1, 5, 5))
        dout = rng.standard_normal((2, 2, 5, 5))
        layer.forward(x, training=True)
        dx = layer.backward(dout)
        dW = layer.grads["W"].copy()
        layer.need_input_grad = False
        layer.forward(x, training=True)
        assert layer.backward(dout) is None
        np.testing.assert_allclose(layer.grads["W"], dW)
    assert dx.shape == x.shape


def test_same_padding_keeps_height_and_width():
    layer = Conv2D(8, 5, padding="same")
    assert layer.forward(np.zeros((1, 3, 11, 6), dtype=np.float32)).shape == (1, 8, 11, 6)


def test_float32_in_float32_out():
    layer = Conv2D(4, 3, stride=2, padding=1)
    x = np.random.default_rng(3).standard_normal((2, 3, 8, 8)).astype(np.float32)
    y = layer.forward(x, training=True)
    assert y.dtype == np.float32
    assert layer.backward(np.ones_like(y)).dtype == np.float32
    assert layer.grads["W"].dtype == np.float32


def test_inference_in_chunks_equals_one_pass(monkeypatch):
    layer = Conv2D(3, 3, padding=1)
    x = np.random.default_rng(4).standard_normal((7, 2, 6, 6)).astype(np.float32)
    whole = layer.forward(x)
    monkeypatch.setattr(conv_module, "_MAX_COLS_VALUES", 2 * 18 * 36)  # two samples per chunk
    np.testing.assert_allclose(layer.forward(x), whole, rtol=1e-6)


@pytest.mark.parametrize("filters,kernel,stride,padding", [
    (2, 3, 1, 1),   # "same": flat shifts; fn <= c: dx as a convolution of dout
    (2, 3, 1, 2),   # stride 1, output larger than the input: row-wise shifts
    (5, 3, 1, 0),   # fn > c: dx by col2im
    (3, 3, 2, 1),   # strided: padded copy + unfold
])
def test_training_in_chunks_equals_one_pass(monkeypatch, filters, kernel, stride, padding):
    rng = np.random.default_rng(6)
    with backend.default_dtype(np.float64):
        layer = Conv2D(filters, kernel, stride=stride, padding=padding)
        x = rng.standard_normal((7, 3, 6, 5))
        layer.build(x.shape[1:])
        layer.params["b"][:] = rng.standard_normal(filters)
        dout = rng.standard_normal((7, *layer.output_shape))
        y, dx = layer.forward(x, training=True).copy(), layer.backward(dout).copy()
        grads = {k: g.copy() for k, g in layer.grads.items()}
        per_sample = 3 * kernel * kernel * layer.output_shape[1] * layer.output_shape[2]
        monkeypatch.setattr(conv_module, "_MAX_COLS_VALUES", 2 * per_sample)  # chunks of 2, 2, 2 and 1 images
        assert layer._chunk(7) == 2
        np.testing.assert_allclose(layer.forward(x, training=True), y, rtol=1e-12)
        np.testing.assert_allclose(layer.backward(dout), dx, rtol=1e-12)
        for k, g in grads.items():
            np.testing.assert_allclose(layer.grads[k], g, rtol=1e-12, atol=1e-12)
    # and the one pass is right: the chunked layer passes the gradient check too
    with backend.default_dtype(np.float64):
        assert check_gradients(Conv2D(filters, kernel, stride=stride, padding=padding), x[:3]) < 1e-6


def test_release_buffers_forgets_the_batch_and_the_scratch_until_the_next_forward():
    from nerve.backend.workspace import release_workspace, workspace_bytes

    layer = Conv2D(4, 3, padding=1)
    x = np.random.default_rng(7).standard_normal((4, 2, 6, 6)).astype(np.float32)
    y = layer.forward(x, training=True).copy()
    layer.backward(np.ones_like(y))
    assert workspace_bytes() > 0  # the patch matrix lives in the thread's scratch
    layer.release_buffers()
    release_workspace()
    assert workspace_bytes() == 0
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones_like(y))
    np.testing.assert_array_equal(layer.forward(x, training=True), y)


def test_layers_sharing_the_scratch_do_not_see_each_others_patches():
    rng = np.random.default_rng(9)
    a, b = Conv2D(3, 3, padding=2), Conv2D(3, 3, padding=0)  # different padding: different zero cells
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    ya = a.forward(x, training=True).copy()
    b.forward(x, training=True)  # overwrites the shared scratch
    np.testing.assert_array_equal(a.forward(x, training=True), ya)
    expected = _scipy_conv(x.astype(np.float64), a.params["W"].astype(np.float64), a.params["b"], a.stride, a.pad)
    np.testing.assert_allclose(ya, expected, rtol=1e-4, atol=1e-5)


def test_inference_between_forward_and_backward_does_not_disturb_backward():
    rng = np.random.default_rng(5)
    with backend.default_dtype(np.float64):
        layer = Conv2D(2, 3)
        x = rng.standard_normal((2, 1, 5, 5))
        dout = rng.standard_normal((2, 2, 3, 3))
        layer.forward(x, training=True)
        expected = layer.backward(dout)
        layer.forward(x, training=True)
        layer.forward(rng.standard_normal((5, 1, 5, 5)))  # e.g. a validation batch
        np.testing.assert_allclose(layer.backward(dout), expected)


def test_config_round_trip_rebuilds_the_same_layer():
    layer = Conv2D(6, (3, 5), stride=(2, 1), padding=(1, 2), weight_init="xavier", use_bias=False)
    clone = Conv2D(**layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert Conv2D(**Conv2D(4, 3, padding="same").get_config()).pad == (1, 1)


def test_weight_layout_is_out_in_kh_kw():
    layer = Conv2D(30, 5)
    layer.build((1, 28, 28))
    assert layer.params["W"].shape == (30, 1, 5, 5) and layer.params["b"].shape == (30,)
    assert layer.output_shape == (30, 24, 24) and layer.count_params() == 780


def test_rejects_3d_input():
    with pytest.raises(ValueError, match="4-D input"):
        Conv2D(2, 3).forward(np.zeros((1, 5, 5)))


def test_rejects_wrong_channel_count():
    layer = Conv2D(2, 3)
    layer.forward(np.zeros((1, 3, 5, 5)))
    with pytest.raises(ValueError, match="built for 3 input channel"):
        layer.forward(np.zeros((1, 1, 5, 5)))


def test_rejects_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match="larger than the padded input"):
        Conv2D(2, 7, padding=1).forward(np.zeros((1, 1, 4, 4)))


@pytest.mark.parametrize("kwargs,name", [
    ({"kernel_size": 0}, "kernel_size"), ({"kernel_size": 2.5}, "kernel_size"), ({"kernel_size": (3,)}, "kernel_size"),
    ({"kernel_size": 3, "stride": 0}, "stride"), ({"kernel_size": 3, "stride": 1.5}, "stride"),
    ({"kernel_size": 3, "stride": True}, "stride"), ({"kernel_size": 3, "padding": -1}, "padding"),
    ({"kernel_size": 3, "padding": 0.5}, "padding"), ({"kernel_size": 3, "padding": "full"}, "padding"),
    ({"kernel_size": 3, "padding": "same", "stride": 2}, "same"), ({"kernel_size": 2, "padding": "same"}, "same"),
])
def test_rejects_invalid_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Conv2D(4, **kwargs)


def test_rejects_non_positive_filters():
    with pytest.raises(ValueError, match="filters"):
        Conv2D(0, 3)


def test_backward_before_forward_is_an_error():
    layer = Conv2D(2, 3)
    layer.build((1, 5, 5))
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((1, 2, 3, 3)))


def test_batchnorm_normalises_conv_outputs_per_channel():
    from nerve.layers import BatchNorm

    x = np.random.default_rng(6).standard_normal((8, 3, 6, 5)).astype(np.float32)
    conv, bn = Conv2D(4, 3, padding=1), BatchNorm()
    y = bn.forward(conv.forward(x, training=True), training=True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0.0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1.0, rtol=1e-3)
    assert bn.params["gamma"].shape == (4,)


def test_conv_batchnorm_pool_dense_stack_passes_the_gradient_check():
    from nerve import Sequential
    from nerve.layers import BatchNorm, Dense, Flatten, MaxPool2D, ReLU

    with backend.default_dtype(np.float64):
        backend.seed(0)
        model = Sequential([Conv2D(3, 3, stride=1, padding=1), BatchNorm(), ReLU(), MaxPool2D(2),
                            Conv2D(2, (2, 3), stride=2, padding=1), Flatten(), Dense(3)], input_shape=(2, 6, 8))
        model.compile(optimizer="sgd", loss="softmax_cross_entropy")
        x = np.random.default_rng(7).standard_normal((4, 2, 6, 8))
        assert check_gradients(model, x, np.array([0, 1, 2, 1])) < 1e-6


def test_a_kernel_may_fill_the_padded_input_but_not_exceed_it_in_either_direction():
    Conv2D(2, kernel_size=(6, 6), padding=1).build((1, 4, 4))  # exactly the padded 6x6: one output pixel
    for kernel in ((7, 1), (1, 7)):  # too large in one direction only
        with pytest.raises(ValueError, match=r"kernel \d+x\d+ is larger than the padded input 6x6"):
            Conv2D(2, kernel_size=kernel, padding=1).build((1, 4, 4))


def _train_once(layer, x, dout):
    y = layer.forward(x, training=True).copy()
    dx = layer.backward(dout)
    return y, None if dx is None else dx.copy(), {k: g.copy() for k, g in layer.grads.items()}


@pytest.mark.parametrize("filters,kernel,stride,padding,channels", [
    (4, 5, 1, 0, 1),   # SimpleConvNet's first layer: one channel, im2col
    (5, 2, 2, 0, 2),   # fn > c, stride 2: dx by col2im
    (3, 3, 2, 1, 3),   # strided
])
def test_kept_patches_give_exactly_the_gradients_of_patches_made_again(monkeypatch, filters, kernel, stride,
                                                                       padding, channels):
    rng = np.random.default_rng(11)
    x = rng.standard_normal((7, channels, 9, 8)).astype(np.float32)
    layer = Conv2D(filters, kernel, stride=stride, padding=padding)
    layer.build(x.shape[1:])
    dout = rng.standard_normal((7, *layer.output_shape)).astype(np.float32)
    per_sample = channels * kernel * kernel * layer.output_shape[1] * layer.output_shape[2]
    monkeypatch.setattr(conv_module, "_MAX_COLS_VALUES", 2 * per_sample)  # chunks of 2, 2, 2 and 1 images
    kept = _train_once(layer, x, dout)
    rows = channels * kernel * kernel + 1  # and the bias's row of ones
    assert layer.work_bytes() == rows * 7 * layer.output_shape[1] * layer.output_shape[2] * 4  # the whole batch's
    monkeypatch.setattr(conv_module, "_KEEP_COLS_VALUES", 0)
    again = _train_once(layer, x, dout)
    assert layer.work_bytes() == 0
    for a, b in zip(kept[:2], again[:2]):
        np.testing.assert_array_equal(a, b)
    for k in kept[2]:
        np.testing.assert_array_equal(kept[2][k], again[2][k])


def test_backward_uses_the_patches_of_its_own_forward_not_those_of_a_twin():
    rng = np.random.default_rng(12)
    with backend.default_dtype(np.float64):
        layer = Conv2D(3, 3)
        x1, x2 = rng.standard_normal((2, 4, 1, 6, 6))
        layer.build(x1.shape[1:])
        dout = rng.standard_normal((4, *layer.output_shape))
        expected = _train_once(layer, x1, dout)[2]["W"]
        twin = layer.shared_copy()  # a container runs a layer used twice through such a twin
        layer.forward(x1, training=True)
        twin.forward(x2, training=True)  # same shapes: must not write into the layer's kept patches
        layer.backward(dout)
        np.testing.assert_allclose(layer.grads["W"], expected, rtol=1e-12)
        assert layer.work_bytes() > 0 and twin.work_bytes() > 0
        layer.release_buffers()
        assert layer.work_bytes() == 0


def test_one_channel_output_is_channels_last_for_the_layers_after_it():
    # NOTE: a speed property (max pooling reads runs of filters values; bench_conv_layers), checked here
    y = Conv2D(6, 5).forward(np.zeros((3, 1, 12, 12), np.float32))
    assert y.shape == (3, 6, 8, 8) and y.transpose(0, 2, 3, 1).flags.c_contiguous


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("stride", [1, 2])
def test_one_channel_layer_with_and_without_bias_passes_the_gradient_check(use_bias, stride):
    # the im2col path: the bias is a row of ones in the patches and a column of the GEMM's weights
    x = np.random.default_rng(13).standard_normal((3, 1, 7, 6))
    with backend.default_dtype(np.float64):
        layer = Conv2D(4, 3, stride=stride, use_bias=use_bias)
        assert check_gradients(layer, x) < 1e-6
        if use_bias:
            layer.params["b"][:] = [1.0, -2.0, 0.5, 3.0]
        y = layer.forward(x)
    b = layer.params["b"] if use_bias else np.zeros(4)
    np.testing.assert_allclose(y, _scipy_conv(x, layer.params["W"], b, layer.stride, layer.pad), rtol=1e-10)


def test_backward_reuses_the_kept_patches_instead_of_copying_them_again(monkeypatch):
    calls = []
    real = conv_module.unfold_shifted
    monkeypatch.setattr(conv_module, "unfold_shifted", lambda *a, **k: calls.append(1) or real(*a, **k))
    layer = Conv2D(4, 3)  # one input channel, stride 1: im2col with shifted slices
    x = np.random.default_rng(14).standard_normal((5, 1, 8, 8)).astype(np.float32)
    y = layer.forward(x, training=True)
    made = len(calls)
    layer.backward(np.ones_like(y))
    assert made > 0 and len(calls) == made  # backward made no patches: it used the forward's
    monkeypatch.setattr(conv_module, "_KEEP_COLS_VALUES", 0)
    layer.forward(x, training=True)
    before = len(calls)
    layer.backward(np.ones_like(y))
    assert len(calls) > before  # too large to keep: made again
