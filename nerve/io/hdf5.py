"""Weights in Keras's HDF5 layout (``model.save_weights('x.h5')``), written and read with h5py.

The layout is Keras's legacy one, which Keras 2 and Keras 3 both load with ``model.load_weights('x.h5')``:
root attributes ``layer_names`` / ``backend`` / ``keras_version``, one group per layer with a ``weight_names``
attribute, and datasets ``<layer>/<layer>/kernel:0``, ``bias:0`` (BatchNormalization: ``gamma:0``, ``beta:0``,
``moving_mean:0``, ``moving_variance:0``). Keras matches layers by order, not by name; so does this reader.
Kernels are stored in Keras's shapes: Dense (in, units) as nerve has it, Conv2D (kh, kw, in, filters), the
transpose of nerve's (filters, in, kh, kw).

A nerve.keras model flattens channels-last like Keras, so its file loads into the same Keras architecture; a
plain nerve model flattens channels-first, the order of a Keras model built with ``data_format='channels_first'``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["HDF5_SUFFIXES", "is_hdf5", "save_weights_h5", "load_weights_h5", "keras_weights"]

_KERAS_VERSION = "2.15.0"  # the legacy layout's version stamp; Keras 3 reads it too
HDF5_SUFFIXES = (".h5", ".hdf5", ".keras")


def is_hdf5(path) -> bool:
    """True for the names Keras gives HDF5 (and .keras) files."""
    return Path(path).suffix.lower() in HDF5_SUFFIXES


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError("writing or reading .h5 weights needs h5py: pip install 'nerve[hdf5]'; "
                          "or use an .npz name, nerve's own format") from None
    return h5py


def keras_weights(layer) -> list[tuple[str, str]]:
    """(Keras's weight name, the layer's own key) pairs in Keras's order: trainable, then non-trainable."""
    names = {"W": "kernel", "b": "bias", "running_mean": "moving_mean", "running_var": "moving_variance"}
    keys = [*layer.params, *layer.state]
    return [(names.get(k, k), k) for k in keys]


def _to_keras(array: np.ndarray) -> np.ndarray:
    # Conv2D kernel: (FN, C, kh, kw) -> (kh, kw, C, FN)
    return array.transpose(2, 3, 1, 0) if array.ndim == 4 else array


def _from_keras(array: np.ndarray) -> np.ndarray:
    # Conv2D kernel: (kh, kw, C, FN) -> (FN, C, kh, kw)
    return array.transpose(3, 2, 0, 1) if array.ndim == 4 else array


def _bytes(names: list[str]) -> np.ndarray:
    """Names as a fixed-length bytes array, the attribute type Keras writes and reads."""
    encoded = [n.encode("utf8") for n in names]
    return np.asarray(encoded, dtype=f"S{max([1, *map(len, encoded)])}")


def _weighted_layers(model) -> list:
    return [lyr for lyr in model.layers if lyr.params or lyr.state]


def _array(layer, key: str) -> np.ndarray:
    return layer.params[key] if key in layer.params else layer.state[key]


def save_weights_h5(model, path) -> None:
    """Write every layer's weights in Keras's HDF5 layout, atomically (a temporary file renamed into place)."""
    h5py = _h5py()
    if not model.built:
        raise ValueError("save_weights: the model is not built yet; give it input_shape or train it first")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            layers = model.layers  # layers without weights get an empty group, as in Keras
            f.attrs["layer_names"] = _bytes([lyr.name for lyr in layers])
            f.attrs["backend"] = b"numpy"
            f.attrs["keras_version"] = _KERAS_VERSION.encode("utf8")
            for lyr in layers:
                group = f.create_group(lyr.name)
                pairs = keras_weights(lyr)
                names = [f"{lyr.name}/{keras_name}:0" for keras_name, _ in pairs]
                group.attrs["weight_names"] = _bytes(names)
                for name, (_, key) in zip(names, pairs):
                    group.create_dataset(name, data=_to_keras(_array(lyr, key)))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _names(attrs, key: str) -> list[str]:
    return [n.decode("utf8") if isinstance(n, bytes) else str(n) for n in attrs.get(key, [])]


def load_weights_h5(model, path) -> None:
    """Load Keras-layout HDF5 weights (Keras's or ours) into a built model of the same architecture.

    Layers with weights are matched in order, as Keras does; every shape is checked before anything is assigned.
    """
    h5py = _h5py()
    where = "load_weights"
    if not Path(path).is_file():
        raise FileNotFoundError(f"{where}: no such file: {path}")
    if not model.built:
        raise ValueError(f"{where}: the model is not built yet; give it input_shape first")
    with h5py.File(path, "r") as f:
        if "layer_names" not in f.attrs and "model_weights" in f:
            f = f["model_weights"]  # a whole-model file from Keras's model.save
        stored = [(name, _names(f[name].attrs, "weight_names")) for name in _names(f.attrs, "layer_names")]
        stored = [(name, weights) for name, weights in stored if weights]
        targets = _weighted_layers(model)
        if len(stored) != len(targets):
            raise ValueError(f"{where}: {path} holds weights for {len(stored)} layers "
                             f"({[n for n, _ in stored]}), the model has {len(targets)} "
                             f"({[lyr.name for lyr in targets]})")
        updates = []
        for (name, weights), lyr in zip(stored, targets):
            pairs = keras_weights(lyr)
            if len(weights) != len(pairs):
                raise ValueError(f"{where}: layer {name!r} of {path} has {len(weights)} weights {weights}, "
                                 f"layer {lyr.name!r} expects {len(pairs)} ({[k for k, _ in pairs]})")
            for weight, (_, key) in zip(weights, pairs):
                value = _from_keras(np.asarray(f[name][weight]))
                target = _array(lyr, key)
                if value.shape != target.shape:
                    raise ValueError(f"{where}: {name}/{weight} in {path} has shape {value.shape} (nerve's layout), "
                                     f"layer {lyr.name!r} expects {key} of shape {target.shape}")
                updates.append((target, value))
    for target, value in updates:
        target[...] = value
