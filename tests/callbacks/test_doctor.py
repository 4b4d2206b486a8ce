"""The training doctor: its numbers match the model's own, and each hint appears when its problem is planted."""

from __future__ import annotations

import numpy as np
import pytest

from nerve import layers
from nerve.callbacks import Doctor, diagnose
from nerve.gradcheck import numerical_gradient
from nerve.model import Sequential


def _net(activation="ReLU", units=6, seed=0, dtype=np.float32):
    model = Sequential([layers.Dense(units), layers.get(activation), layers.Dense(units), layers.get(activation),
                        layers.Dense(2)], input_shape=(3,))
    model.compile(optimizer="sgd", loss="softmax_cross_entropy")
    gen = np.random.default_rng(seed)
    for name, p in model.params.items():
        p[...] = (0.5 * gen.standard_normal(p.shape)).astype(p.dtype) if name.endswith("/W") else 0.05
    x = gen.standard_normal((64, 3)).astype(dtype)
    t = (x[:, 0] > 0).astype(np.int64)
    return model, x, t


def test_a_healthy_network_gets_no_hints_and_true_gradient_norms():
    model, x, t = _net("Tanh")
    for p in model.params.values():
        p[...] = p.astype(np.float64)
    report = diagnose(model, x.astype(np.float64), t)
    assert report["hints"] == []
    assert [r["name"] for r in report["layers"]] == [lyr.name for lyr in model.layers if "W" in lyr.params]
    W = model.layers[0].params["W"]
    numeric = numerical_gradient(lambda _: model.loss(x, t, training=False), W)
    assert report["layers"][0]["grad_norm"] == pytest.approx(float(np.linalg.norm(numeric)), rel=1e-3)
    assert report["layers"][0]["weight_norm"] == pytest.approx(float(np.linalg.norm(W)), rel=1e-6)


def test_dead_relus_are_counted_and_named():
    model, x, t = _net("ReLU")
    model.layers[0].params["b"][...] = -100.0  # every first-layer ReLU is off for every sample
    report = diagnose(model, x, t)
    assert report["units"][0] == {"name": model.layers[1].name, "kind": "relu", "units": 6, "dead": 6}
    assert any("6 of 6 ReLU units" in h and "dead" in h for h in report["hints"])
    frozen = diagnose(model, x, t, previous={k: v.copy() for k, v in model.params.items()}, updates=1)
    assert not any("too low" in h for h in frozen["hints"])  # dead units, not the learning rate, stop the updates


def test_saturated_sigmoids_are_counted():
    model, x, t = _net("Sigmoid")
    model.layers[0].params["W"][...] *= 200.0
    report = diagnose(model, x, t)
    assert report["units"][0]["saturated"] >= 4
    assert any("saturated" in h for h in report["hints"])


def test_big_updates_say_the_learning_rate_is_too_high_and_tiny_ones_too_low():
    model, x, t = _net("Tanh")
    before = {k: v.copy() for k, v in model.params.items() if k.endswith("/W")}
    model.layers[0].params["W"][...] *= 2.0  # one update that doubled the weights
    report = diagnose(model, x, t, previous=before, updates=1)
    assert report["layers"][0]["update_ratio"] == pytest.approx(1.0, rel=1e-5)
    assert any("too high" in h for h in report["hints"])
    same = diagnose(model, x, t, previous={k: v.copy() for k, v in model.params.items()}, updates=1)
    assert any("too low" in h for h in same["hints"])


def test_vanishing_gradients_are_reported():
    stack = [layer for _ in range(6) for layer in (layers.Dense(4), layers.Sigmoid())]
    model = Sequential(stack + [layers.Dense(2)], input_shape=(3,))
    model.compile(optimizer="sgd", loss="softmax_cross_entropy")
    for name, p in model.params.items():
        p[...] = 0.1 if name.endswith("/W") else 0.0
    x = np.random.default_rng(0).standard_normal((32, 3)).astype(np.float32)
    report = diagnose(model, x, (x[:, 0] > 0).astype(np.int64))
    assert any("vanish" in h for h in report["hints"])


def test_the_doctor_callback_reports_every_epoch_and_prints_each_hint_once():
    model, x, t = _net("ReLU")
    model.compile(optimizer=__import__("nerve").optimizers.SGD(lr=30.0), loss="softmax_cross_entropy")
    said = []
    doctor = Doctor(x, t, print_fn=said.append)
    model.fit(x, t, epochs=3, batch_size=16, callbacks=[doctor], verbose=0)
    assert len(doctor.history_) == 3
    assert said and all(s.startswith("doctor (epoch") for s in said)
    assert len(said) == len(set(s.split(": ", 1)[1] for s in said))
    with pytest.raises(ValueError, match="Doctor"):
        Doctor(x[:0], t[:0])


def test_layers_inside_nested_models_and_residual_blocks_are_reported():
    from nerve.layers import Dense, ReLU, Residual

    inner = Sequential([Dense(6), ReLU()], name="stem")
    model = Sequential([inner, Residual([Dense(6), ReLU(), Dense(6)], name="block"), Dense(2)],
                             input_shape=(3,))
    model.compile("sgd", "softmax_cross_entropy")
    x = np.random.default_rng(0).standard_normal((16, 3)).astype(np.float32)
    t = np.arange(16) % 2
    report = diagnose(model, x, t)
    weights = [k[:-2] for k in model.params if k.endswith("/W")]
    assert [r["name"] for r in report["layers"]] == weights and len(weights) == 4
    assert weights[0].startswith("stem/") and weights[1].startswith("block/")
    for row in report["layers"]:
        assert row["grad_norm"] == pytest.approx(float(np.linalg.norm(model.grads[row["name"] + "/W"])), rel=1e-5)
