"""Sequential: a stack of layers with Keras's compile/fit/evaluate/predict and the book's forward/backward."""

from __future__ import annotations

import json
import math

import numpy as np

from . import losses, optimizers
from .backend import CPU, array_module_of, parse_device, to_device, to_numpy
from .errors import as_float_array, check_finite
from .io import load_weights, save_model, save_weights
from .layers import Container, deserialize, register
from .loss_checks import warn_if_loss_misfits
from .metrics import get as get_metric
from .regularizers import weight_decay
from .summary import summary_table
from .training.batching import Batches
from .training.step import forward_loss, loss_and_gradients, train_step
from .validation import Interval, Real, validate_params

__all__ = ["Sequential", "model_from_config", "model_from_json"]

#: predict and evaluate forward pieces of a batch whose largest activation holds about this many bytes
_PIECE_BYTES = 8 << 20


class Sequential(Container):
    """Layers applied one after another; a Sequential is itself a layer, so models nest.

    Args:
        layers: the layers, in order (more can be added with ``add``); a layer given twice shares its weights.
        input_shape: shape of one sample (without the batch axis); builds every layer now, so ``summary()``
            works before training. Without it, layers are built by the first forward.
        name: the model's name (inside another model, ``sequential_<k>`` unless given).
    """

    def __init__(self, layers=(), input_shape=None, name: str | None = None):
        super().__init__(layers, input_shape=input_shape, name=name)
        self.loss_fn: losses.Loss | None = None
        self.optimizer: optimizers.Optimizer | None = None
        self.metrics: dict = {}
        self.l1 = self.l2 = 0.0
        self.stop_training = False
        self.history = None  # the History of the last fit
        self.class_names: list[str] | None = None  # what the outputs mean; saved in model files
        self.preprocessing: dict | None = None  # how inputs were scaled (e.g. {"scale": 255}); saved too
        self.metadata: dict = {}  # what save(..., **metadata) recorded
        self.epochs_trained = 0  # completed epochs; fit advances it before on_epoch_end, save_model records it
        self.training_state = None  # a TrainingState while and after fit runs: callbacks read it

    def to(self, device) -> Sequential:
        """Move the model to ``device`` ("cpu", "cuda", "cuda:1"): parameters, gradients, state and the
        optimizer's slots; later inputs are moved there by ``forward``, and outputs of ``predict`` come back.

        Without CuPy or a GPU, "cuda" raises RuntimeError saying what to install.
        """
        device = parse_device(device)
        array_module_of(device)  # fails here, with the install hint, before anything moved
        super().to(device)
        if self.optimizer is not None:
            self.optimizer.to(device)
        return self

    # -- the book's interface -------------------------------------------------------------------------
    def forward(self, x, training: bool = False) -> np.ndarray:
        """Run every layer; ``training`` switches Dropout and BatchNorm to their training behaviour."""
        if self.device is not CPU:
            x = to_device(x, self.device)
        return super().forward(x, training=training)

    def backward(self, dout=None, input_grad: bool | None = None):
        """Backpropagate ``dout`` (default: the compiled loss's gradient); returns dL/dx (None if not needed).

        ``input_grad=False`` skips dL/dx for this call; by default it follows ``need_input_grad`` (True unless
        the model is the first layer of another).
        """
        if dout is None:
            dout = self._require("loss_fn").backward()
        if input_grad is None:
            return super().backward(dout)
        need, self.need_input_grad = self.need_input_grad, bool(input_grad)
        try:
            return super().backward(dout)
        finally:
            self.need_input_grad = need

    def loss(self, x, t, training: bool = True) -> float:
        """Forward pass plus the compiled loss (and weight decay): ``model.loss(x, t)`` as in the book."""
        return forward_loss(self, x, t, training=training).loss

    def gradient(self, x, t) -> dict[str, np.ndarray]:
        """Loss, backward and weight decay: the gradient of the loss for every parameter (``grads``)."""
        loss_and_gradients(self, x, t)
        return self.grads

    def _require(self, attr):
        value = getattr(self, attr)
        if value is None:
            raise RuntimeError("Sequential: call compile(optimizer=..., loss=...) first")
        return value

    # -- Keras's interface ----------------------------------------------------------------------------
    @validate_params({"l1": [Interval(Real, 0, None)], "l2": [Interval(Real, 0, None)]})
    def compile(self, optimizer="sgd", loss="softmax_cross_entropy", metrics=None, l1: float = 0.0,
                l2: float = 0.0) -> Sequential:
        """Choose the optimizer, loss, metrics (e.g. ["accuracy"]) and L1/L2 weight decay on weights."""
        self.optimizer = optimizers.get(optimizer)
        self.loss_fn = losses.get(loss)
        names = [metrics] if isinstance(metrics, str) or callable(metrics) else list(metrics or [])
        self.metrics = {(m if isinstance(m, str) else getattr(m, "__name__", "metric")): get_metric(m) for m in names}
        self.l1, self.l2 = float(l1), float(l2)
        warn_if_loss_misfits(self.layers, self.loss_fn)
        return self

    def fit(self, x, y=None, epochs: int = 1, batch_size: int = 32, validation_data=None, shuffle: bool = True,
            callbacks=None, verbose: int = 1, steps_per_epoch: int | None = None, initial_epoch: int = 0,
            validation_steps: int | None = None):
        """Train; returns a History. ``x`` may also be a DataLoader or any iterable of (x, y) batches.

        ``steps_per_epoch`` takes that many batches per epoch from an iterable (needed for endless ones without
        ``len()``); ``validation_data`` may be an (x, y) pair or an iterable, limited to ``validation_steps``.
        """
        from .training import fit

        return fit(self, x, y, epochs=epochs, batch_size=batch_size, validation_data=validation_data,
                   shuffle=shuffle, callbacks=callbacks, verbose=verbose, steps_per_epoch=steps_per_epoch,
                   initial_epoch=initial_epoch, validation_steps=validation_steps)

    def train_on_batch(self, x, y) -> dict[str, float]:
        """One optimizer step on one batch; returns its loss and metrics."""
        x = self.check_inputs(x, y)
        return train_step(self, x, y)

    def evaluate(self, x, y=None, batch_size: int = 256, steps: int | None = None) -> dict[str, float]:
        """Loss and metrics over every sample, in inference mode.

        ``x`` may be an iterable of (x, y) batches; ``steps`` limits how many are read (for endless ones).
        """
        loss_fn = self._require("loss_fn")
        totals, count = {}, 0
        if y is None and isinstance(x, np.ndarray):
            raise ValueError("Sequential: targets y are missing")
        if y is not None:
            x, y = self.check_inputs(x, y), np.asarray(y)
        batches = Batches(x, y, batch_size=batch_size, steps=steps, repeat=False, check=self.check_inputs,
                          where="evaluate")
        for xb, yb in batches:
            out = self._infer(xb)
            n = len(xb)
            values = {"loss": loss_fn.forward(out, yb)}
            host = to_numpy(out) if self.metrics else None  # metrics compute on the host
            values.update({k: fn(host, yb) for k, fn in self.metrics.items()})
            for k, v in values.items():
                totals[k] = totals.get(k, 0.0) + v * n
            count += n
        if not count:
            raise ValueError("evaluate: got no samples")
        result = {k: v / count for k, v in totals.items()}
        result["loss"] += weight_decay(self.layers, self.l1, self.l2, grads=False)
        return result

    def predict(self, x, batch_size: int = 256) -> np.ndarray:
        """The last layer's outputs for every sample (inference mode, batched)."""
        x = self.check_inputs(x)
        return np.concatenate([to_numpy(self._infer(x[i:i + batch_size])) for i in range(0, len(x), batch_size)])

    def _infer(self, x):
        """``forward(x, training=False)``, on the host in pieces of samples whose activations stay in cache.

        A piece's largest activation holds about ``_PIECE_BYTES``: DeepConvNet's 1000x16x28x28 (50 MB) arrays
        went to memory and back, and each one, above the allocator's 32 MB mmap threshold, was mapped and
        page-faulted anew every batch (evaluate 30 % slower than in pieces of ~150). Outputs are the same:
        inference is per sample.
        """
        if type(x) is not np.ndarray or x.ndim < 1:
            return self.forward(x, training=False)
        largest = max([math.prod(x.shape[1:])] + [math.prod(layer.output_shape) for _, layer in self.named_layers()
                                                  if layer.output_shape is not None])
        piece = max(1, _PIECE_BYTES // (largest * x.dtype.itemsize))
        if len(x) <= piece:
            return self.forward(x, training=False)
        return np.concatenate([self.forward(x[i:i + piece], training=False) for i in range(0, len(x), piece)])

    def predict_proba(self, x, batch_size: int = 256) -> np.ndarray:
        """Class probabilities: softmax/sigmoid of the outputs when the loss works on logits."""
        from .ops import sigmoid, softmax

        y = self.predict(x, batch_size)
        if isinstance(self.loss_fn, losses.SoftmaxCrossEntropy):
            return softmax(y, axis=1)
        if isinstance(self.loss_fn, losses.BinaryCrossEntropy) and self.loss_fn.from_logits:
            return sigmoid(y)
        return y

    def predict_classes(self, x, batch_size: int = 256) -> np.ndarray:
        """The most likely class of every sample."""
        p = self.predict_proba(x, batch_size)
        return (p[:, 0] > 0.5).astype(np.int64) if p.shape[1] == 1 else p.argmax(axis=1)

    # -- inputs ---------------------------------------------------------------------------------------
    def check_inputs(self, x, y=None) -> np.ndarray:
        """``x`` as a float array of samples this model takes (and as many as ``y``), or a clear error."""
        x = as_float_array(x, "Sequential: x")
        check_finite(x, "Sequential: x")
        if x.ndim < 2:
            raise ValueError(f"Sequential: expected a batch of samples (batch, ...), got shape {x.shape}")
        if y is not None and len(y) != len(x):
            raise ValueError(f"Sequential: x has {len(x)} samples but y has {len(y)}")
        if self.layers and self.layers[0].built and x.shape[1:] != self.layers[0].input_shape:
            raise ValueError(f"Sequential: expected samples of shape {self.layers[0].input_shape}, "
                             f"got {x.shape[1:]} (x has shape {x.shape})")
        return x

    # -- description ----------------------------------------------------------------------------------
    def summary(self, print_fn=print) -> str:
        """A Keras-style table of layers, output shapes and parameter counts; nested layers are indented."""
        text = summary_table(self)
        if print_fn is not None:
            print_fn(text)
        return text

    def get_config(self) -> dict:
        config = super().get_config()
        return {"class": "Sequential", "name": self.name,
                "input_shape": list(self.input_shape) if self.input_shape is not None else None,
                "layers": config["layers"]}

    @classmethod
    def from_config(cls, config: dict) -> Sequential:
        config = dict(config)
        kind = config.pop("class", "Sequential")
        if kind != "Sequential":
            raise ValueError(f"Sequential.from_config: the config is of a {kind!r}")
        return super().from_config(config)

    def to_json(self, **kwargs) -> str:
        """The architecture (no weights) as JSON; ``nerve.model_from_json`` rebuilds it."""
        return json.dumps(self.get_config(), **kwargs)

    def save(self, path, **metadata) -> None:
        """Write architecture, weights, compile settings and optimizer state to one .npz file."""
        save_model(self, path, **metadata)

    def save_weights(self, path) -> None:
        save_weights(self, path)

    def load_weights(self, path) -> None:
        load_weights(self, path)


register(Sequential)


def model_from_config(config: dict) -> Sequential:
    """Rebuild a Sequential (untrained) from ``get_config()`` output; only registered layer classes are allowed."""
    if not isinstance(config, dict) or config.get("class") != "Sequential" \
            or not isinstance(config.get("layers"), list):
        raise ValueError("model_from_config: expected a Sequential config with a 'layers' list")
    return deserialize({"class": "Sequential", "config": config}, "model_from_config")


def model_from_json(text: str) -> Sequential:
    """Rebuild a Sequential from ``to_json()`` text (architecture only, fresh weights)."""
    try:
        config = json.loads(text)
    except (TypeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(f"model_from_json: not valid JSON ({type(e).__name__}: {e})") from None
    return model_from_config(config)
