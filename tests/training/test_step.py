"""The one training step: forward, loss, backward, weight decay, the optimizer's transforms, the update."""

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.gradcheck import check_gradients
from nerve.layers import Dense, ReLU
from nerve.optimizers import SGD, Adam
from nerve.training import WeightDecay, forward_loss, loss_and_gradients, train_step


def _model(l2=0.0, opt=None):
    model = Sequential([Dense(5), ReLU(), Dense(3)], input_shape=(4,))
    model.compile(opt or SGD(0.1), "softmax_cross_entropy", ["accuracy"], l2=l2)
    return model


def _data(n=8):
    rng = np.random.default_rng(1)
    return rng.standard_normal((n, 4)).astype(np.float32), rng.integers(0, 3, n)


def test_train_step_applies_the_gradient_of_model_gradient_including_weight_decay():
    x, t = _data()
    model = _model(l2=0.3)
    before = {k: v.copy() for k, v in model.params.items()}
    grads = {k: g.copy() for k, g in model.gradient(x, t).items()}
    assert not np.allclose(grads["dense_1/W"], 0)
    logs = train_step(model, x, t)
    for k, p in model.params.items():
        np.testing.assert_allclose(p, before[k] - 0.1 * grads[k], rtol=1e-5, atol=1e-7)
    # the logged loss is the objective: data loss plus ½·l2·ΣW² of the weights before the step
    penalty = 0.5 * 0.3 * sum(float((before[k] ** 2).sum()) for k in ("dense_1/W", "dense_2/W"))
    data_loss = nerve.losses.SoftmaxCrossEntropy()
    with_weights = Sequential([Dense(5), ReLU(), Dense(3)], input_shape=(4,))
    for k, p in with_weights.params.items():
        p[...] = before[k]
    assert logs["loss"] == pytest.approx(data_loss.forward(with_weights.forward(x), t) + penalty, rel=1e-5)


def test_weight_decay_adds_l2_w_to_weights_and_nothing_to_biases():
    x, t = _data()
    plain, decayed = _model(), _model(l2=0.5)
    for k, p in decayed.params.items():
        p[...] = plain.params[k]
    g0 = {k: g.copy() for k, g in plain.gradient(x, t).items()}
    g1 = decayed.gradient(x, t)
    np.testing.assert_allclose(g1["dense_1/W"], g0["dense_1/W"] + 0.5 * plain.params["dense_1/W"], rtol=1e-5)
    np.testing.assert_array_equal(g1["dense_1/b"], g0["dense_1/b"])
    assert WeightDecay.of(decayed).penalty() == pytest.approx(
        0.25 * sum(float((plain.params[k] ** 2).sum()) for k in ("dense_1/W", "dense_2/W")), rel=1e-5)


def test_model_loss_gradient_and_gradcheck_go_through_the_step(monkeypatch, f64):
    import nerve.training.step as step

    calls = []
    real = step.loss_and_gradients
    monkeypatch.setattr(step, "loss_and_gradients", lambda *a, **k: calls.append(k) or real(*a, **k))
    model = Sequential([Dense(3), ReLU(), Dense(2)], input_shape=(3,))
    model.compile(SGD(0.1), "softmax_cross_entropy", l1=0.01, l2=0.02)
    x, t = np.random.default_rng(0).standard_normal((4, 3)), np.array([0, 1, 1, 0])
    assert model.loss(x, t) == pytest.approx(forward_loss(model, x, t).loss)
    assert check_gradients(model, x, t) < 1e-6
    model.train_on_batch(x, t)
    assert [c.get("input_grad", False) for c in calls] == [True, False]


def test_loss_and_gradients_returns_input_gradient_only_when_asked():
    x, t = _data()
    model = _model()
    assert loss_and_gradients(model, x, t).input_grad is None
    dx = loss_and_gradients(model, x, t, input_grad=True).input_grad
    assert dx.shape == x.shape and np.abs(dx).sum() > 0


def test_optimizer_transforms_run_before_clipping_and_see_params():
    seen = []

    def scale_by_ten(grads, params):
        seen.append(sorted(params))
        for g in grads.values():
            g *= 10.0

    params = {"w": np.zeros(3)}
    SGD(1.0, transforms=[scale_by_ten], clipvalue=0.5).update(params, {"w": np.array([0.01, -0.2, 3.0])})
    np.testing.assert_allclose(params["w"], [-0.1, 0.5, -0.5])  # scaled first, then clipped
    assert seen == [["w"]]


def test_a_transform_may_return_new_gradients():
    params = {"w": np.zeros(2)}
    grads = {"w": np.array([1.0, 2.0])}
    SGD(1.0, transforms=[lambda g, p: {k: -v for k, v in g.items()}]).update(params, grads)
    np.testing.assert_allclose(params["w"], [1.0, 2.0])
    with pytest.raises(ValueError, match="same keys"):
        SGD(1.0, transforms=[lambda g, p: {"other": g["w"]}]).update(params, grads)


def test_fit_runs_the_optimizers_transforms_every_step():
    count = []
    model = _model(opt=Adam(0.01, transforms=[lambda g, p: count.append(1)]))
    x, t = _data(20)
    model.fit(x, t, epochs=2, batch_size=8, verbose=0)
    assert len(count) == 6 == model.optimizer.iterations


def test_bad_transforms_and_unknown_arguments_are_named():
    with pytest.raises(TypeError, match="transforms"):
        SGD(0.1, transforms=[3])
    with pytest.raises(TypeError, match="clip_norm"):
        Adam(clip_norm=1.0)
