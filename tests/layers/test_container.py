"""Nested models: a Sequential inside a Sequential, shared layers, and what every model feature sees of them."""

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.gradcheck import check_gradients
from nerve.layers import BatchNorm, Dense, ReLU, Tanh


def flat_and_nested(seed=0):
    """The same network twice: flat, and with its middle wrapped in a block (weights copied across)."""
    nerve.seed(seed)
    flat = Sequential([Dense(5), BatchNorm(), ReLU(), Dense(4), Tanh(), Dense(3)], input_shape=(4,))
    nested = Sequential([Dense(5), Sequential([BatchNorm(), ReLU(), Dense(4)], name="block"), Tanh(), Dense(3)],
                        input_shape=(4,))
    for src, dst in zip(flat.params.values(), nested.params.values()):
        dst[...] = src
    return flat, nested


def test_nested_params_grads_and_state_are_keyed_by_path_and_are_the_layers_own_arrays():
    _, model = flat_and_nested()
    block = model.layers[1]
    assert list(model.params) == ["dense_1/W", "dense_1/b", "block/batch_norm_1/gamma", "block/batch_norm_1/beta",
                                  "block/dense_1/W", "block/dense_1/b", "dense_2/W", "dense_2/b"]
    assert list(model.grads) == list(model.params)
    assert list(model.state) == ["block/batch_norm_1/running_mean", "block/batch_norm_1/running_var"]
    assert model.params["block/dense_1/W"] is block.layers[2].params["W"]
    assert model.grads["block/dense_1/W"] is block.layers[2].grads["W"]


def test_a_nested_model_computes_what_the_flat_one_does_forward_and_backward():
    flat, nested = flat_and_nested()
    x = np.random.default_rng(1).standard_normal((6, 4)).astype(np.float32)
    dout = np.random.default_rng(2).standard_normal((6, 3)).astype(np.float32)
    for training in (True, False):  # BatchNorm inside the block must see the training flag
        np.testing.assert_allclose(nested.forward(x, training=training), flat.forward(x, training=training),
                                   rtol=1e-6)
        np.testing.assert_allclose(nested.backward(dout), flat.backward(dout), rtol=1e-5, atol=1e-6)
        for a, b in zip(nested.grads.values(), flat.grads.values()):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(nested.state["block/batch_norm_1/running_mean"], flat.state["batch_norm_1/running_mean"])


def test_count_params_and_build_reach_inside_nested_models():
    flat, nested = flat_and_nested()
    assert nested.count_params() == flat.count_params() == sum(p.size for p in flat.params.values())
    lazy = Sequential([Sequential([Dense(3), ReLU()]), Dense(2)])
    assert not lazy.built
    lazy.forward(np.ones((2, 7)))
    assert lazy.built and lazy.layers[0].input_shape == (7,) and lazy.layers[0].output_shape == (3,)
    assert lazy.layers[0].name == "sequential_1"


def test_input_grad_false_skips_dx_inside_a_nested_first_layer_for_that_call_only():
    model = Sequential([Sequential([Dense(3), ReLU()]), Dense(2)], input_shape=(4,))
    x = np.ones((2, 4), dtype=np.float32)
    model.forward(x, training=True)
    assert model.backward(np.ones((2, 2), dtype=np.float32), input_grad=False) is None
    model.forward(x, training=True)
    dx = model.backward(np.ones((2, 2), dtype=np.float32))
    assert dx.shape == (2, 4)


def test_gradient_check_of_a_nested_model_with_weight_decay(f64):
    _, model = flat_and_nested()
    model.compile("sgd", "softmax_cross_entropy", l2=0.1)
    model.layers[1].layers[2].l1 = 0.05  # a nested layer's own decay overrides the model's
    x = np.random.default_rng(0).standard_normal((5, 4))
    assert check_gradients(model, x, np.arange(5) % 3) < 1e-6


def test_weight_decay_reaches_nested_layers():
    flat, nested = flat_and_nested()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    t = np.arange(5) % 3
    for model in (flat, nested):
        model.compile("sgd", "softmax_cross_entropy", l2=1.0)
    assert nested.loss(x, t, training=False) == pytest.approx(flat.loss(x, t, training=False), rel=1e-6)


def test_a_layer_used_twice_shares_weights_and_its_gradients_add_up(f64):
    dense = Dense(3)
    model = Sequential([dense, Tanh(), dense], input_shape=(3,))
    assert list(model.params) == ["dense_1/W", "dense_1/b"] and model.count_params() == 12
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).standard_normal((4, 3))
    t = np.random.default_rng(1).standard_normal((4, 3))
    assert check_gradients(model, x, t) < 1e-6
    restored = nerve.model_from_json(model.to_json())
    assert restored.layers[0] is restored.layers[2] and restored.count_params() == 12


def test_a_block_used_twice_backpropagates_through_each_use(f64):
    block = Sequential([Dense(3), Tanh()], name="block")
    model = Sequential([block, block], input_shape=(3,))
    assert list(model.params) == ["block/dense_1/W", "block/dense_1/b"]
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).standard_normal((4, 3))
    t = np.random.default_rng(1).standard_normal((4, 3))
    assert check_gradients(model, x, t) < 1e-6
    restored = nerve.model_from_json(model.to_json())
    assert restored.layers[0] is restored.layers[1]


def test_a_layer_shared_across_containers_or_containing_itself_is_refused():
    dense = Dense(2)
    model = Sequential([dense, Sequential([dense])], input_shape=(2,))
    with pytest.raises(ValueError, match="used both as 'dense_1' and 'sequential_1/dense_1'"):
        model.count_params()
    outer = Sequential([Dense(2)])
    with pytest.raises(ValueError, match="contain itself"):
        outer.add(outer)
    inner = Sequential([Dense(2)])
    outer.add(inner)
    with pytest.raises(ValueError, match="contain itself"):
        inner.add(outer)


def test_nested_config_round_trips_through_json():
    _, model = flat_and_nested()
    text = model.to_json()
    restored = nerve.model_from_json(text)
    assert restored.to_json() == text
    assert [type(lyr).__name__ for lyr in restored.layers] == ["Dense", "Sequential", "Tanh", "Dense"]
    assert list(restored.params) == list(model.params)


def test_summary_lists_nested_layers_indented_under_their_block():
    _, model = flat_and_nested()
    text = model.summary(print_fn=None)
    lines = text.splitlines()
    block = next(i for i, line in enumerate(lines) if line.startswith("block (Sequential)"))
    assert lines[block + 1].startswith("  batch_norm_1 (BatchNorm)")
    assert lines[block + 3].startswith("  dense_1 (Dense)")
    assert lines[block + 4].startswith("tanh_1 (Tanh)")
    assert f"Trainable params: {model.count_params():,}" in text
    block_params = model.layers[1].count_params()
    assert f"{block_params:,}" in lines[block]


def test_plain_stacks_take_the_flat_path_and_nesting_or_sharing_leaves_it():
    dense = Dense(3)
    plain = Sequential([Dense(3), ReLU(), dense], input_shape=(3,))
    assert plain._plain
    assert not Sequential([Dense(3), Sequential([ReLU()])])._plain
    plain.add(dense)
    assert not plain._plain and list(plain.params) == ["dense_1/W", "dense_1/b", "dense_2/W", "dense_2/b"]


def test_a_forged_nested_document_is_refused_before_anything_is_built(tmp_path):
    import json

    from nerve.io import atomic_savez, read_npz

    model = Sequential([Dense(3), Sequential([Dense(4)], name="block")], input_shape=(2,))
    model.save(tmp_path / "m.npz")
    arrays = read_npz(tmp_path / "m.npz", "test")
    doc = json.loads(arrays["__nerve__"].tobytes())
    doc["model"]["layers"][1]["config"]["layers"][0]["config"]["units"] = 25_000_000  # 300 MB of weights claimed
    arrays["__nerve__"] = np.frombuffer(json.dumps(doc).encode(), dtype=np.uint8)
    atomic_savez(tmp_path / "m.npz", arrays)
    with pytest.raises(ValueError, match=r"needs 'block/dense_1/W' of shape \(3, 25000000\)"):
        nerve.load_model(tmp_path / "m.npz")
