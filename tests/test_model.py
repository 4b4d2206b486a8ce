import json

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.gradcheck import check_gradients
from nerve.layers import BatchNorm, Dense, Dropout, Flatten, Identity, ReLU, Sigmoid, Softmax, Tanh
from nerve.optimizers import SGD


def _fixed_dense(W, b):
    layer = Dense(len(b))
    layer.build((len(W),))
    layer.params["W"][...] = W
    layer.params["b"][...] = b
    return layer


def test_two_two_one_network_from_the_tutorial():
    with nerve.default_dtype(np.float64):
        net = Sequential([_fixed_dense([[0, 0], [1, 1]], [0, 0]), Sigmoid(), _fixed_dense([[0], [1]], [0]), Sigmoid()])
        assert net.forward(np.array([[2.0, 3.0]]))[0, 0] == 0.7216325609518421


def test_three_layer_forward_pass_from_the_book():
    with nerve.default_dtype(np.float64):
        net = Sequential([
            _fixed_dense([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]], [0.1, 0.2, 0.3]), Sigmoid(),
            _fixed_dense([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]], [0.1, 0.2]), Sigmoid(),
            _fixed_dense([[0.1, 0.3], [0.2, 0.4]], [0.1, 0.2]), Identity(),
        ])
        np.testing.assert_allclose(net.forward(np.array([[1.0, 0.5]]))[0], [0.31682708, 0.69627909], rtol=1e-7)


def test_xor_is_learned_by_a_two_layer_network():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    t = np.array([0, 1, 1, 0])
    model = Sequential([Dense(8, weight_init="xavier"), Tanh(), Dense(2)], input_shape=(2,))
    model.compile(SGD(0.5), "softmax_cross_entropy", ["accuracy"])
    model.fit(x, t, epochs=300, batch_size=4, verbose=0)
    np.testing.assert_array_equal(model.predict_classes(x), t)


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.01, 0.02)])
def test_model_passes_gradient_check_with_dropout_batchnorm_and_weight_decay(f64, l1, l2):
    model = Sequential([Dense(6), BatchNorm(), ReLU(), Dropout(0.3), Dense(3)], input_shape=(4,))
    model.compile("sgd", "softmax_cross_entropy", l1=l1, l2=l2)
    x = np.random.default_rng(0).standard_normal((5, 4))
    assert check_gradients(model, x, np.array([0, 2, 1, 1, 0])) < 1e-6


def test_weight_decay_touches_weights_not_biases():
    model = Sequential([Dense(2)], input_shape=(2,))
    model.compile(SGD(1.0), "mse", l2=0.5)
    model.layers[0].params["W"][...] = 1.0
    model.layers[0].params["b"][...] = 1.0  # a zero bias would hide a decay term 0.5·b
    # x = 0 and t = b: the data gradient is 0 for W and b, so what is left is the decay
    model.gradient(np.zeros((1, 2)), np.ones((1, 2)))
    np.testing.assert_allclose(model.grads["dense_1/W"], 0.5)
    np.testing.assert_allclose(model.grads["dense_1/b"], 0.0)


def test_evaluate_adds_the_weight_decay_penalty_to_the_loss():
    x = np.random.default_rng(0).standard_normal((10, 3)).astype(np.float32)
    t = np.arange(10) % 2
    model = Sequential([Dense(4), ReLU(), Dense(2)], input_shape=(3,))
    plain = model.compile("sgd", "softmax_cross_entropy").evaluate(x, t)["loss"]
    decayed = model.compile("sgd", "softmax_cross_entropy", l2=0.1).evaluate(x, t)["loss"]
    penalty = 0.5 * 0.1 * sum(float(np.sum(layer.params["W"] ** 2)) for layer in model.layers if layer.params)
    assert penalty > 0.1
    np.testing.assert_allclose(decayed - plain, penalty, rtol=1e-5)


def test_params_are_the_layers_own_arrays_in_layer_order():
    model = Sequential([Dense(3), ReLU(), BatchNorm(), Dense(2)], input_shape=(4,))
    assert list(model.params) == ["dense_1/W", "dense_1/b", "batch_norm_1/gamma", "batch_norm_1/beta",
                                  "dense_2/W", "dense_2/b"]
    assert model.params["dense_2/W"] is model.layers[3].params["W"]
    assert list(model.state) == ["batch_norm_1/running_mean", "batch_norm_1/running_var"]


def test_summary_works_before_training():
    model = Sequential([Flatten(), Dense(50), ReLU(), Dense(10)], input_shape=(1, 28, 28))
    text = model.summary(print_fn=None)
    assert "(None, 784)" in text and "39,250" in text and "Total params: 39,760" in text


def test_lazy_build_on_first_forward():
    model = Sequential([Dense(3), ReLU()])
    assert not model.built
    model.forward(np.zeros((2, 5)))
    assert model.built and model.layers[0].params["W"].shape == (5, 3)


def test_book_style_training_loop():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype(np.float32)
    t = (x.sum(axis=1) > 0).astype(int)
    model = Sequential([Dense(8), ReLU(), Dense(2)], input_shape=(3,))
    model.compile(loss="softmax_cross_entropy")
    opt = SGD(0.1)
    first = model.loss(x, t)
    for _ in range(50):
        model.loss(x, t)
        model.backward()
        opt.update(model.params, model.grads)
    assert model.loss(x, t) < first / 2


def test_backward_does_not_modify_the_gradient_it_is_given():
    model = Sequential([Dense(3), ReLU(), Dense(2), Sigmoid(), Softmax()], input_shape=(4,))
    model.forward(np.random.default_rng(0).standard_normal((5, 4)), training=True)
    dout = np.ones((5, 2), dtype=np.float32)
    model.backward(dout)
    np.testing.assert_array_equal(dout, 1.0)


def test_seed_makes_runs_repeatable():
    def run():
        nerve.seed(42)
        model = Sequential([Dense(4), ReLU(), Dropout(0.2), Dense(2)], input_shape=(3,))
        model.compile("adam", "softmax_cross_entropy")
        x = np.random.default_rng(1).standard_normal((30, 3))
        model.fit(x, np.arange(30) % 2, epochs=2, batch_size=7, verbose=0)
        return model.params["dense_2/W"].copy()

    np.testing.assert_array_equal(run(), run())


def test_set_default_dtype_switches_parameters_and_outputs():
    nerve.set_default_dtype(np.float64)
    model = Sequential([Dense(2)], input_shape=(3,))
    assert model.params["dense_1/W"].dtype == np.float64
    assert model.predict(np.zeros((1, 3))).dtype == np.float64
    nerve.set_default_dtype(np.float32)
    assert Sequential([Dense(2)], input_shape=(3,)).params["dense_1/W"].dtype == np.float32
    with pytest.raises(ValueError, match="float32 or np.float64"):
        nerve.set_default_dtype(np.int32)


def test_to_json_and_model_from_json_rebuild_the_architecture():
    model = Sequential([Dense(4, weight_init="xavier"), Tanh(), Dropout(0.25), Dense(2)], input_shape=(3,))
    clone = nerve.model_from_json(model.to_json())
    assert [type(lyr).__name__ for lyr in clone.layers] == ["Dense", "Tanh", "Dropout", "Dense"]
    assert clone.layers[2].rate == 0.25 and clone.layers[0].units == 4
    assert json.loads(clone.to_json()) == json.loads(model.to_json())


def test_model_from_json_rejects_unknown_layers():
    bad = json.dumps({"class": "Sequential", "layers": [{"class": "os.system", "config": {}}]})
    with pytest.raises(ValueError, match="unknown type"):
        nerve.model_from_json(bad)


def test_save_and_load_predict_identically(tmp_path):
    model = Sequential([Dense(5), BatchNorm(), ReLU(), Dense(3)], input_shape=(4,))
    model.compile("adam", "softmax_cross_entropy", ["accuracy"])
    x = np.random.default_rng(0).standard_normal((20, 4)).astype(np.float32)
    model.fit(x, np.arange(20) % 3, epochs=2, verbose=0)
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz")
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.evaluate(x, np.arange(20) % 3)["accuracy"] == model.evaluate(x, np.arange(20) % 3)["accuracy"]


def test_unknown_names_in_compile_are_clear_errors():
    model = Sequential([Dense(2)])
    with pytest.raises(ValueError, match="optimizer identifier"):
        model.compile("adamm")
    with pytest.raises(ValueError, match="loss identifier"):
        model.compile("adam", "hinge")
    with pytest.raises(ValueError, match="metric identifier"):
        model.compile("adam", "mse", ["auc_pr"])


def test_duplicate_layer_names_are_rejected():
    with pytest.raises(ValueError, match="already in the model"):
        Sequential([Dense(2, name="a"), Dense(2, name="a")])


def test_the_books_names_are_the_same_classes():
    from nerve.layers import Affine, Relu
    from nerve.losses import SoftmaxWithLoss

    assert Affine is Dense and Relu is ReLU and SoftmaxWithLoss is nerve.losses.SoftmaxCrossEntropy
    model = Sequential([Affine(3), Relu()], input_shape=(2,))
    assert [type(lyr).__name__ for lyr in nerve.model_from_json(model.to_json()).layers] == ["Dense", "ReLU"]


def test_predict_classes_thresholds_probabilities_for_one_logit_output():
    model = Sequential([Dense(1)], input_shape=(1,))
    model.compile("sgd", nerve.losses.BinaryCrossEntropy(from_logits=True))
    model.layers[0].params["W"][...] = 1.0
    np.testing.assert_array_equal(model.predict_classes(np.array([[-0.2], [0.3]])), [0, 1])


def test_evaluate_adds_the_weight_decay_to_the_loss_and_leaves_the_gradients_alone():
    model = Sequential([Dense(2)], input_shape=(3,))
    model.compile("sgd", "mse", l2=0.5)
    x, t = np.ones((4, 3), np.float32), np.zeros((4, 2), np.float32)
    model.gradient(x, t)
    grads = {k: g.copy() for k, g in model.grads.items()}
    result = model.evaluate(x, t)
    W = model.params["dense_1/W"]
    assert result["loss"] == pytest.approx(model.loss_fn.forward(model.predict(x), t) + 0.25 * float((W * W).sum()))
    for k, g in model.grads.items():
        np.testing.assert_array_equal(g, grads[k])


def test_predict_proba_passes_outputs_through_for_losses_on_probabilities_or_values():
    x = np.ones((2, 3), np.float32)
    for loss, last in (("mse", []), ("binary_cross_entropy", [Sigmoid()])):
        model = Sequential([Dense(1), *last], input_shape=(3,))
        model.compile("sgd", loss)
        np.testing.assert_array_equal(model.predict_proba(x), model.predict(x))


def test_predict_and_evaluate_forward_large_batches_in_pieces_with_the_same_results(monkeypatch):
    from nerve import model as model_module

    net = Sequential([Dense(6), BatchNorm(), ReLU(), Dropout(0.5), Dense(3)], input_shape=(4,))
    net.compile(optimizer="sgd", loss="softmax_cross_entropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((50, 4)).astype(np.float32), rng.integers(0, 3, 50)
    whole, scores = net.predict(x, batch_size=50), net.evaluate(x, t, batch_size=50)
    sizes = []
    forward = net.forward
    monkeypatch.setattr(net, "forward", lambda xb, training=False: sizes.append(len(xb)) or forward(xb, training))
    monkeypatch.setattr(model_module, "_PIECE_BYTES", 6 * 4 * 8)  # the widest activation, 6 floats: 8 samples
    np.testing.assert_allclose(net.predict(x, batch_size=50), whole, rtol=1e-6)
    assert sizes == [8] * 6 + [2]
    assert net.evaluate(x, t, batch_size=50) == pytest.approx(scores)
