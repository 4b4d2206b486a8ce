"""Weight averaging: an exponential moving average of the weights over training (Polyak averaging)."""

from __future__ import annotations

import contextlib

import numpy as np

from ..validation import Boolean, Interval, Real, validate_params
from .base import Callback

__all__ = ["ExponentialMovingAverage"]


class ExponentialMovingAverage(Callback):
    """Keeps ``avg ← d·avg + (1 - d)·W`` of every trainable array after each batch, and swaps it in.

    The average of the last few thousand steps is often better than the last step when training is noisy
    (dropout, small batches): Keras's ``use_ema`` and PyTorch's ``AveragedModel`` do the same. The first
    update copies the weights; after n updates the decay is ``min(decay, (1 + n) / (10 + n))`` (TensorFlow's
    rule), so early on the average follows the weights instead of remembering the initial ones.
    Non-trainable state (BatchNorm's running statistics) is left as it is.

    The average lives across ``fit`` calls; :meth:`reset` forgets it. Evaluate or save with it mid-training
    with ``with ema.swapped(): ...``.

    Args:
        decay: weight of the old average at each batch, in [0, 1).
        swap_on_end: at the end of ``fit``, write the average into the model's weights (Keras's behaviour).
    """

    @validate_params({"decay": [Interval(Real, 0, 1, closed="left")], "swap_on_end": [Boolean]})
    def __init__(self, decay: float = 0.999, swap_on_end: bool = True):
        super().__init__()
        self.decay = float(decay)
        self.swap_on_end = bool(swap_on_end)
        self.reset()

    def reset(self) -> None:
        """Forget the average; the next batch starts a new one."""
        self.average: dict[str, np.ndarray] = {}
        self.updates = 0

    def on_batch_end(self, batch, logs=None):
        params = self.model.params
        fresh = params.keys() != self.average.keys() or any(
            a.shape != params[k].shape for k, a in self.average.items())
        if fresh:
            self.average = {k: w.copy() for k, w in params.items()}
            self.updates = 0
            return
        self.updates += 1
        keep = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for k, w in params.items():
            avg = self.average[k]
            avg += (1 - keep) * (w - avg)  # = keep·avg + (1 - keep)·w

    @contextlib.contextmanager
    def swapped(self):
        """The model holds the averaged weights inside the block and its own ones again after it."""
        self._require_average()
        saved = {k: w.copy() for k, w in self.model.params.items()}
        self._write(self.average)
        try:
            yield self.model
        finally:
            self._write(saved)

    def on_train_end(self, logs=None):
        if self.swap_on_end and self.average:
            self._write(self.average)

    def _write(self, arrays: dict[str, np.ndarray]) -> None:
        for k, w in self.model.params.items():  # in place: the optimizer's state stays attached
            w[...] = arrays[k]

    def _require_average(self) -> None:
        if self.model is None or not self.average:
            raise RuntimeError("ExponentialMovingAverage: no average yet; pass it to fit(callbacks=[...]) and "
                               "train at least one batch")
