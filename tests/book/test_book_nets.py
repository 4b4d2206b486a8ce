"""The book's networks: float64 gradient check (numerical_gradient vs gradient), shared params, save/load."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import nerve
from nerve import backend
from nerve.book.deep_convnet import DeepConvNet
from nerve.book.multi_layer_net import MultiLayerNet
from nerve.book.multi_layer_net_extend import MultiLayerNetExtend
from nerve.book.optimizer import SGD
from nerve.book.simple_convnet import SimpleConvNet
from nerve.book.two_layer_net import TwoLayerNet

RNG = np.random.default_rng(7)
X2, T2 = RNG.standard_normal((3, 5)), np.array([0, 1, 2])
X4, T4 = RNG.standard_normal((2, 1, 8, 8)), np.array([0, 1])
SMALL_CONV = {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1}

NETS = {
    "TwoLayerNet": lambda: (TwoLayerNet(5, 4, 3, weight_init_std=0.5), X2, T2),
    "MultiLayerNet": lambda: (MultiLayerNet(5, [4, 4], 3, activation="sigmoid", weight_decay_lambda=0.1), X2, T2),
    "MultiLayerNetExtend": lambda: (MultiLayerNetExtend(5, [4, 4], 3, use_batchnorm=True, use_dropout=True,
                                                        dropout_ration=0.3, weight_decay_lambda=0.1), X2, T2),
    "SimpleConvNet": lambda: (SimpleConvNet((1, 8, 8), SMALL_CONV, hidden_size=4, output_size=2,
                                            weight_init_std=0.3), X4, T4),
    # seed 2: weights and masks that keep every unit away from ReLU's kink (within h of 0 the check is moot) and
    # do not drop both outputs of a sample
    "DeepConvNet": lambda: nerve.seed(2) or (DeepConvNet((1, 8, 8), *[{"filter_num": 4}] * 6, hidden_size=8,
                                                           output_size=2), X4, T4),
}


@pytest.mark.parametrize("name", NETS)
def test_backprop_matches_numerical_gradient(name):
    net, x, t = NETS[name]()
    assert all(p.dtype == np.float64 for p in net.params.values())
    for key, p in net.params.items():
        if key.startswith("b"):  # zero biases over dead inputs would sit on ReLU's kink at 0
            p += 0.1 * RNG.standard_normal(p.shape)
    state = backend.get_rng_state()
    grads = net.gradient(x, t)
    backend.set_rng_state(state)  # the same dropout masks for the numerical pass
    numeric = net.numerical_gradient(x, t)
    assert grads.keys() == numeric.keys() == net.params.keys()
    assert all(np.any(numeric[k] != 0) for k in numeric if k.startswith("W"))  # every weight has an effect
    for key in grads:
        assert grads[key].shape == net.params[key].shape
        np.testing.assert_allclose(grads[key], numeric[key], atol=1e-7, err_msg=key)


def test_params_keys_follow_the_book():
    assert list(TwoLayerNet(4, 3, 2).params) == ["W1", "b1", "W2", "b2"]
    net = MultiLayerNetExtend(4, [3, 3], 2, use_batchnorm=True)
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3", "gamma1", "beta1", "gamma2", "beta2"]
    assert list(SimpleConvNet().params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert SimpleConvNet().params["W2"].shape == (30 * 12 * 12, 100)
    deep = DeepConvNet()
    assert [k for k in deep.params if k.startswith("W")] == [f"W{i}" for i in range(1, 9)]
    assert deep.params["W7"].shape == (64 * 4 * 4, 50)  # the book's hard-coded size, computed here


def test_weight_init_std_names():
    nerve.seed(0)
    net = MultiLayerNet(400, [100], 10, weight_init_std="he")
    assert net.params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    net = MultiLayerNet(400, [100], 10, weight_init_std="sigmoid")
    assert net.params["W1"].std() == pytest.approx(np.sqrt(1 / 400), rel=0.05)
    net = MultiLayerNet(400, [100], 10, weight_init_std=0.01)
    assert net.params["W1"].std() == pytest.approx(0.01, rel=0.05)
    nerve.seed(5)
    a = TwoLayerNet(6, 4, 2).params["W1"]
    nerve.seed(5)
    np.testing.assert_array_equal(a, TwoLayerNet(6, 4, 2).params["W1"])  # nerve.seed repeats a run


def test_optimizer_updates_reach_the_layers():
    x, t = X4, T4
    net = SimpleConvNet((1, 8, 8), {**SMALL_CONV, "filter_num": 4}, hidden_size=10, output_size=2,
                        weight_init_std=0.3)
    before = net.loss(x, t)
    opt = SGD(lr=0.1)
    for _ in range(30):
        opt.update(net.params, net.gradient(x, t))
    assert net.loss(x, t) < before / 2
    assert net.accuracy(x, t) == 1.0


def test_accuracy_counts_every_sample():
    net = TwoLayerNet(5, 4, 3)
    x = RNG.standard_normal((150, 5))
    pred = np.argmax(net.predict(x), axis=1)
    assert net.accuracy(x, pred) == 1.0  # 150 = one full batch of 100 and a partial one
    assert net.accuracy(x[:7], np.eye(3)[pred[:7]]) == 1.0  # one-hot labels, fewer than a batch


def test_deep_convnet_loss_runs_with_dropout_accuracy_without():
    nerve.seed(0)
    net = DeepConvNet((1, 8, 8), *[{"filter_num": 8}] * 6, hidden_size=20, output_size=2)
    nerve.seed(1)
    a = net.loss(X4, T4)
    nerve.seed(2)
    assert net.loss(X4, T4) != a
    np.testing.assert_array_equal(net.predict(X4), net.predict(X4))


def test_save_and_load_params_as_npz(tmp_path):
    net, x, t = NETS["SimpleConvNet"]()
    path = tmp_path / "params.pkl"  # the book's file name; the content is an .npz archive
    net.save_params(str(path))
    y = net.predict(x)
    other = SimpleConvNet((1, 8, 8), SMALL_CONV, hidden_size=4, output_size=2)
    W1 = other.params["W1"]
    other.load_params(str(path))
    assert other.params["W1"] is W1  # loaded into the arrays the layers hold
    np.testing.assert_allclose(other.predict(x), y)
    with open(tmp_path / "book.pkl", "wb") as f:
        pickle.dump(dict(net.params), f)
    with pytest.raises(ValueError, match="never unpickles"):
        other.load_params(str(tmp_path / "book.pkl"))
    with pytest.raises(ValueError, match="expects"):
        TwoLayerNet(3, 2, 2).load_params(str(path))
