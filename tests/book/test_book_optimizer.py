"""nerve.book.optimizer: the book's arguments and update contract on nerve's update rules."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.book.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

ALL = (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam)


def grad_f(p):
    """Gradient of f(x, y) = x²/20 + y², chapter 6's comparison function."""
    return {"x": p["x"] / 10.0, "y": 2.0 * p["y"]}


@pytest.mark.parametrize("cls", ALL)
def test_updates_arrays_in_place_and_plain_numbers(cls):
    arrays = {"x": np.array([-7.0]), "y": np.array([2.0])}
    held = dict(arrays)
    numbers = {"x": -7.0, "y": 2.0}
    opt_a, opt_n = cls(lr=0.1), cls(lr=0.1)
    for _ in range(30):
        opt_a.update(arrays, grad_f(arrays))
        opt_n.update(numbers, {**grad_f(numbers), "ignored": 1.0})  # extra grads keys are ignored, as in the book
    assert arrays["x"] is held["x"] and arrays["y"] is held["y"]
    assert numbers["x"] == pytest.approx(arrays["x"][0]) and numbers["y"] == pytest.approx(arrays["y"][0])
    assert abs(numbers["y"]) < 2.0  # it moved toward the minimum


def test_first_steps_follow_the_formulas():
    g = np.array([0.5, -2.0])
    p = {"w": np.array([1.0, 1.0])}
    SGD(lr=0.1).update(p, {"w": g})
    np.testing.assert_allclose(p["w"], 1 - 0.1 * g)
    p, opt = {"w": np.zeros(2)}, Momentum(lr=0.1, momentum=0.9)
    opt.update(p, {"w": g})
    opt.update(p, {"w": g})
    np.testing.assert_allclose(p["w"], -0.1 * g + (0.9 * -0.1 * g - 0.1 * g))
    p, opt = {"w": np.zeros(2)}, Nesterov(lr=0.1, momentum=0.9)
    opt.update(p, {"w": g})
    np.testing.assert_allclose(p["w"], 0.9 * (-0.1 * g) - 0.1 * g)  # look-ahead step
    p = {"w": np.zeros(2)}
    AdaGrad(lr=0.1).update(p, {"w": g})
    np.testing.assert_allclose(p["w"], -0.1 * g / (np.abs(g) + 1e-7))
    p, opt = {"w": np.zeros(2)}, RMSprop(lr=0.1, decay_rate=0.9)
    assert opt.decay_rate == 0.9
    opt.update(p, {"w": g})
    np.testing.assert_allclose(p["w"], -0.1 * g / (np.sqrt(0.1 * g * g) + 1e-7))
    p = {"w": np.zeros(2)}
    Adam(lr=0.1).update(p, {"w": g})
    np.testing.assert_allclose(p["w"], -0.1 * np.sign(g), rtol=1e-5)  # bias-corrected first step = lr·sign(g)


def test_book_defaults():
    assert SGD().lr == 0.01 and Momentum().momentum == 0.9 and AdaGrad().lr == 0.01
    assert RMSprop().decay_rate == 0.99
    adam = Adam()
    assert (adam.lr, adam.beta1, adam.beta2) == (0.001, 0.9, 0.999)
