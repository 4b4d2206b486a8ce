"""What the book's networks share: a stack of the book's layers and a last layer, ``params`` keyed W1, b1, ...,
``predict/loss/accuracy/numerical_gradient/gradient`` and ``save_params/load_params`` (NumPy ``.npz``)."""

from __future__ import annotations

import io

import numpy as np

from .. import backend, initializers
from .gradient import numerical_gradient
from .layers import BatchNormalization, Dropout

__all__ = ["LayerNet", "init_weight", "scale_for"]


def init_weight(scale, shape) -> np.ndarray:
    """``scale · N(0, 1)`` in float64 (the book's ``weight_init_std * np.random.randn``), from nerve's generator."""
    with backend.default_dtype(np.float64):
        return initializers.Normal(1.0)(tuple(int(d) for d in shape)) * float(scale)


def scale_for(weight_init_std, fan_in: int) -> float:
    """The std of a weight: 'relu'/'he' -> √(2/fan_in), 'sigmoid'/'xavier' -> √(1/fan_in), else the number."""
    name = str(weight_init_std).lower()
    if name in ("relu", "he"):
        return float(np.sqrt(2.0 / fan_in))
    if name in ("sigmoid", "xavier"):
        return float(np.sqrt(1.0 / fan_in))
    return float(weight_init_std)


class LayerNet:
    """Base of the book's networks. A subclass fills ``params``, ``layers`` (an OrderedDict or a list),
    ``last_layer`` and ``grad_sources`` (parameter key -> (layer, gradient attribute), e.g. "W1" -> (Affine1,
    "dW")). ``weight_decay_lambda`` adds ½·λ·ΣW² to the loss and λ·W to the gradient of every "W" key.
    """

    weight_decay_lambda = 0
    #: ``loss`` runs the layers in training mode by default (the book's DeepConvNet does)
    loss_in_training = False

    def _layer_list(self):
        return list(self.layers.values()) if isinstance(self.layers, dict) else list(self.layers)

    def predict(self, x, train_flg=False):
        for layer in self._layer_list():
            if isinstance(layer, (Dropout, BatchNormalization)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def loss(self, x, t, train_flg=None):
        """The last layer's loss (cross-entropy) plus the weight decay."""
        y = self.predict(x, self.loss_in_training if train_flg is None else train_flg)
        decay = 0.0
        if self.weight_decay_lambda:
            decay = sum(0.5 * self.weight_decay_lambda * np.sum(W ** 2) for key, W in self.params.items()
                        if key.startswith("W"))
        return self.last_layer.forward(y, t) + decay

    def accuracy(self, x, t, batch_size=100):
        """Fraction of samples whose largest output is the label, predicted ``batch_size`` at a time.

        NOTE: every sample counts; the book's batched version skips the last partial batch (and returns 0
        for fewer than ``batch_size`` samples) but still divides by all of them.
        """
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        correct = 0
        for i in range(0, x.shape[0], batch_size):
            y = self.predict(x[i:i + batch_size], train_flg=False)
            correct += int(np.sum(np.argmax(y, axis=1) == t[i:i + batch_size]))
        return correct / x.shape[0]

    def numerical_gradient(self, x, t):
        """Gradients of the training loss by central differences, one parameter entry at a time (slow).

        Dropout masks are the same in every evaluation (nerve's generator is rewound before each one), so
        the result can be compared with ``gradient`` run from the same generator state.
        """
        state = backend.get_rng_state()

        def loss_W(_W):
            backend.set_rng_state(state)
            return self.loss(x, t, train_flg=True)

        return {key: numerical_gradient(loss_W, value) for key, value in self.params.items()}

    def gradient(self, x, t):
        """Gradients by backpropagation: forward in training mode, then every layer's backward in reverse."""
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(self._layer_list()):
            dout = layer.backward(dout)
        grads = {}
        for key in self.params:
            layer, attr = self.grad_sources[key]
            grads[key] = getattr(layer, attr)
            if self.weight_decay_lambda and key.startswith("W"):
                grads[key] = grads[key] + self.weight_decay_lambda * self.params[key]
        return grads

    def save_params(self, file_name="params.pkl"):
        """Write ``params`` to ``file_name`` as a NumPy ``.npz`` archive (whatever the name says; never a pickle)."""
        buffer = io.BytesIO()
        np.savez(buffer, **self.params)
        with open(file_name, "wb") as f:
            f.write(buffer.getvalue())

    def load_params(self, file_name="params.pkl"):
        """Read parameters written by :meth:`save_params` into the existing arrays (the layers keep them)."""
        try:
            with np.load(file_name, allow_pickle=False) as data:
                loaded = {key: data[key] for key in data.files}
        except ValueError as e:
            raise ValueError(f"load_params: {file_name} is not a NumPy .npz archive ({e}); nerve never unpickles "
                             "files. Save parameters with save_params (or np.savez)") from None
        for key, value in loaded.items():
            if key not in self.params or self.params[key].shape != value.shape:
                expected = self.params[key].shape if key in self.params else "no such parameter"
                raise ValueError(f"load_params: {file_name} has {key} of shape {value.shape}; this network "
                                 f"expects {expected}")
            self.params[key][...] = value
