"""The book's ``common.optimizer``: ``SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam`` with ``update(params,
grads)``, the book's constructor arguments, and nerve's update rules (:mod:`nerve.optimizers`).

Like the book's, ``update`` changes the arrays of ``params`` in place, walks the keys of ``params`` (extra keys
in ``grads`` are ignored) and also accepts plain numbers as parameters (chapter 6's 2-D comparison), which it
replaces by their updated values. Differences, on purpose:

* ``Nesterov`` is the usual look-ahead form (W += momentum·v - lr·g). The book's line uses the new ``v`` where the
  formula it follows needs the old one, so its step is not Nesterov's.
* ``Adam`` adds its eps (1e-7, the book's) to √v̂ of the bias-corrected v̂ (Kingma & Ba); the book adds it
  to √v, which differs only while v is tiny.
"""

from __future__ import annotations

import numpy as np

from .. import optimizers as nopt

# "np": the book's modules have no __all__, so its scripts get numpy from their star imports
__all__ = ["np", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"]


class _BookUpdate:
    """The book's ``update`` contract on top of a nerve optimizer's."""

    def update(self, params, grads):
        arrays = {}
        for key, value in params.items():
            if not isinstance(value, np.ndarray):  # a plain number: updated in a 0-d array, written back
                value = np.array(value, dtype=np.float64)
            arrays[key] = value
        super().update(arrays, {key: np.asarray(grads[key]) for key in arrays})
        for key, value in arrays.items():
            if value is not params[key]:
                params[key] = value[()]


class SGD(_BookUpdate, nopt.SGD):
    """W ← W - lr·g."""

    def __init__(self, lr=0.01):
        super().__init__(lr)


class Momentum(_BookUpdate, nopt.Momentum):
    """v ← momentum·v - lr·g;  W ← W + v."""

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr, momentum)


class Nesterov(_BookUpdate, nopt.Nesterov):
    """v ← momentum·v - lr·g;  W ← W + momentum·v - lr·g (see the module docstring)."""

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr, momentum)


class AdaGrad(_BookUpdate, nopt.AdaGrad):
    """h ← h + g²;  W ← W - lr·g / (√h + 1e-7)."""

    def __init__(self, lr=0.01):
        super().__init__(lr, eps=1e-7)


class RMSprop(_BookUpdate, nopt.RMSprop):
    """h ← decay_rate·h + (1 - decay_rate)·g²;  W ← W - lr·g / (√h + 1e-7)."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        super().__init__(lr, decay=decay_rate, eps=1e-7)
        self.decay_rate = self.decay


class Adam(_BookUpdate, nopt.Adam):
    """Adam with the book's defaults (lr 0.001, beta1 0.9, beta2 0.999; see the module docstring)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        super().__init__(lr, beta1=beta1, beta2=beta2, eps=1e-7)
