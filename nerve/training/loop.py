"""The training loop behind ``Sequential.fit``."""

from __future__ import annotations

import signal
import threading

import numpy as np

from ..backend import rng
from ..callbacks import CallbackList, History, ProgressBar
from ..errors import TrainingDivergedError
from ..validation import Integral, Interval, validate_params
from .step import require_compiled, train_step

__all__ = ["fit", "endless_epoch_length"]


def _array_batches(x, y, batch_size, shuffle):
    n = len(x)
    steps = -(-n // batch_size)

    def batches():
        # NOTE: one fresh permutation per epoch, last partial batch included (the book samples with replacement).
        order = rng().permutation(n) if shuffle else None
        for i in range(steps):
            if order is None:
                yield x[i * batch_size:(i + 1) * batch_size], y[i * batch_size:(i + 1) * batch_size]
            else:
                idx = order[i * batch_size:(i + 1) * batch_size]
                yield x[idx], y[idx]

    return batches, steps


def endless_epoch_length(data) -> int | None:
    """len() of an iterator that is its own iterable and knows its epoch (Keras's flow); None otherwise.

    Such iterators never raise StopIteration, so an epoch must be counted out in batches.
    """
    if not isinstance(data, np.ndarray) and iter(data) is data and hasattr(data, "__len__"):
        return len(data)
    return None


def _iterable_batches(model, data, steps_per_epoch):
    if steps_per_epoch is None:
        steps_per_epoch = endless_epoch_length(data)
    if steps_per_epoch is None:
        try:
            steps = len(data)
        except TypeError:
            steps = None

        def batches():
            for xb, yb in data:
                yield model._check_inputs(xb, yb), yb

        return batches, steps

    state = {"it": iter(data)}

    def batches():  # Keras's fit_generator: the iterator carries on across epochs
        for _ in range(steps_per_epoch):
            try:
                xb, yb = next(state["it"])
            except StopIteration:
                state["it"] = iter(data)
                try:
                    xb, yb = next(state["it"])
                except StopIteration:
                    raise ValueError("fit: the data iterable yields no batches") from None
            yield model._check_inputs(xb, yb), yb

    return batches, steps_per_epoch


class _StopOnInterrupt:
    """Turns the first Ctrl-C into a request to stop after the current batch; a second one aborts."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


@validate_params({"epochs": [Interval(Integral, 1, None)], "batch_size": [Interval(Integral, 1, None)],
                  "steps_per_epoch": [None, Interval(Integral, 1, None)],
                  "initial_epoch": [Interval(Integral, 0, None)]})
def fit(model, x, y=None, *, epochs=1, batch_size=32, validation_data=None, shuffle=True, callbacks=None,
        verbose=1, steps_per_epoch=None, initial_epoch=0, validation_steps=None) -> History:
    """Train ``model`` for ``epochs`` epochs; see ``Sequential.fit``."""
    require_compiled(model, "fit")
    epochs = int(epochs)
    batch_size = int(batch_size)
    if steps_per_epoch is not None:
        steps_per_epoch = int(steps_per_epoch)
    if not isinstance(initial_epoch, int) or not 0 <= initial_epoch < epochs:
        raise ValueError(f"fit: `initial_epoch` must be in [0, epochs={epochs}), got {initial_epoch!r}")

    if y is not None or isinstance(x, np.ndarray):
        if y is None:
            raise ValueError("fit: targets y are missing (pass y, or an iterable of (x, y) batches as x)")
        x = model._check_inputs(x, y)
        y = np.asarray(y)
        if not model.built:
            model.build(x.shape[1:])
        model.loss_fn.check_targets(y, model.output_shape)  # bad labels fail before any update
        batches, steps = _array_batches(x, y, batch_size, shuffle)
    else:
        batches, steps = _iterable_batches(model, x, steps_per_epoch)

    history = History()
    progress = [ProgressBar()] if verbose else []
    # History and the bar come last, so they see what user callbacks add to the logs (e.g. the lr)
    cbs = CallbackList([*(callbacks or []), history, *progress])
    cbs.set_model(model)
    model.history = history
    model.stop_training = False
    model._fit_state = {"epochs": epochs, "steps": steps, "running": {}}
    history.interrupted = False

    with _StopOnInterrupt() as interrupt:
        cbs.on_train_begin()
        try:
            for epoch in range(initial_epoch, epochs):
                cbs.on_epoch_begin(epoch)
                sums, count = {}, 0
                for b, (xb, yb) in enumerate(batches()):
                    cbs.on_batch_begin(b, {"size": len(xb)})
                    try:
                        logs = train_step(model, xb, yb)
                    except TrainingDivergedError as e:
                        raise TrainingDivergedError(
                            f"fit: {e} at epoch {epoch + 1}, batch {b + 1}; the weights are those before this "
                            f"step. Try a lower learning rate (now {model.optimizer.current_lr:g})") from None
                    n = len(xb)
                    count += n
                    for k, v in logs.items():
                        sums[k] = sums.get(k, 0.0) + v * n
                    model._fit_state["running"] = {k: v / count for k, v in sums.items()}
                    cbs.on_batch_end(b, logs)
                    if interrupt.requested or model.stop_training:
                        break
                epoch_logs = dict(model._fit_state["running"])
                if validation_data is not None and not interrupt.requested:
                    val = model.evaluate(*_split_validation(validation_data), steps=validation_steps)
                    epoch_logs.update({f"val_{k}": v for k, v in val.items()})
                model.epochs_trained = epoch + 1  # before the callbacks: a checkpoint records this epoch
                cbs.on_epoch_end(epoch, epoch_logs)
                if model.stop_training or interrupt.requested:
                    break
        except BaseException:
            for cb in progress:
                cb.on_train_end()
            raise
        history.interrupted = interrupt.requested
        if interrupt.requested and verbose:
            print(f"Interrupted: stopped after epoch {epoch + 1}, batch {b + 1}.")
        cbs.on_train_end()
    return history


def _split_validation(validation_data):
    if isinstance(validation_data, tuple) and len(validation_data) == 2:
        return validation_data
    return validation_data, None
