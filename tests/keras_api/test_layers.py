"""nerve.keras layers: Keras's arguments, 'same' padding for any stride, channels-last order, gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nerve
from nerve import layers as nl
from nerve.gradcheck import check_gradients
from nerve.keras.base import same_padding
from nerve.keras.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Flatten,
    MaxPooling2D,
)
from nerve.keras.models import Sequential


@pytest.mark.parametrize("size,kernel,stride", [(7, 3, 2), (8, 3, 2), (9, 4, 3), (5, 5, 1), (6, 2, 1), (1, 3, 2)])
def test_same_padding_is_keras_formula(size, kernel, stride):
    before, after = same_padding(size, kernel, stride)
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    assert (before + after, after - before) == (total, total % 2)  # the odd pixel goes after (bottom/right)
    assert (size + before + after - kernel) // stride + 1 == math.ceil(size / stride)


@pytest.mark.parametrize("kernel,stride", [(3, 2), (4, 1), (2, 2), (3, 1), (5, 3)])
def test_conv2d_same_any_stride_matches_explicit_padding(kernel, stride, f64):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 8, 7))
    layer = Conv2D(4, kernel, strides=stride, padding="same", data_format="channels_first")
    y = layer.forward(x)
    assert y.shape == (2, 4, math.ceil(8 / stride), math.ceil(7 / stride))
    (t, b), (le, r) = same_padding(8, kernel, stride), same_padding(7, kernel, stride)
    ref = nl.Conv2D(4, kernel, stride=stride)
    ref.build((3, 8 + t + b, 7 + le + r))
    ref.params["W"][...] = layer.params["W"]
    expected = ref.forward(np.pad(x, ((0, 0), (0, 0), (t, b), (le, r))))
    np.testing.assert_allclose(y, expected, rtol=1e-12)


@pytest.mark.parametrize("layer", [
    lambda: Conv2D(3, 3, strides=2, padding="same", activation="tanh", data_format="channels_first"),
    lambda: MaxPooling2D(3, strides=2, padding="same", data_format="channels_first"),
    lambda: AveragePooling2D(2, strides=2, padding="same", data_format="channels_first"),
    lambda: Dense(3, activation="sigmoid"),
])
def test_gradients(layer, f64):
    lyr = layer()
    shape = (2, 4) if isinstance(lyr, Dense) else (2, 2, 5, 6)
    x = np.random.default_rng(1).standard_normal(shape)
    assert check_gradients(lyr, x) < 1e-6


def test_average_pooling_same_divides_by_real_cells_like_keras():
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3)
    y = AveragePooling2D(2, padding="same", data_format="channels_first").forward(x)
    # windows [[0,1],[3,4]], [[2],[5]], [[6,7]], [[8]]: padded cells are not counted
    np.testing.assert_allclose(y[0, 0], [[2.0, 3.5], [6.5, 8.0]])


def test_max_pooling_same_never_picks_padding():
    x = -np.ones((1, 1, 3, 3), dtype=np.float32)
    y = MaxPooling2D(2, padding="same", data_format="channels_first").forward(x)
    np.testing.assert_array_equal(y, -np.ones((1, 1, 2, 2)))


def test_channels_last_model_computes_what_keras_computes():
    # a 1x1 conv on NHWC is x @ kernel; Flatten then keeps Keras's (H, W, C) order for the Dense kernel
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    model = Sequential([Conv2D(6, 1, input_shape=(3, 4, 5)), Flatten(), Dense(2)])
    conv, dense = model.layers[1], model.layers[3]
    kernel = conv.params["W"][:, :, 0, 0].T  # Keras's (1, 1, C, F) kernel as (C, F)
    expected = (x @ kernel + conv.params["b"]).reshape(2, -1) @ dense.params["W"] + dense.params["b"]
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-5)


def test_summary_shows_channels_last_shapes_and_keras_counts():
    model = Sequential([Conv2D(8, 3, padding="same", input_shape=(10, 12, 3)), BatchNormalization(),
                        MaxPooling2D(), Flatten(), Dense(4), Activation("softmax")])
    text = model.summary(print_fn=None)
    assert "(None, 10, 12, 8)" in text and "(None, 5, 6, 8)" in text and "to_channels_first" not in text
    trainable = 3 * 3 * 3 * 8 + 8 + 2 * 8 + 5 * 6 * 8 * 4 + 4
    assert model.count_params() == trainable + 2 * 8
    assert f"Trainable params: {trainable:,}" in text and "Non-trainable params: 16" in text


def test_keras_layers_do_not_shadow_nerves_in_the_registry():
    assert type(nl.get("Conv2D", filters=2, kernel_size=3)) is nl.Conv2D
    assert type(nl.get("Dense", units=2)) is nl.Dense
    assert nl.registry()["keras.Conv2D"] is Conv2D


def test_model_file_round_trip(tmp_path):
    model = Sequential([Conv2D(4, 3, strides=2, padding="same", activation="relu", input_shape=(7, 7, 2)),
                        BatchNormalization(), Flatten(), Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    x = np.random.default_rng(3).standard_normal((2, 7, 7, 2)).astype(np.float32)
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz")
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


@pytest.mark.parametrize("bad,match", [
    (lambda: Conv2D(0, 3), "filters"), (lambda: Conv2D(2, 3, padding="full"), "padding"),
    (lambda: Conv2D(2, 3, data_format="nhwc"), "data_format"), (lambda: Dense(2, activation="swishy"), "activation"),
    (lambda: BatchNormalization(axis=2), "axis"),
])
def test_bad_arguments_name_the_argument(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()


def test_symmetric_same_padding_is_left_to_the_inner_layer():
    # stride 1, odd kernel: nerve's own padding (kept buffers, its fast backward); otherwise padded here
    odd = Conv2D(2, 3, padding="same", data_format="channels_first")
    odd.build((1, 8, 8))
    assert odd.pads == ((0, 0), (0, 0)) and odd.inner.pad == (1, 1) and odd.same_pads == ((1, 1), (1, 1))
    strided = Conv2D(2, 3, strides=2, padding="same", data_format="channels_first")
    strided.build((1, 8, 8))
    assert strided.pads == ((0, 1), (0, 1)) and strided.inner.pad == (0, 0)
