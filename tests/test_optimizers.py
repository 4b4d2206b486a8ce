import numpy as np
import pytest

from nerve import optimizers
from nerve.optimizers import SGD, AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSprop

ALL = [SGD(0.1), Momentum(0.05), Nesterov(0.05), AdaGrad(0.5), RMSprop(0.05), Adam(0.1), AdamW(0.1, 0.001)]


@pytest.mark.parametrize("opt", ALL, ids=repr)
def test_optimizer_minimises_the_books_function(opt):
    # f(x, y) = x²/20 + y², the book's optimizer comparison, from (-7, 2)
    params = {"xy": np.array([-7.0, 2.0])}
    for _ in range(300):
        x, y = params["xy"]
        opt.update(params, {"xy": np.array([x / 10.0, 2.0 * y])})
    assert np.linalg.norm(params["xy"]) < 0.5


def test_update_changes_arrays_in_place():
    W = np.ones(3)
    params = {"W": W}
    SGD(0.5).update(params, {"W": np.ones(3)})
    assert params["W"] is W
    np.testing.assert_allclose(W, 0.5)


def test_adam_matches_the_reference_formula_for_three_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    w = np.array([1.0, -2.0])
    ref, m, v = w.copy(), np.zeros(2), np.zeros(2)
    opt = Adam(lr, b1, b2, eps)
    params = {"w": w}
    for t in range(1, 4):
        g = np.array([0.3 * t, -1.0])
        opt.update(params, {"w": g})
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        ref -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
    np.testing.assert_allclose(params["w"], ref, rtol=1e-12)


def test_momentum_and_nesterov_follow_their_formulas():
    g = np.array([1.0])
    p = {"w": np.array([0.0])}
    opt = Momentum(0.1, 0.9)
    opt.update(p, {"w": g})
    opt.update(p, {"w": g})
    assert p["w"][0] == pytest.approx(-0.1 + (-0.09 - 0.1))
    p = {"w": np.array([0.0])}
    opt = Nesterov(0.1, 0.9)
    opt.update(p, {"w": g})  # v = -0.1; w += 0.9*v - 0.1
    assert p["w"][0] == pytest.approx(-0.19)


def test_adagrad_and_rmsprop_follow_their_formulas():
    p = {"w": np.array([1.0])}
    AdaGrad(0.1, eps=0.0).update(p, {"w": np.array([2.0])})
    assert p["w"][0] == pytest.approx(1.0 - 0.1)  # g / sqrt(g²) = 1
    p = {"w": np.array([1.0])}
    RMSprop(0.1, decay=0.99, eps=0.0).update(p, {"w": np.array([2.0])})
    assert p["w"][0] == pytest.approx(1.0 - 0.1 * 2.0 / np.sqrt(0.01 * 4.0))


def test_adamw_decays_weights_even_without_gradient():
    p = {"w": np.array([10.0])}
    AdamW(0.1, weight_decay=0.5).update(p, {"w": np.array([0.0])})
    assert p["w"][0] == pytest.approx(10.0 * (1 - 0.05))


def test_state_is_keyed_by_parameter_name():
    opt = Adam()
    opt.update({"a/W": np.ones(2), "b/W": np.ones(3)}, {"a/W": np.ones(2), "b/W": np.ones(3)})
    assert set(opt.slots["m"]) == {"a/W", "b/W"}
    assert opt.iterations == 1


def test_lr_may_be_a_schedule():
    opt = SGD(lambda step: 1.0 / (step + 1))
    p = {"w": np.array([0.0])}
    for _ in range(3):
        opt.update(p, {"w": np.array([1.0])})
    assert p["w"][0] == pytest.approx(-(1 + 1 / 2 + 1 / 3))


def test_state_dict_round_trip_continues_identically():
    a, b = Adam(0.1), Adam(0.1)
    pa, pb = {"w": np.array([1.0, 2.0])}, {"w": np.array([1.0, 2.0])}
    g = {"w": np.array([0.5, -0.5])}
    a.update(pa, g)
    b.load_state_dict(a.state_dict())
    pb["w"][...] = pa["w"]
    a.update(pa, g)
    b.update(pb, g)
    np.testing.assert_array_equal(pa["w"], pb["w"])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError,
                       match=r"SGD: received an invalid value for `lr`, expected a number > 0 or a callable. "
                             r"Received: lr=-1"):
        SGD(-1)
    with pytest.raises(ValueError, match="`momentum`"):
        Momentum(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'adamax'"):
        optimizers.get("adamax")
    with pytest.raises(ValueError, match="different keys"):
        SGD().update({"a": np.ones(1)}, {"b": np.ones(1)})


@pytest.mark.parametrize("opt", [Adam(0.01), AdamW(0.01), RMSprop(0.01), AdaGrad(0.01), Momentum(0.01)], ids=repr)
def test_float32_parameters_are_updated_without_float64_temporaries(opt):
    import tracemalloc

    p = {"w": np.ones(1_000_000, dtype=np.float32)}
    g = {"w": np.full(1_000_000, 0.5, dtype=np.float32)}
    opt.update(p, g)  # slots allocated outside the measurement
    tracemalloc.start()
    opt.update(p, g)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 3 * p["w"].nbytes  # a float64 temporary alone would take 2x
    assert all(a.dtype == np.float32 for slot in opt.slots.values() for a in slot.values())


@pytest.mark.parametrize("opt", [Adam(0.1), RMSprop(0.1), AdaGrad(0.1)], ids=repr)
def test_scalar_parameters_work(opt):
    p = {"x": np.array(3.0)}
    for _ in range(100):
        opt.update(p, {"x": 2 * p["x"]})
    assert abs(float(p["x"])) < 3.0


def _small_model_params(seed=0):
    rng = np.random.default_rng(seed)
    shapes = {"dense_1/W": (2, 4), "dense_1/b": (4,), "dense_2/W": (4, 1), "dense_2/b": (1,), "scale": ()}
    return {k: rng.standard_normal(s).astype(np.float32) for k, s in shapes.items()}


def _grads_for(params, step):
    rng = np.random.default_rng(100 + step)
    return {k: rng.standard_normal(p.shape).astype(np.float32) for k, p in params.items()}


@pytest.mark.parametrize("cls", [Adam, AdamW, RMSprop, AdaGrad], ids=lambda c: c.__name__)
def test_fused_update_of_a_small_model_is_bit_identical_to_per_array_steps(cls):
    fused, per_array = cls(0.01), cls(0.01)
    per_array.fuse = False
    pf, pa = _small_model_params(), _small_model_params()
    arrays = {k: v for k, v in pf.items()}
    for step in range(5):
        g = _grads_for(pf, step)
        fused.update(pf, g)
        per_array.update(pa, g)
    assert fused._flat, "the small model should have taken the fused path"
    for k in pa:
        np.testing.assert_array_equal(pf[k], pa[k])
        assert pf[k] is arrays[k]  # still updated in place
        for slot in per_array.slots:
            np.testing.assert_array_equal(fused.slots[slot][k], per_array.slots[slot][k])
            assert fused.slots[slot][k].shape == pa[k].shape


def test_fused_state_survives_a_save_and_resume_and_a_model_change():
    a, b = Adam(0.01), Adam(0.01)
    pa, pb = _small_model_params(), _small_model_params()
    a.update(pa, _grads_for(pa, 0))
    saved = {"iterations": a.iterations,
             "slots": {s: {k: v.copy() for k, v in per.items()} for s, per in a.state_dict()["slots"].items()}}
    b.load_state_dict(saved)
    for k in pb:
        pb[k][...] = pa[k]
    for step in range(1, 4):
        a.update(pa, _grads_for(pa, step))
        b.update(pb, _grads_for(pb, step))
    for k in pa:
        np.testing.assert_array_equal(pa[k], pb[k])
    # a parameter added later keeps the others' moments and starts its own from zero
    m_before = {k: v.copy() for k, v in a.slots["m"].items()}
    pa["extra"] = np.ones(3, np.float32)
    a.update(pa, {**{k: np.zeros_like(v) for k, v in pa.items()}})
    for k, v in m_before.items():
        np.testing.assert_array_equal(a.slots["m"][k], v * np.float32(0.9))
    np.testing.assert_array_equal(a.slots["m"]["extra"], 0)


def test_large_models_and_mixed_dtypes_are_updated_array_by_array():
    opt = Adam(0.01)
    big = {"W": np.zeros(opt.FUSE_MAX_SIZE, np.float32), "b": np.zeros(1, np.float32)}
    opt.update(big, {k: np.ones_like(v) for k, v in big.items()})
    mixed = {"a": np.zeros(2, np.float32), "b": np.zeros(2, np.float64)}
    opt2 = Adam(0.01)
    opt2.update(mixed, {k: np.ones_like(v) for k, v in mixed.items()})
    assert not opt._flat and not opt2._flat
    assert mixed["b"].dtype == np.float64 and np.all(mixed["a"] < 0) and np.all(big["W"] < 0)
