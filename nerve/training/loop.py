"""The training loop behind ``Sequential.fit``."""

from __future__ import annotations

import signal
import threading

import numpy as np

from ..backend import batch_shard
from ..callbacks import CallbackList, History, ProgressBar
from ..errors import TrainingDivergedError
from ..validation import Integral, Interval, check_param, validate_params
from .batching import Batches
from .state import TrainingState
from .step import require_compiled, train_step

__all__ = ["fit"]


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
    check_param("fit", "initial_epoch", initial_epoch, Interval(Integral, 0, epochs, closed="left"))

    if isinstance(x, Batches):  # e.g. one shard of every batch, for data-parallel training
        batches = x
    elif y is not None or isinstance(x, np.ndarray):
        if y is None:
            raise ValueError("fit: targets y are missing (pass y, or an iterable of (x, y) batches as x)")
        x = model.check_inputs(x, y)
        y = np.asarray(y)
        if not model.built:
            model.build(x.shape[1:])
        model.loss_fn.check_targets(y, model.output_shape)  # bad labels fail before any update
        batches = Batches(x, y, batch_size=batch_size, shuffle=shuffle)
    else:
        batches = Batches(x, steps=steps_per_epoch, check=model.check_inputs)

    history = History()
    progress = [ProgressBar()] if verbose else []
    # History and the bar come last, so they see what user callbacks add to the logs (e.g. the lr)
    cbs = CallbackList([*(callbacks or []), history, *progress])
    cbs.set_model(model)
    model.history = history
    model.stop_training = False
    state = model.training_state = TrainingState(epochs, batches.steps, initial_epoch=initial_epoch)
    history.interrupted = False

    batch_begin, batch_end = cbs.overrides("on_batch_begin"), cbs.overrides("on_batch_end")
    with _StopOnInterrupt() as interrupt:
        cbs.on_train_begin()
        try:
            for epoch in range(initial_epoch, epochs):
                state.begin_epoch(epoch)
                cbs.on_epoch_begin(epoch)
                for b, (xb, yb) in enumerate(batches):
                    if batch_begin:
                        cbs.on_batch_begin(b, {"size": len(xb)})
                    try:
                        if batches.shard is None:
                            logs = train_step(model, xb, yb)
                        else:  # one part of a global batch: Dropout draws for the whole batch, keeps its rows
                            with batch_shard(batches.shard):
                                logs = train_step(model, xb, yb)
                    except TrainingDivergedError as e:
                        raise TrainingDivergedError(
                            f"fit: {e} at epoch {epoch + 1}, batch {b + 1}; the weights are those before this "
                            f"step. Try a lower learning rate (now {model.optimizer.current_lr:g})") from None
                    state.record_batch(logs, len(xb))
                    if batch_end:
                        cbs.on_batch_end(b, logs)
                    if interrupt.requested or model.stop_training:
                        break
                epoch_logs = dict(state.running_logs)
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
            model.release_buffers()
            raise
        history.interrupted = interrupt.requested
        if interrupt.requested and verbose:
            print(f"Interrupted: stopped after epoch {epoch + 1}, batch {b + 1}.")
        cbs.on_train_end()
    model.release_buffers()  # the layers' work arrays (patch buffers) are not kept between fits
    return history


def _split_validation(validation_data):
    if isinstance(validation_data, tuple) and len(validation_data) == 2:
        return validation_data
    return validation_data, None
