"""Residual blocks: y = f(x) + x, or f(x) + projection(x), and their gradients."""

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.gradcheck import check_gradients
from nerve.layers import BatchNorm, Conv2D, Dense, Flatten, GlobalAvgPool2D, ReLU, Residual, Tanh


def test_forward_adds_the_input_to_the_body():
    block = Residual([Dense(4), Tanh()], input_shape=(4,))
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    W, b = block.params["dense_1/W"], block.params["dense_1/b"]
    np.testing.assert_allclose(block.forward(x), x + np.tanh(x @ W + b), rtol=1e-6)


def test_backward_sums_both_paths_into_the_input():
    # y = x + xW  =>  dx = dout + dout·Wᵀ
    block = Residual([Dense(4, use_bias=False)], input_shape=(4,))
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    dout = np.random.default_rng(1).standard_normal((3, 4)).astype(np.float32)
    block.forward(x, training=True)
    np.testing.assert_allclose(block.backward(dout), dout + dout @ block.params["dense_1/W"].T, rtol=1e-5)


def test_projection_runs_on_the_skip_path():
    block = Residual([Conv2D(4, 3, stride=2, padding=1)], projection=Conv2D(4, 1, stride=2), input_shape=(2, 6, 6))
    assert block.output_shape == (4, 3, 3)
    assert list(block.params) == ["conv2d_1/W", "conv2d_1/b", "projection/W", "projection/b"]
    x = np.random.default_rng(0).standard_normal((2, 2, 6, 6)).astype(np.float32)
    expected = block.layers[0].forward(x) + block.projection.forward(x)
    np.testing.assert_allclose(block.forward(x), expected, rtol=1e-5)


@pytest.mark.parametrize("projection", [None, "conv"])
def test_gradient_check_of_residual_blocks(f64, projection):
    body = [Conv2D(3, 3, padding=1), BatchNorm(), ReLU(), Conv2D(3, 3, stride=2 if projection else 1, padding=1)]
    block = Residual(body, projection=Conv2D(3, 1, stride=2) if projection else None, input_shape=(2 if projection
                                                                                                   else 3, 5, 5))
    x = np.random.default_rng(0).standard_normal((2, *block.input_shape))
    assert check_gradients(block, x) < 1e-6


def test_a_model_of_residual_blocks_passes_the_gradient_check_and_skips_dx_when_first(f64):
    model = Sequential([Residual([Dense(4), Tanh(), Dense(4)]), ReLU(), Residual([Dense(2)], projection=Dense(2)),
                        ], input_shape=(4,))
    model.compile("sgd", "softmax_cross_entropy", l2=0.01)
    x = np.random.default_rng(0).standard_normal((5, 4))
    assert check_gradients(model, x, np.arange(5) % 2) < 1e-6
    model.forward(x, training=True)
    assert model.backward(np.ones((5, 2)), input_grad=False) is None


def test_shapes_that_do_not_add_up_ask_for_a_projection():
    with pytest.raises(ValueError, match=r"maps \(4,\) to \(3,\).*projection=Conv2D"):
        Residual([Dense(3)], input_shape=(4,))
    with pytest.raises(ValueError, match="at least one layer"):
        Residual([])
    dense = Dense(2)
    with pytest.raises(ValueError, match="must not also be one of the block's layers"):
        Residual([dense], projection=dense)


def test_save_and_load_a_residual_network_predicts_identically_and_resumes_training(tmp_path):
    def make():
        return Sequential([
            Conv2D(4, 3, padding=1), BatchNorm(), ReLU(),
            Residual([Conv2D(4, 3, padding=1), BatchNorm(), ReLU(), Conv2D(4, 3, padding=1), BatchNorm()]),
            ReLU(),
            Residual([Conv2D(6, 3, stride=2, padding=1), BatchNorm()], projection=Conv2D(6, 1, stride=2),
                     name="down"),
            Sequential([GlobalAvgPool2D(), Flatten()], name="head"), Dense(3),
        ], input_shape=(1, 6, 6))

    model = make()
    model.compile("adam", "softmax_cross_entropy", ["accuracy"])
    x = np.random.default_rng(0).standard_normal((12, 1, 6, 6)).astype(np.float32)
    t = np.arange(12) % 3
    model.fit(x, t, epochs=2, batch_size=4, verbose=0)
    model.save(tmp_path / "res.npz")
    loaded = nerve.load_model(tmp_path / "res.npz")
    assert loaded.to_json() == model.to_json()
    assert "down/projection/W" in loaded.params and "head/global_avg_pool2d_1" not in loaded.params
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    for m in (model, loaded):  # the optimizer's slots are keyed by the nested names too
        m.train_on_batch(x[:4], t[:4])
    for key, value in model.params.items():
        np.testing.assert_array_equal(loaded.params[key], value)
    weights_only = make()
    weights_only.load_weights(tmp_path / "res.npz")
    np.testing.assert_array_equal(weights_only.predict(x), nerve.load_model(tmp_path / "res.npz").predict(x))


def test_summary_shows_the_projection_inside_its_block():
    model = Sequential([Residual([Dense(3)], projection=Dense(3), name="res")], input_shape=(2,))
    lines = model.summary(print_fn=None).splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("res (Residual)"))
    assert lines[i + 1].startswith("  dense_1 (Dense)") and lines[i + 2].startswith("  projection (Dense)")
