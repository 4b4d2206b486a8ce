"""``nerve.book``: the API of the book "Deep Learning from Scratch" (its ``common`` package and
``dataset.mnist``), computed by nerve's layers, losses, optimizers and kernels.

Modules carry the book's names: :mod:`~nerve.book.functions`, :mod:`~nerve.book.gradient`,
:mod:`~nerve.book.layers`, :mod:`~nerve.book.optimizer`, :mod:`~nerve.book.multi_layer_net`,
:mod:`~nerve.book.multi_layer_net_extend`, :mod:`~nerve.book.trainer`, :mod:`~nerve.book.util`, and the
chapters' :mod:`~nerve.book.two_layer_net`, :mod:`~nerve.book.simple_convnet`, :mod:`~nerve.book.deep_convnet`,
:mod:`~nerve.book.layer_naive` and :mod:`~nerve.book.mnist`. So a listing that says
``from common.layers import *`` runs with ``from nerve.book.layers import *``, and the book's own scripts run
unchanged with ``python -m nerve.book SCRIPT`` (:mod:`~nerve.book.importer`).

Parameters are float64 NumPy arrays, as in the book, whatever nerve's default dtype is; randomness
(initial weights, dropout masks, mini-batches) comes from nerve's generator, so ``nerve.seed(n)`` repeats a run.
The same ideas in nerve's own API: ``nerve.layers.Dense`` (Affine), ``nerve.losses.SoftmaxCrossEntropy``
(SoftmaxWithLoss), ``nerve.Sequential`` with ``fit`` (TwoLayerNet + Trainer).
"""

from __future__ import annotations

__all__: list[str] = []
