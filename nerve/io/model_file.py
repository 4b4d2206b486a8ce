"""The model file format: a JSON document (``__nerve__``) plus ``params/``, ``state/`` and ``optimizer/`` arrays."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from ..layers import deserialize
from .hdf5 import is_hdf5, load_weights_h5, save_weights_h5
from .npz import atomic_savez, read_npz

__all__ = ["FORMAT_VERSION", "save_model", "load_model", "save_weights", "load_weights", "read_document"]

FORMAT_VERSION = 1
_DOC = "__nerve__"
_MAX_DOC_BYTES = 64 << 20
_MAX_DEPTH = 64  # a real document nests a few levels (a nested model a few more); deeper ones are forged


# -- writing ----------------------------------------------------------------------------------------------
def _encode(doc: dict, where: str) -> np.ndarray:
    try:
        text = json.dumps(doc, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: metadata must be plain JSON values (str, number, list, dict), {e}") from None
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _model_arrays(model) -> dict[str, np.ndarray]:
    arrays = {f"params/{k}": v for k, v in model.params.items()}
    arrays.update({f"state/{k}": v for k, v in model.state.items()})
    return arrays


def _manifest(arrays: dict[str, np.ndarray]) -> dict:
    return {k: {"shape": list(v.shape), "dtype": str(v.dtype)} for k, v in arrays.items()}


def _optimizer_doc(optimizer) -> tuple[dict, dict[str, np.ndarray]]:
    from .. import schedules

    lr = optimizer.lr
    optimizer.lr = 1.0  # get_config without the schedule; it is serialised below
    try:
        config = optimizer.get_config()
    finally:
        optimizer.lr = lr
    config["lr"] = lr
    if callable(lr):
        try:
            config["lr"] = schedules.serialize(lr)
        except ValueError as e:
            config["lr"] = optimizer.current_lr
            warnings.warn(f"save_model: the learning-rate schedule is not saved ({e}); the file keeps the "
                          f"current rate {config['lr']:g}", UserWarning, stacklevel=4)
    state = optimizer.state_dict()
    arrays = {f"optimizer/{slot}/{key}": v for slot, per in state["slots"].items() for key, v in per.items()}
    return {"class": type(optimizer).__name__, "config": config, "iterations": int(state["iterations"])}, arrays


def _compile_doc(model) -> tuple[dict, dict[str, np.ndarray]]:
    from .. import metrics

    names = []
    for name in model.metrics:
        try:
            metrics.get(name)
            names.append(name)
        except ValueError:
            warnings.warn(f"save_model: custom metric {name!r} is not saved", UserWarning, stacklevel=4)
    optimizer, arrays = _optimizer_doc(model.optimizer)
    loss = {"class": type(model.loss_fn).__name__, "config": model.loss_fn.get_config()}
    return {"loss": loss, "optimizer": optimizer, "metrics": names, "l1": model.l1, "l2": model.l2}, arrays


def save_model(model, path, *, class_names=None, preprocessing=None, **metadata) -> None:
    """Write architecture, weights, compile settings, optimizer state, class names, preprocessing and
    ``metadata`` to one .npz file, atomically."""
    from .. import __version__
    from ..backend import get_rng_state

    if is_hdf5(path):
        raise ValueError(f"save_model: nerve writes whole models as .npz, not HDF5; got {str(path)!r}. Use a .npz "
                         "name (nerve.load_model reads it back), or save_weights('....h5') for Keras's weights layout")
    if not model.built:
        raise ValueError("save_model: the model is not built yet; give it input_shape or train it first")
    class_names = class_names if class_names is not None else getattr(model, "class_names", None)
    preprocessing = preprocessing if preprocessing is not None else getattr(model, "preprocessing", None)
    if class_names is not None:
        class_names = [str(c) for c in class_names]
    epochs = getattr(model, "epochs_trained", 0)
    doc = {"format": "nerve.model", "format_version": FORMAT_VERSION, "nerve_version": __version__,
           "model": model.get_config(), "input_shape": list(model.input_shape), "class_names": class_names,
           "preprocessing": preprocessing, "metadata": metadata,
           "training": {"epochs": int(epochs), "rng_state": get_rng_state()}}
    arrays = _model_arrays(model)
    if model.loss_fn is not None and model.optimizer is not None:
        doc["compile"], optimizer_arrays = _compile_doc(model)
        arrays.update(optimizer_arrays)
    doc["arrays"] = _manifest(arrays)
    atomic_savez(path, {_DOC: _encode(doc, "save_model"), **arrays})


def save_weights(model, path) -> None:
    """Only the arrays (params and state), keyed by layer name, atomically.

    A .h5/.hdf5 name writes Keras's HDF5 weights layout instead (see :mod:`nerve.io.hdf5`; needs h5py).
    """
    if is_hdf5(path):
        if Path(path).suffix.lower() == ".keras":
            raise ValueError(f"save_weights: {str(path)!r}: nerve cannot write Keras's .keras archives; use .h5 "
                             "(Keras's HDF5 weights) or .npz (nerve's format)")
        return save_weights_h5(model, path)
    if not model.built:
        raise ValueError("save_weights: the model is not built yet; give it input_shape or train it first")
    arrays = _model_arrays(model)
    doc = {"format": "nerve.weights", "format_version": FORMAT_VERSION, "arrays": _manifest(arrays)}
    atomic_savez(path, {_DOC: _encode(doc, "save_weights"), **arrays})


# -- reading ----------------------------------------------------------------------------------------------
def _read(path, where: str) -> tuple[dict, dict[str, np.ndarray]]:
    arrays = read_npz(path, where)
    raw = arrays.pop(_DOC, None)
    if raw is None:
        raise ValueError(f"{where}: {path} has no nerve document; was it written by nerve's save?")
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > _MAX_DOC_BYTES:
        raise ValueError(f"{where}: {path} has a malformed document")
    try:
        doc = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{where}: {path} has a corrupted document ({e})") from None
    except RecursionError:
        raise ValueError(f"{where}: {path} has a corrupted document (JSON nested more than "
                         f"{_MAX_DEPTH} levels deep)") from None
    _check_depth(doc, path, where)
    if not isinstance(doc, dict) or doc.get("format") not in ("nerve.model", "nerve.weights"):
        raise ValueError(f"{where}: {path} is not a nerve model or weights file")
    version = doc.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"{where}: {path} has an invalid format_version {version!r}")
    if version > FORMAT_VERSION:
        raise ValueError(f"{where}: {path} has format version {version}, newer than this nerve reads "
                         f"({FORMAT_VERSION}); upgrade nerve (pip install -U nerve)")
    manifest = doc.get("arrays")
    if isinstance(manifest, dict):
        for key, spec in manifest.items():
            if key not in arrays:
                raise ValueError(f"{where}: {path} is missing array {key!r}")
            if list(arrays[key].shape) != spec.get("shape"):
                raise ValueError(f"{where}: {path}: array {key!r} has shape {arrays[key].shape}, the document "
                                 f"says {spec.get('shape')}")
            if str(arrays[key].dtype) != spec.get("dtype"):
                raise ValueError(f"{where}: {path}: array {key!r} has dtype {arrays[key].dtype}, the document "
                                 f"says {spec.get('dtype')}")
    return doc, arrays


def _check_depth(doc, path, where: str) -> None:
    """Refuse a document nested deeper than ``_MAX_DEPTH``, naming the top-level field (iterative: no recursion)."""
    todo = [(value, 1, field) for field, value in doc.items()] if isinstance(doc, dict) else []
    while todo:
        value, depth, field = todo.pop()
        if depth > _MAX_DEPTH:
            raise ValueError(f"{where}: {path}: field {field!r} of the document is nested more than {_MAX_DEPTH} "
                             f"levels deep; the file is corrupted or forged")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        todo.extend((child, depth + 1, field) for child in children)


def read_document(path) -> dict:
    """The JSON document of a model or weights file (class names, preprocessing, versions...)."""
    return _read(path, "read_document")[0]


def _check_arrays(model, arrays: dict[str, np.ndarray], path, where: str) -> dict[str, np.ndarray]:
    """The model's arrays matched to the file's, every name, shape and dtype kind checked first."""
    targets = _model_arrays(model)
    present = {k for k in arrays if k.startswith(("params/", "state/"))}
    missing, extra = sorted(set(targets) - present), sorted(present - set(targets))
    if missing or extra:
        raise ValueError(f"{where}: {path}: the arrays don't match the model: missing {missing}, "
                         f"unexpected {extra}")
    for key, dst in targets.items():
        src = arrays[key]
        if src.shape != dst.shape:
            raise ValueError(f"{where}: {path}: array {key!r} has shape {src.shape}, the model expects {dst.shape}")
        if src.dtype.kind != "f":
            raise ValueError(f"{where}: {path}: array {key!r} has dtype {src.dtype}, expected floats")
    return targets


def _check_architecture(model, input_shape, arrays: dict[str, np.ndarray]) -> None:
    """Every array the document's layers would make matches one in the file, checked before building anything.

    A forged document (``Dense(units=25_000_000)`` beside small arrays) is refused without allocating its weights.
    """
    shape = tuple(int(d) for d in input_shape)
    for layer in model.layers:
        expected = layer.weight_shapes(shape)
        for key, want in (expected or {}).items():
            name = f"{layer.name}/{key}"
            got = arrays.get(f"params/{name}", arrays.get(f"state/{name}"))
            if got is None or got.shape != tuple(want):
                held = "no such array" if got is None else f"an array of shape {got.shape}"
                raise ValueError(f"the document's {layer} needs {name!r} of shape {tuple(want)}, the file holds "
                                 f"{held}")
        shape = tuple(layer.compute_output_shape(shape))


def _assign(targets: dict[str, np.ndarray], arrays: dict[str, np.ndarray]) -> None:
    from ..backend import get_array_module

    for key, dst in targets.items():
        dst[...] = get_array_module(dst).asarray(arrays[key])  # host file -> the model's device


def _compile(model, comp: dict, arrays: dict[str, np.ndarray], path) -> None:
    from .. import losses, optimizers, schedules

    loss_cls = type(losses.get(str(comp["loss"]["class"])))
    loss = loss_cls(**comp["loss"].get("config", {}))
    opt_doc = comp["optimizer"]
    config = dict(opt_doc.get("config", {}))
    if isinstance(config.get("lr"), dict):
        config["lr"] = schedules.get(config["lr"])
    optimizer = optimizers.get(str(opt_doc["class"]).lower(), **config)
    params = model.params
    slots: dict[str, dict[str, np.ndarray]] = {}
    for key, value in arrays.items():
        if not key.startswith("optimizer/"):
            continue
        _, slot, name = key.split("/", 2)
        if name not in params or params[name].shape != value.shape:
            raise ValueError(f"optimizer slot {key!r} does not match a model parameter of that shape")
        slots.setdefault(slot, {})[name] = value.astype(params[name].dtype, copy=False)
    model.compile(optimizer, loss, comp.get("metrics") or None, comp.get("l1", 0.0), comp.get("l2", 0.0))
    optimizer.load_state_dict({"iterations": int(opt_doc.get("iterations", 0)), "slots": slots})


def load_model(path, *, compile: bool = True, restore_rng: bool = False, device=None):
    """Rebuild a model written by ``save_model``: it predicts identically and, compiled with its saved
    optimizer state, can go on training. ``restore_rng`` also restores nerve's random generator as it was at
    saving time, so a resumed run shuffles exactly like an uninterrupted one.

    Nothing from the file is executed: layers, losses, optimizers and schedules are looked up by name in
    nerve's own registries. Any problem raises ValueError before a model is returned. ``device`` ("cpu",
    "cuda", "cuda:1") moves the loaded model (and its optimizer state) there with ``model.to(device)``.
    """
    from ..backend import set_rng_state

    where = "load_model"
    doc, arrays = _read(path, where)
    if doc["format"] != "nerve.model":
        raise ValueError(f"{where}: {path} is a weights file; build the model and call model.load_weights(path)")
    try:
        config = doc["model"]
        if not isinstance(config, dict) or config.get("class") != "Sequential":
            raise ValueError("the document's model is not a Sequential config")
        shape = config.get("input_shape")
        if not shape:
            raise ValueError("the document has no input_shape, so the weights cannot be placed")
        # layers made through the registry, nothing allocated yet
        model = deserialize({"class": "Sequential", "config": {**config, "input_shape": None}}, "model")
        _check_architecture(model, shape, arrays)
        model.build(shape)
        targets = _check_arrays(model, arrays, path, where)
        _assign(targets, arrays)  # the model is new: a failure below leaves nothing half-loaded behind
        if compile and doc.get("compile"):
            _compile(model, doc["compile"], arrays, path)
    except ValueError as e:
        msg = str(e)
        raise ValueError(msg if msg.startswith(where) else f"{where}: {path}: {msg}") from None
    except (KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"{where}: {path} has an invalid document ({type(e).__name__}: {e})") from None
    model.class_names = doc.get("class_names")
    model.preprocessing = doc.get("preprocessing")
    model.metadata = doc.get("metadata") or {}
    training = doc.get("training") or {}
    if not isinstance(training, dict):
        raise ValueError(f"{where}: {path}: field 'training' must be an object, got {training!r:.80}")
    epochs = training.get("epochs", 0)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"{where}: {path}: field 'training.epochs' must be an integer >= 0, got {epochs!r:.80}")
    model.epochs_trained = epochs
    if restore_rng and training.get("rng_state"):
        try:
            set_rng_state(training["rng_state"])
        except (TypeError, ValueError, KeyError, OverflowError) as e:
            raise ValueError(f"{where}: {path}: field 'training.rng_state' is not a random generator state "
                             f"({type(e).__name__}: {e})") from None
    if device is not None:
        model.to(device)
    return model


def load_weights(model, path) -> None:
    """Load arrays from ``save_weights`` (or ``save``) into a model of the same architecture, all or nothing.

    A .h5/.hdf5 file is read as Keras's HDF5 weights layout (see :mod:`nerve.io.hdf5`).
    """
    if is_hdf5(path):
        return load_weights_h5(model, path)
    where = "load_weights"
    _, arrays = _read(path, where)
    if not model.built:
        shapes = {k: v.shape for k, v in arrays.items() if k.startswith("params/")}
        raise ValueError(f"{where}: the model is not built yet; give it input_shape first (file arrays: {shapes})")
    targets = _check_arrays(model, arrays, path, where)
    _assign(targets, arrays)
