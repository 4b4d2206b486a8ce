"""Keras's ``Sequential``: nerve's model with Keras's defaults, channels-last images and the generator methods."""

from __future__ import annotations

import itertools

import numpy as np

from ..callbacks import Callback
from ..model import Sequential as NerveSequential
from . import losses, optimizers
from .base import ToChannelsFirst
from .layers import Flatten

__all__ = ["Sequential", "load_model", "model_from_json"]


def _data_format(layers) -> str:
    """The one data_format of the model's image layers (Keras's default: channels_last)."""
    formats = {lyr.data_format for lyr in layers if getattr(lyr, "data_format", None) and not isinstance(lyr, Flatten)}
    if len(formats) > 1:
        raise ValueError(f"Sequential: the layers mix data formats {sorted(formats)}; nerve.keras needs one per model")
    return formats.pop() if formats else "channels_last"


class _Validation(Callback):
    """Adds ``val_<metric>`` to each epoch's logs from ``validation_data`` (arrays (x, y) or a generator)."""

    def __init__(self, data, steps):
        super().__init__()
        self.data, self.steps = data, steps

    def on_epoch_end(self, epoch, logs=None):
        x, y = self.data if isinstance(self.data, tuple) and len(self.data) == 2 else (self.data, None)
        result = self.model.evaluate(x, y, steps=self.steps, return_dict=True)
        if logs is not None:
            logs.update({f"val_{k}": v for k, v in result.items()})


class Sequential(NerveSequential):
    """Keras's Sequential on nerve's engine.

    Image input is channels-last by default, as in Keras (``input_shape=(224, 224, 3)``): the model turns it
    channels-first once, in a :class:`~nerve.keras.base.ToChannelsFirst` layer in front, and nerve's layers
    compute channels-first. ``count_params()`` and ``summary()`` count like Keras (BatchNormalization's moving
    statistics included, as non-trainable). ``save_weights('x.h5')`` writes Keras's HDF5 layout (needs h5py),
    which Keras's ``load_weights`` reads for the same architecture.
    """

    def __init__(self, layers=None, name: str = "sequential"):
        super().__init__(layers or (), name=name)

    # -- structure ------------------------------------------------------------------------------------
    def add(self, layer) -> Sequential:
        """Append a layer; a first layer with ``input_shape=`` builds the model."""
        if isinstance(layer, Flatten) and layer.data_format is None:
            layer.data_format = self.data_format
        super().add(layer)
        shape = getattr(layer, "keras_input_shape", None)
        if len(self.layers) == 1 and shape is not None:
            self.build(shape)
        return self

    @property
    def data_format(self) -> str:
        return _data_format(self.layers)

    def build(self, input_shape) -> None:
        """Build for one sample of ``input_shape`` (channels-last images get a ToChannelsFirst layer in front)."""
        shape = tuple(int(d) for d in input_shape)
        fmt = self.data_format
        for layer in self.layers:
            if isinstance(layer, Flatten) and layer.data_format is None:
                layer.data_format = fmt
        first = self.layers[0] if self.layers else None
        if len(shape) == 3 and fmt == "channels_last" and not isinstance(first, ToChannelsFirst):
            self.layers.insert(0, ToChannelsFirst(name="to_channels_first"))
        super().build(shape)

    def forward(self, x, training: bool = False) -> np.ndarray:
        if self.layers and not self.built:
            self.build(np.shape(x)[1:])
        return super().forward(x, training=training)

    __call__ = forward

    def count_params(self) -> int:
        """Every weight, as Keras counts: trainable plus non-trainable (BatchNormalization's moving statistics)."""
        return super().count_params() + sum(int(v.size) for v in self.state.values())

    # -- training -------------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs) -> Sequential:
        """Keras's compile: optimizer and loss by Keras's names ("sgd", "categorical_crossentropy", ...)."""
        if loss is None:
            raise ValueError("compile: `loss` is required, e.g. loss='categorical_crossentropy'")
        return super().compile(optimizer=optimizers.get(optimizer), loss=losses.get(loss), metrics=metrics, **kwargs)

    def fit(self, x=None, y=None, batch_size=None, epochs: int = 1, verbose: int = 1, callbacks=None,
            validation_data=None, shuffle: bool = True, initial_epoch: int = 0, steps_per_epoch=None,
            validation_steps=None):
        """Keras's fit (batch_size 32 unless given); ``x`` may be arrays or a generator of (x, y) batches."""
        if validation_data is not None:
            # NOTE: nerve's loop reads evaluate()'s dict; this model's evaluate answers Keras's list, so the
            # validation runs in a callback placed first, whose val_* logs History and the rest then see
            callbacks = [_Validation(validation_data, validation_steps), *(callbacks or [])]
        return super().fit(x, y, epochs=epochs, batch_size=batch_size or 32, shuffle=shuffle, callbacks=callbacks,
                           verbose=verbose, steps_per_epoch=steps_per_epoch, initial_epoch=initial_epoch)

    def fit_generator(self, generator, steps_per_epoch=None, epochs: int = 1, verbose: int = 1, callbacks=None,
                      validation_data=None, validation_steps=None, initial_epoch: int = 0, **_ignored):
        """Train on batches from ``generator`` (e.g. ``flow_from_directory``); returns a History."""
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs, verbose=verbose,
                        callbacks=callbacks, validation_data=validation_data, validation_steps=validation_steps,
                        initial_epoch=initial_epoch)

    def evaluate(self, x=None, y=None, batch_size=None, verbose: int = 0, steps=None, return_dict: bool = False):
        """Keras's evaluate: the loss, or [loss, *metrics] when compiled with metrics (a dict with return_dict)."""
        result = super().evaluate(x, y, batch_size=batch_size or 32, steps=steps)
        if return_dict:
            return result
        return result["loss"] if len(result) == 1 else list(result.values())

    def evaluate_generator(self, generator, steps=None, **_ignored):
        """Loss (and metrics) over ``steps`` batches of ``generator`` (one epoch of a Keras iterator by default)."""
        return self.evaluate(generator, steps=steps)

    def predict(self, x, batch_size=None, verbose: int = 0, steps=None) -> np.ndarray:
        """Outputs for an array, or for the batches of a generator (``steps`` of them; x or (x, y) items)."""
        if isinstance(x, np.ndarray) or isinstance(x, (list, tuple)):
            return super().predict(np.asarray(x), batch_size=batch_size or 32)
        from ..training import endless_epoch_length

        steps = steps if steps is not None else endless_epoch_length(x)
        batches = iter(x) if steps is None else itertools.islice(iter(x), steps)
        outs = [self.forward(self.check_inputs(b[0] if isinstance(b, tuple) else b)) for b in batches]
        if not outs:
            raise ValueError("predict: the generator yielded no batches")
        return np.concatenate(outs)

    def predict_generator(self, generator, steps=None, **_ignored) -> np.ndarray:
        """Outputs for ``steps`` batches of ``generator``."""
        return self.predict(generator, steps=steps)

    # -- description ----------------------------------------------------------------------------------
    def summary(self, print_fn=print) -> str:
        """Keras's table: output shapes in the model's data format, Total/Trainable/Non-trainable params."""
        channels_last = self.data_format == "channels_last"
        rows = []
        for lyr in self.layers:
            if isinstance(lyr, ToChannelsFirst):
                continue
            shape = lyr.output_shape
            if shape is not None and channels_last and len(shape) == 3:
                shape = (*shape[1:], shape[0])  # (C, H, W) -> (H, W, C), as Keras shows it
            n = lyr.count_params() + sum(int(v.size) for v in lyr.state.values())
            rows.append((f"{lyr.name} ({type(lyr).__name__})", str((None, *shape)) if shape else "?", f"{n:,}"))
        head = ("Layer (type)", "Output Shape", "Param #")
        widths = [max(len(r[i]) for r in [head, *rows]) + 3 for i in range(3)]
        line = "─" * sum(widths)

        def fmt(r):
            return "".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()

        trainable = super().count_params()
        text = "\n".join([f'Model: "{self.name}"', line, fmt(head), line, *map(fmt, rows), line,
                          f"Total params: {self.count_params():,}", f"Trainable params: {trainable:,}",
                          f"Non-trainable params: {self.count_params() - trainable:,}", line])
        if print_fn is not None:
            print_fn(text)
        return text


def _as_keras(model: NerveSequential) -> Sequential:
    """A nerve Sequential read from a file, as this module's Sequential (which adds methods, no state)."""
    model.__class__ = Sequential
    return model


def model_from_json(text: str) -> Sequential:
    """Rebuild a model (fresh weights) from ``model.to_json()``, as Keras's ``model_from_json``."""
    from ..model import model_from_json as nerve_model_from_json

    return _as_keras(nerve_model_from_json(text))


def load_model(path, compile: bool = True) -> Sequential:
    """A model saved with ``model.save('m.npz')``: architecture, weights, compile settings, optimizer state.

    nerve writes whole models as .npz, not HDF5; .h5 files hold weights only (``load_weights``).
    """
    from ..io import load_model as nerve_load_model
    from ..io.hdf5 import is_hdf5

    if is_hdf5(path):
        raise ValueError(f"load_model: {str(path)!r} is HDF5; nerve saves whole models as .npz (model.save('m.npz')). "
                         "For Keras-layout .h5 weights build the model and call model.load_weights(path)")
    return _as_keras(nerve_load_model(path, compile=compile))
