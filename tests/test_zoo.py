"""Model zoo: shapes, parameter counts worked out by hand, training, gradient checks, save/load."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve import backend, zoo
from nerve.gradcheck import check_gradients
from nerve.layers import BatchNorm, Conv2D, Dense, Dropout, MaxPool2D


def test_two_layer_net_is_the_books_784_50_10():
    model = zoo.two_layer_net()
    assert model.output_shape == (10,)
    assert model.count_params() == 784 * 50 + 50 + 50 * 10 + 10  # 39,760
    assert model.layers[0].params["W"].std() == pytest.approx(0.01, rel=0.05)


def test_simple_conv_net_parameter_count_by_hand():
    model = zoo.simple_conv_net()
    conv = 30 * 1 * 5 * 5 + 30                 # 780
    hidden = 30 * 12 * 12 * 100 + 100          # 28x28 -> conv 5x5 -> 24x24 -> pool 2 -> 12x12
    out = 100 * 10 + 10
    assert model.count_params() == conv + hidden + out == 433_890
    assert [layer.output_shape for layer in model.layers[:3]] == [(30, 24, 24), (30, 24, 24), (30, 12, 12)]


def test_deep_conv_net_is_the_books_ch08_network():
    model = zoo.deep_conv_net()
    convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
    assert [c.filters for c in convs] == [16, 16, 32, 32, 64, 64]
    assert [c.pad for c in convs] == [(1, 1)] * 3 + [(2, 2)] + [(1, 1)] * 2
    assert sum(isinstance(layer, MaxPool2D) for layer in model.layers) == 3
    assert [layer.rate for layer in model.layers if isinstance(layer, Dropout)] == [0.5, 0.5]
    assert isinstance(model.layers[-1], Dropout)
    widths = [(1, 16), (16, 16), (16, 32), (32, 32), (32, 64), (64, 64)]
    expected = sum(o * i * 9 + o for i, o in widths) + 64 * 4 * 4 * 50 + 50 + 50 * 10 + 10
    assert model.count_params() == expected == 123_552
    variant = zoo.deep_conv_net(output_dropout=False)
    assert [type(a) for a in variant.layers] == [type(b) for b in model.layers[:-1]]
    assert isinstance(variant.layers[-1], Dense) and variant.count_params() == expected


def test_deep_conv_net_uses_he_initialisation():
    nerve.seed(0)
    W = [layer for layer in zoo.deep_conv_net().layers if isinstance(layer, Conv2D)][-1].params["W"]
    # conv 6: 64 filters of 64x3x3, He std sqrt(2 / fan_in) = sqrt(2/576)
    assert W.shape == (64, 64, 3, 3)
    assert W.std() == pytest.approx(np.sqrt(2 / 576), rel=0.05)


def test_alexnet_like_follows_the_tutorial():
    model = zoo.alexnet_like()
    assert model.layers[0].kernel_size == (11, 11) and model.layers[0].stride == (4, 4)
    assert isinstance(model.layers[2], BatchNorm) and model.layers[3].pool_size == (3, 3)
    assert [layer.units for layer in model.layers if hasattr(layer, "units")] == [4096, 4096, 1000, 2]
    assert model.output_shape == (2,)


@pytest.mark.parametrize("name,shape", [
    ("simple_conv_net", (1, 28, 28)), ("deep_conv_net", (1, 28, 28)), ("lenet5", (1, 28, 28)),
    ("lenet5", (3, 32, 32)), ("vgg_small", (3, 32, 32)), ("vgg_small", (1, 28, 28)),
])
def test_outputs_have_one_logit_per_class(name, shape):
    model = zoo.get(name)(input_shape=shape, num_classes=7)
    x = np.random.default_rng(0).random((3, *shape), dtype=np.float32)
    y = model.predict(x)
    assert y.shape == (3, 7) and y.dtype == np.float32 and np.isfinite(y).all()


def test_small_alexnet_like_runs_forward_and_backward():
    model = zoo.alexnet_like(input_shape=(3, 99, 99), num_classes=3, filters=(2, 3, 3, 3, 2), dense_units=(8,))
    model.compile(optimizer="adam")
    logs = model.train_on_batch(np.random.default_rng(1).random((2, 3, 99, 99), dtype=np.float32), [0, 2])
    assert np.isfinite(logs["loss"])
    assert model.output_shape == (3,)


@pytest.mark.parametrize("name", [n for n in zoo.names() if n != "alexnet_like"])
def test_summary_lists_every_layer(name):
    model = zoo.get(name)()
    text = model.summary(print_fn=None)
    assert f"Trainable params: {model.count_params():,}" in text
    assert all(layer.name in text for layer in model.layers)


def test_training_steps_reduce_the_loss():
    nerve.seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 12, 12), dtype=np.float32) * 0.2
    t = rng.integers(0, 2, 64)
    x[t == 1, :, 2:6, 2:6] += 1.0   # class 1: a bright square in the top-left corner
    x[t == 0, :, 6:10, 6:10] += 1.0  # class 0: in the bottom-right corner
    model = zoo.simple_conv_net(input_shape=(1, 12, 12), num_classes=2, filters=4, kernel_size=3, hidden_size=16,
                                weight_init="he")
    model.compile(optimizer="adam", loss="softmax_cross_entropy")
    before = model.evaluate(x, t)["loss"]
    model.fit(x, t, epochs=15, batch_size=16, verbose=0)
    assert model.evaluate(x, t)["loss"] < 0.5 * before


def test_simple_conv_net_gradient_check():
    with backend.default_dtype(np.float64):
        nerve.seed(1)
        model = zoo.simple_conv_net(input_shape=(2, 6, 7), num_classes=3, filters=3, kernel_size=3, hidden_size=4,
                                    weight_init="he")
        model.compile(optimizer="sgd", loss="softmax_cross_entropy")
        x = np.random.default_rng(2).standard_normal((2, 2, 6, 7))
        assert check_gradients(model, x, np.array([0, 2])) < 1e-6


def test_deep_conv_net_gradient_check_with_dropout():
    with backend.default_dtype(np.float64):
        nerve.seed(3)
        model = zoo.deep_conv_net(input_shape=(1, 8, 8), num_classes=3, filters=(2, 2, 2, 2, 3, 3), hidden_size=4)
        model.compile(optimizer="sgd", loss="softmax_cross_entropy")
        # NOTE: zero biases would put ReLU exactly on its kink wherever a patch of its input is all zeros
        rng = np.random.default_rng(4)
        for name, p in model.params.items():
            if name.endswith("/b"):
                p[:] = rng.uniform(0.1, 0.5, p.shape)
        x = rng.standard_normal((2, 1, 8, 8))
        assert check_gradients(model, x, np.array([1, 2])) < 1e-6


def test_save_and_load_give_the_same_predictions(tmp_path):
    nerve.seed(5)
    model = zoo.lenet5(input_shape=(1, 16, 16), num_classes=4)
    model.compile(optimizer="adam")
    x = np.random.default_rng(6).random((4, 1, 16, 16), dtype=np.float32)
    model.train_on_batch(x, [0, 1, 2, 3])
    model.save(tmp_path / "lenet.npz")
    loaded = nerve.load_model(tmp_path / "lenet.npz")
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)


def test_get_accepts_several_spellings():
    assert zoo.get("SimpleConvNet") is zoo.simple_conv_net
    assert zoo.get("deep-conv-net") is zoo.DeepConvNet
    assert zoo.get("LeNet5") is zoo.lenet5


def test_get_rejects_unknown_names():
    with pytest.raises(ValueError, match="resnet"):
        zoo.get("resnet50")


@pytest.mark.parametrize("call,match", [
    (lambda: zoo.simple_conv_net(input_shape=(28, 28)), "input_shape"),
    (lambda: zoo.deep_conv_net(filters=(16, 16)), "filters"),
    (lambda: zoo.alexnet_like(input_shape=(3, 64, 64)), "99x99"),
    (lambda: zoo.vgg_small(blocks=()), "blocks"),
    (lambda: zoo.lenet5(num_classes=0), "num_classes"),
])
def test_bad_arguments_get_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
