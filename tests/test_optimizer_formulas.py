"""Three steps of every optimizer against its docstring's formula written out in NumPy (the mutation run showed
AdaGrad's and RMSprop's accumulators could be replaced by the last g² without a test noticing)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nerve import optimizers

rng = np.random.default_rng(7)
W0 = {"a/W": rng.standard_normal((3, 2)), "a/b": rng.standard_normal(2)}
GRADS = [{k: rng.standard_normal(v.shape) for k, v in W0.items()} for _ in range(3)]
LR = 0.1


def _reference(name, p, gs, lr=LR, momentum=0.8, decay=0.7, beta1=0.8, beta2=0.9, eps=1e-3, weight_decay=0.05):
    """The documented update rules, one parameter at a time."""
    p, v, h, m = p.copy(), np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(gs, start=1):
        if name == "sgd":
            p = p - lr * g
        elif name == "momentum":
            v = momentum * v - lr * g
            p = p + v
        elif name == "nesterov":
            v = momentum * v - lr * g
            p = p + momentum * v - lr * g
        elif name == "adagrad":
            h = h + g * g
            p = p - lr * g / (np.sqrt(h) + eps)
        elif name == "rmsprop":
            h = decay * h + (1 - decay) * g * g
            p = p - lr * g / (np.sqrt(h) + eps)
        else:  # adam, adamw
            if name == "adamw":
                p = p * (1 - lr * weight_decay)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
            p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


SETTINGS = {"sgd": {}, "momentum": {"momentum": 0.8}, "nesterov": {"momentum": 0.8},
            "adagrad": {"eps": 1e-3}, "rmsprop": {"decay": 0.7, "eps": 1e-3},
            "adam": {"beta1": 0.8, "beta2": 0.9, "eps": 1e-3},
            "adamw": {"beta1": 0.8, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.05}}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_three_steps_follow_the_documented_formula(name):
    opt = optimizers.get(name, lr=LR, **SETTINGS[name])
    params = {k: v.copy() for k, v in W0.items()}
    for grads in GRADS:
        opt.update(params, {k: g.copy() for k, g in grads.items()})
    for key, value in params.items():
        np.testing.assert_allclose(value, _reference(name, W0[key], [g[key] for g in GRADS]), rtol=1e-10,
                                   err_msg=f"{name}: {key}")
    assert opt.iterations == 3


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_optimizer_rebuilds_from_its_config(name):
    opt = optimizers.get(name, lr=LR, **SETTINGS[name])
    config = opt.get_config()
    assert {k: v for k, v in config.items() if k in SETTINGS[name]} == SETTINGS[name]
    clone = type(opt)(**config)
    assert clone.get_config() == config and repr(clone) == repr(opt) and repr(opt).startswith(type(opt).__name__)
    assert math.isclose(clone.current_lr, LR)
