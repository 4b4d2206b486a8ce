"""Keras's optimizers by Keras's names, arguments and defaults; each returns one of nerve's optimizers.

``SGD(learning_rate=0.01, momentum=0.0, nesterov=False)``, ``Adam(learning_rate=0.001)``,
``RMSprop(learning_rate=0.001, rho=0.9)``, ``Adagrad(learning_rate=0.001)``. Keras 2's ``lr=`` is accepted too.
"""

from __future__ import annotations

from .. import optimizers as no
from ..validation import Boolean, Interval, Real, validate_params

__all__ = ["SGD", "Adam", "RMSprop", "Adagrad", "get"]


def _rate(owner: str, learning_rate, lr, default: float):
    if lr is not None and learning_rate is not None:
        raise ValueError(f"{owner}: pass `learning_rate` or its old name `lr`, not both "
                         f"(got learning_rate={learning_rate!r}, lr={lr!r})")
    value = learning_rate if learning_rate is not None else lr
    return default if value is None else value


@validate_params({"momentum": [Interval(Real, 0, 1, closed="left")], "nesterov": [Boolean]})
def SGD(learning_rate=None, momentum: float = 0.0, nesterov: bool = False, lr=None) -> no.Optimizer:
    """Keras's SGD: plain (momentum 0), with momentum (v ← m·v - lr·g; W ← W + v) or Nesterov's.

    Returns nerve's ``SGD``, ``Momentum`` or ``Nesterov`` (the same update rules as Keras).
    """
    rate = _rate("SGD", learning_rate, lr, 0.01)
    if nesterov:
        return no.Nesterov(rate, momentum=momentum)
    return no.Momentum(rate, momentum=momentum) if momentum else no.SGD(rate)


def Adam(learning_rate=None, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7,
         lr=None) -> no.Adam:
    """Keras's Adam (learning rate 0.001, epsilon 1e-7): nerve's ``Adam``."""
    return no.Adam(_rate("Adam", learning_rate, lr, 0.001), beta1=beta_1, beta2=beta_2, eps=epsilon)


def RMSprop(learning_rate=None, rho: float = 0.9, epsilon: float = 1e-7, lr=None) -> no.RMSprop:
    """Keras's RMSprop (learning rate 0.001, rho 0.9): nerve's ``RMSprop`` with ``decay=rho``."""
    return no.RMSprop(_rate("RMSprop", learning_rate, lr, 0.001), decay=rho, eps=epsilon)


def Adagrad(learning_rate=None, epsilon: float = 1e-7, lr=None) -> no.AdaGrad:
    """Keras's Adagrad (learning rate 0.001): nerve's ``AdaGrad``.

    NOTE: Keras starts the sum of squares at 0.1 (``initial_accumulator_value``), the book and nerve at 0, so
    the first steps are larger here.
    """
    return no.AdaGrad(_rate("Adagrad", learning_rate, lr, 0.001), eps=epsilon)


_REGISTRY = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad}


def get(identifier) -> no.Optimizer:
    """An optimizer from an instance or Keras's name ("sgd", "adam", "rmsprop", "adagrad"), with Keras's defaults."""
    if isinstance(identifier, no.Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _REGISTRY:
        return _REGISTRY[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}; expected one of {sorted(_REGISTRY)} "
                     "or an optimizer instance")
