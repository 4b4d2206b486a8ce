"""Keras's clipnorm / clipvalue / global_clipnorm on every optimizer, against torch and the documented formulas."""

import math

import numpy as np
import pytest

from nerve import Sequential, load_model
from nerve.layers import Dense
from nerve.optimizers import SGD, AdaGrad, Adam, AdamW, Momentum, Nesterov, RMSprop

ALL = [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, AdamW]


def _grads(dtype=np.float64):
    rng = np.random.default_rng(3)
    return {"a/W": (rng.standard_normal((4, 3)) * 5).astype(dtype),
            "a/b": (rng.standard_normal(3) * 0.01).astype(dtype),
            "b/W": (rng.standard_normal((3, 2)) * 2).astype(dtype)}


def _reference(grads, *, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """torch's documented rule element by element: clip_coef = max_norm / (total_norm + 1e-6), used when < 1."""
    out = {}
    for k, g in grads.items():
        out[k] = [min(max(float(v), -clipvalue), clipvalue) if clipvalue else float(v) for v in g.reshape(-1)]
    def scale(keys, max_norm):
        total = math.sqrt(sum(v * v for k in keys for v in out[k]))
        coef = max_norm / (total + 1e-6)
        if coef < 1:
            for k in keys:
                out[k] = [v * coef for v in out[k]]
    if clipnorm:
        for k in out:
            scale([k], clipnorm)
    if global_clipnorm:
        scale(list(out), global_clipnorm)
    return {k: np.array(v).reshape(grads[k].shape) for k, v in out.items()}


def _clipped(kwargs, grads):
    """The gradient SGD(lr=1) applies: params start at zero, so they end at minus the clipped gradient."""
    params = {k: np.zeros_like(g) for k, g in grads.items()}
    SGD(1.0, **kwargs).update(params, {k: g.copy() for k, g in grads.items()})
    return {k: -p for k, p in params.items()}


CASES = [{"clipnorm": 1.0}, {"clipnorm": 100.0}, {"global_clipnorm": 2.0}, {"global_clipnorm": 1e3},
         {"clipvalue": 0.5}, {"clipvalue": 0.5, "clipnorm": 0.7}, {"clipvalue": 3.0, "global_clipnorm": 1.5}]


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_clipping_follows_the_documented_formula(kwargs):
    grads = _grads()
    got, ref = _clipped(kwargs, grads), _reference(grads, **kwargs)
    for k in grads:
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-12, atol=1e-15)


def test_clipping_actually_clips_and_leaves_small_gradients_alone():
    grads = _grads()
    got = _clipped({"clipnorm": 1.0}, grads)
    assert np.linalg.norm(got["a/W"]) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_array_equal(got["a/b"], grads["a/b"])  # its norm is far below 1
    total = math.sqrt(sum(float((g ** 2).sum()) for g in _clipped({"global_clipnorm": 2.0}, grads).values()))
    assert total == pytest.approx(2.0, rel=1e-5)


@pytest.mark.parametrize("kwargs", [{"clipnorm": 1.0}, {"global_clipnorm": 1.0}], ids=str)
def test_float32_gradients_whose_squares_overflow_are_still_clipped_to_the_norm(kwargs):
    grads = {"w": np.array([3e20, -4e20], np.float32), "b": np.array([1.0], np.float32)}
    got = _clipped(kwargs, grads)
    assert all(np.isfinite(g).all() for g in got.values())
    np.testing.assert_allclose(got["w"], [0.6, -0.8], rtol=1e-5)  # not zeroed by an infinite norm


@pytest.mark.parametrize("kwargs", CASES, ids=str)
def test_clipping_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    grads = _grads(np.float32)
    got = _clipped(kwargs, grads)
    tensors = {k: torch.zeros(g.shape, requires_grad=True) for k, g in grads.items()}
    for k, t in tensors.items():
        t.grad = torch.from_numpy(grads[k].copy())
    if "clipvalue" in kwargs:
        torch.nn.utils.clip_grad_value_(list(tensors.values()), kwargs["clipvalue"])
    if "clipnorm" in kwargs:
        for t in tensors.values():
            torch.nn.utils.clip_grad_norm_([t], kwargs["clipnorm"])
    if "global_clipnorm" in kwargs:
        torch.nn.utils.clip_grad_norm_(list(tensors.values()), kwargs["global_clipnorm"])
    for k, t in tensors.items():
        assert got[k].dtype == np.float32
        np.testing.assert_allclose(got[k], t.grad.numpy(), rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("cls", ALL)
def test_every_optimizer_clips_before_its_step(cls):
    grads = _grads()
    clipped = _reference(grads, global_clipnorm=0.5)
    a, b = cls(0.01, global_clipnorm=0.5), cls(0.01)
    pa = {k: np.ones_like(g) for k, g in grads.items()}
    pb = {k: np.ones_like(g) for k, g in grads.items()}
    for _ in range(3):
        a.update(pa, {k: g.copy() for k, g in grads.items()})
        b.update(pb, {k: g.copy() for k, g in clipped.items()})
    for k in grads:
        np.testing.assert_allclose(pa[k], pb[k], rtol=1e-7)
    assert cls(0.01, clipnorm=2).get_config()["clipnorm"] == 2.0


def test_clip_settings_round_trip_through_the_model_file(tmp_path):
    model = Sequential([Dense(2)], input_shape=(3,))
    model.compile(Adam(0.01, clipnorm=0.25, clipvalue=4.0), "mse")
    model.save(tmp_path / "m.npz")
    opt = load_model(tmp_path / "m.npz").optimizer
    assert (opt.clipnorm, opt.clipvalue, opt.global_clipnorm) == (0.25, 4.0, None)
    assert "clipnorm" not in SGD(0.1).get_config()  # unset options stay out of old-style configs


@pytest.mark.parametrize("kwargs, match", [
    ({"clipnorm": 1.0, "global_clipnorm": 1.0}, "only one of `clipnorm` and `global_clipnorm`"),
    ({"clipnorm": 0}, "clipnorm=0"),
    ({"clipvalue": -1.0}, "clipvalue=-1.0"),
    ({"global_clipnorm": float("nan")}, "global_clipnorm=nan"),
    ({"clipvalue": True}, "clipvalue=True"),
])
def test_bad_clipping_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Adam(**kwargs)
