"""Numerical differentiation and the gradient check every layer, loss and model must pass."""

from __future__ import annotations

import numpy as np

from . import backend

__all__ = ["numerical_diff", "tangent_line", "numerical_gradient", "gradient_descent", "check_gradients"]


def numerical_diff(f, x: float, h: float = 1e-4) -> float:
    """Central difference (f(x+h) - f(x-h)) / 2h, the book's numerical derivative."""
    return (f(x + h) - f(x - h)) / (2 * h)


def tangent_line(f, x: float):
    """The tangent of ``f`` at ``x`` as a function, in the book's form (ch04 gradient_1d.py).

    d = numerical_diff(f, x), y = f(x) - d·x, and the result is ``lambda t: d*t + y``.
    """
    d = numerical_diff(f, x)
    y = f(x) - d * x
    return lambda t: d * t + y


def numerical_gradient(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """∂f/∂x for an array ``x`` of any shape by central differences; ``x`` is restored afterwards.

    ``f`` takes the array (which is perturbed in place, one element at a time) and returns a scalar.
    """
    xp = backend.get_array_module(x)  # NumPy or CuPy: the array is perturbed where it lives
    if not isinstance(x, xp.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"numerical_gradient: `x` must be a float ndarray (it is perturbed in place), "
                        f"got {type(x).__name__} {getattr(x, 'dtype', '')}")
    grad = xp.zeros_like(x)
    if x.flags.c_contiguous:
        flat, gflat = x.reshape(-1), grad.reshape(-1)  # views: writing flat[i] changes x
        cells = range(flat.size)
    else:  # NOTE: reshape(-1) of a transposed or sliced array is a copy: perturbing it would leave x alone
        flat, gflat, cells = x, grad, np.ndindex(x.shape)
    for i in cells:
        old = flat[i].copy()  # NOTE: a copy: CuPy's flat[i] is a 0-d view that the next line would change
        flat[i] = old + h
        fxh1 = f(x)
        flat[i] = old - h
        fxh2 = f(x)
        flat[i] = old
        gflat[i] = (fxh1 - fxh2) / (2 * h)
    return grad


def gradient_descent(f, init_x, lr: float = 0.01, step_num: int = 100) -> np.ndarray:
    """``step_num`` steps of x ← x - lr·∇f(x) from ``init_x`` with numerical gradients (the book's)."""
    x = np.array(init_x, dtype=np.float64)
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
    return x


def _rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a - b‖ / (‖a‖ + ‖b‖); the absolute error when both vanish (e.g. a bias feeding BatchNorm)."""
    diff, scale = np.linalg.norm(a - b), np.linalg.norm(a) + np.linalg.norm(b)
    return float(diff) if scale < 1e-7 else float(diff / scale)


def check_gradients(obj, x, t=None, h: float = 1e-5, training: bool = True, seed: int = 0,
                    return_details: bool = False):
    """Largest relative error ‖a - n‖ / (‖a‖ + ‖n‖) between backprop (a) and numerical (n) gradients.

    ``obj`` is a layer, a Sequential or a loss. Layers get the scalar f = Σ forward(x)·R for a fixed random R;
    a compiled model uses its loss with targets ``t`` (plus weight decay), an uncompiled one is checked like a
    layer (nested models, residual blocks); a loss is checked with respect to
    its predictions ``x`` against ``t``. Randomness (dropout masks) is re-seeded before every evaluation, so
    each evaluation sees the same mask. Run it in float64: ``with nerve.backend.default_dtype(np.float64)``.
    """
    from .losses import Loss
    from .training.step import forward_loss, loss_and_gradients

    x = backend.get_array_module(x).array(x, dtype=np.float64, order="C")  # a contiguous copy, on x's device

    def reseed():
        backend.seed(seed)

    if isinstance(obj, Loss):
        def f(_=None):
            return obj.forward(x, t)
        f()
        analytic = {"x": obj.backward()}
        numeric = {"x": numerical_gradient(f, x, h)}
    else:
        is_model = getattr(obj, "loss_fn", None) is not None
        reseed()
        y = obj.forward(x, training=training)
        R = backend.get_array_module(y).asarray(np.random.default_rng(seed + 1).standard_normal(y.shape))

        def f(_=None):
            reseed()
            if is_model:
                return forward_loss(obj, x, t, training=training).loss
            return float((obj.forward(x, training=training) * R).sum())

        if is_model:
            reseed()
            dx = loss_and_gradients(obj, x, t, training=training, input_grad=True).input_grad
        else:
            f()
            dx = obj.backward(R)
        analytic = {"x": dx, **{k: g.copy() for k, g in obj.grads.items()}}
        numeric = {"x": numerical_gradient(f, x, h)}
        for k, p in obj.params.items():
            numeric[k] = numerical_gradient(f, p, h)
    host = backend.to_numpy
    errors = {k: _rel_error(np.asarray(host(analytic[k]), dtype=np.float64), host(numeric[k])) for k in numeric}
    worst = max(errors.values())
    return (worst, errors) if return_details else worst
