"""zoo.resnet_small: stage shapes, a parameter count worked out by hand, gradients, training, files."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve import zoo
from nerve.gradcheck import check_gradients
from nerve.layers import BatchNorm, Residual


def conv(c_in, c_out, k):
    return c_out * c_in * k * k  # no bias: BatchNorm follows every conv


def block(c_in, c_out):
    """Two 3x3 convs with BatchNorm (gamma, beta); a 1x1 projection with BatchNorm when the shape changes."""
    body = conv(c_in, c_out, 3) + conv(c_out, c_out, 3) + 2 * 2 * c_out
    return body + (conv(c_in, c_out, 1) + 2 * c_out if c_in != c_out else 0)


def test_stages_halve_the_image_and_projections_open_the_later_stages():
    model = zoo.resnet_small()
    blocks = [lyr for lyr in model.layers if isinstance(lyr, Residual)]
    assert [b.name for b in blocks] == ["block1_1", "block2_1", "block3_1"]
    assert [b.output_shape for b in blocks] == [(16, 28, 28), (32, 14, 14), (64, 7, 7)]
    assert [b.projection is not None for b in blocks] == [False, True, True]
    assert blocks[1].projection.layers[0].stride == (2, 2) and blocks[1].layers[0].stride == (2, 2)
    assert model.output_shape == (10,)
    assert "block2_1/projection/conv2d_1/W" in model.params


def test_parameter_count_by_hand():
    model = zoo.resnet_small(widths=(16, 32, 64), blocks=2)
    stem = conv(1, 16, 3) + 2 * 16
    stages = block(16, 16) * 2 + block(16, 32) + block(32, 32) + block(32, 64) + block(64, 64)
    head = 64 * 10 + 10
    assert model.count_params() == stem + stages + head
    running = sum(2 * lyr.params["gamma"].size for lyr in _leaves(model) if isinstance(lyr, BatchNorm))
    assert sum(v.size for v in model.state.values()) == running


def _leaves(model):
    return [layer for _, layer in model.named_layers()]


def test_gradient_check_of_a_tiny_resnet(f64):
    nerve.seed(0)
    model = zoo.resnet_small(input_shape=(1, 6, 6), num_classes=3, widths=(2, 3))
    model.compile("sgd", "softmax_cross_entropy")
    x = np.random.default_rng(0).standard_normal((4, 1, 6, 6))
    assert check_gradients(model, x, np.arange(4) % 3) < 1e-5


def test_a_tiny_resnet_learns_and_round_trips_through_a_file(tmp_path):
    nerve.seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((64, 1, 8, 8), dtype=np.float32) * 0.2
    t = rng.integers(0, 2, 64)
    x[t == 1, :, :4, :4] += 1.0  # class 1: bright top-left quarter; class 0: bottom-right
    x[t == 0, :, 4:, 4:] += 1.0
    model = zoo.resnet_small(input_shape=(1, 8, 8), num_classes=2, widths=(4, 8))
    model.compile("adam", "softmax_cross_entropy", ["accuracy"])
    before = model.evaluate(x, t)["loss"]
    model.fit(x, t, epochs=8, batch_size=16, verbose=0)
    after = model.evaluate(x, t)
    assert after["loss"] < 0.5 * before and after["accuracy"] > 0.9
    model.save(tmp_path / "resnet.npz")
    loaded = nerve.load_model(tmp_path / "resnet.npz")
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_get_finds_it_and_bad_arguments_are_named():
    assert zoo.get("ResNetSmall") is zoo.resnet_small and "resnet_small" in zoo.names()
    with pytest.raises(ValueError, match="widths"):
        zoo.resnet_small(widths=())
    with pytest.raises(ValueError, match="blocks"):
        zoo.resnet_small(blocks=0)
