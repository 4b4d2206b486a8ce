"""Callback hooks and History, the record of a training run."""

from __future__ import annotations

__all__ = ["Callback", "CallbackList", "History"]


class Callback:
    """Base class; override the hooks you need. ``self.model`` is set by ``fit``.

    ``logs`` holds the current values: per batch ``loss`` and metrics, per epoch also ``val_*``.
    Set ``self.model.stop_training = True`` to stop after the current epoch.
    """

    def __init__(self):
        self.model = None

    def set_model(self, model) -> None:
        self.model = model

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...


class CallbackList(Callback):
    """Calls every callback's hook in order."""

    def __init__(self, callbacks):
        super().__init__()
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks: expected Callback instances, got {type(cb).__name__}")

    def set_model(self, model):
        for cb in self.callbacks:
            cb.set_model(model)

    def _call(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(*args)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", batch, logs)

    def overrides(self, hook: str) -> bool:
        """Does any callback here do something in ``hook``? ``fit`` skips batch hooks nobody overrides (as
        Keras does): with only History they cost more per step than a small model's update."""
        base = getattr(Callback, hook)
        # NOTE: __func__ of the bound method: a subclass's method or a function set on the instance both count
        return any(getattr(getattr(cb, hook), "__func__", None) is not base for cb in self.callbacks)


class History(Callback):
    """Per-epoch values: ``history.history["loss"]``, ``["val_accuracy"]``, ...; ``history.epoch``."""

    def __init__(self):
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"
