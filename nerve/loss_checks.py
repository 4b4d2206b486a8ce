"""A compile-time check that the loss fits what the model outputs (probabilities or logits)."""

from __future__ import annotations

import warnings

from . import losses
from .layers import Layer, Sigmoid, Softmax

__all__ = ["output_kind", "warn_if_loss_misfits"]


def _last_layer(layers) -> Layer | None:
    layer = layers[-1] if layers else None
    while layer is not None and hasattr(layer, "layers"):  # a nested model: its own last layer
        layer = layer.layers[-1] if layer.layers else None
    return layer


def output_kind(layers) -> str:
    """What the last layer gives: "softmax" (probabilities per row), "sigmoid" (each in (0, 1)) or "scores"."""
    layer = _last_layer(layers)
    activation = getattr(layer, "activation", None)  # nerve.keras layers carry a fused activation layer
    if isinstance(activation, Layer):
        layer = activation
    if isinstance(layer, Softmax):
        return "softmax"
    if isinstance(layer, Sigmoid):
        return "sigmoid"
    return "scores"


def warn_if_loss_misfits(layers, loss: losses.Loss) -> bool:
    """Warn (once, at compile) when ``loss`` expects probabilities and gets logits, or the other way round.

    Returns True if it warned. Models that are still empty are not checked.
    """
    if not layers:
        return False
    kind = output_kind(layers)
    last = _last_layer(layers)
    where = f"the model's last layer {last.name or type(last).__name__!r} ({type(last).__name__})"
    message = None
    if type(loss) is losses.CrossEntropy and kind != "softmax":
        message = (f"{type(loss).__name__} (Keras's 'categorical_crossentropy') expects probabilities, but {where} "
                   f"outputs {'sigmoids' if kind == 'sigmoid' else 'unbounded scores (logits)'}. Add "
                   "Activation('softmax') as the last layer, or use loss='softmax_cross_entropy' on logits.")
    elif isinstance(loss, losses.SoftmaxCrossEntropy) and kind == "softmax":
        message = (f"SoftmaxCrossEntropy applies softmax itself and expects logits, but {where} already outputs "
                   "softmax probabilities (softmax would be applied twice). Remove the Softmax, or use "
                   "loss='categorical_crossentropy'.")
    elif isinstance(loss, losses.BinaryCrossEntropy) and not loss.from_logits and kind == "scores":
        message = (f"BinaryCrossEntropy expects probabilities in (0, 1), but {where} outputs unbounded scores "
                   "(logits). Add Activation('sigmoid'), or use BinaryCrossEntropy(from_logits=True).")
    elif isinstance(loss, losses.BinaryCrossEntropy) and loss.from_logits and kind != "scores":
        message = (f"BinaryCrossEntropy(from_logits=True) expects logits, but {where} outputs {kind} "
                   "probabilities. Remove that activation, or use from_logits=False.")
    if message is None:
        return False
    warnings.warn(f"compile: the loss does not fit the output: {message}", UserWarning, stacklevel=3)
    return True
