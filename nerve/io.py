"""Model files: one .npz holding a JSON document and every array; read with allow_pickle=False."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "FORMAT_VERSION"]

FORMAT_VERSION = 1
_DOC = "__nerve__"


def _atomic_savez(path, arrays: dict) -> None:
    """Write an .npz next to ``path`` and rename it into place, so a crash never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _document(meta: dict) -> np.ndarray:
    return np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)


def save_model(model, path, **metadata) -> None:
    """Architecture, weights, state, compile settings and ``metadata`` (e.g. class_names) in one file."""
    from . import __version__

    doc = {"format": "nerve.model", "format_version": FORMAT_VERSION, "nerve_version": __version__,
           "model": model.get_config(), "metadata": metadata}
    if model.loss_fn is not None:
        doc["compile"] = {"loss": type(model.loss_fn).__name__, "loss_config": model.loss_fn.get_config(),
                          "optimizer": type(model.optimizer).__name__, "metrics": list(model.metrics),
                          "l1": model.l1, "l2": model.l2}
    arrays = {_DOC: _document(doc)}
    arrays.update({f"params/{k}": v for k, v in model.params.items()})
    arrays.update({f"state/{k}": v for k, v in model.state.items()})
    _atomic_savez(path, arrays)


def _read(path) -> tuple[dict, dict]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_model: no such file: {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (ValueError, OSError, EOFError) as e:
        raise ValueError(f"load_model: {path} is not a readable nerve model file ({e})") from None
    if _DOC not in arrays:
        raise ValueError(f"load_model: {path} has no nerve document; was it written by nerve?")
    try:
        doc = json.loads(arrays.pop(_DOC).tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"load_model: {path} has a corrupted document ({e})") from None
    if doc.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError(f"load_model: {path} has format version {doc.get('format_version')}, newer than this "
                         f"nerve reads ({FORMAT_VERSION}); upgrade nerve")
    return doc, arrays


def _assign(model, arrays: dict, path) -> None:
    """Copy arrays into the model's own arrays after checking every name and shape (nothing half-loaded)."""
    targets = {f"params/{k}": v for k, v in model.params.items()}
    targets.update({f"state/{k}": v for k, v in model.state.items()})
    missing = sorted(set(targets) - set(arrays))
    extra = sorted(k for k in set(arrays) - set(targets) if k.startswith(("params/", "state/")))
    if missing or extra:
        raise ValueError(f"{path}: arrays don't match the model: missing {missing}, unexpected {extra}")
    for k, dst in targets.items():
        if arrays[k].shape != dst.shape:
            raise ValueError(f"{path}: array {k} has shape {arrays[k].shape}, the model expects {dst.shape}")
    for k, dst in targets.items():
        dst[...] = arrays[k]


def load_model(path):
    """Rebuild a model saved by ``save_model``; it predicts identically (and is compiled if it was)."""
    from .model import model_from_config

    doc, arrays = _read(path)
    model = model_from_config(doc["model"])
    if not model.built:
        raise ValueError(f"load_model: {path} describes a model without input_shape; cannot place weights")
    _assign(model, arrays, path)
    comp = doc.get("compile")
    if comp:
        from . import losses, optimizers

        loss = losses.get(comp["loss"].lower())
        for k, v in comp.get("loss_config", {}).items():
            setattr(loss, k, v)
        model.compile(optimizers.get(comp["optimizer"].lower()), loss, comp.get("metrics"),
                      comp.get("l1", 0.0), comp.get("l2", 0.0))
    model.metadata = doc.get("metadata", {})
    return model


def save_weights(model, path) -> None:
    """Only the arrays (params and state), keyed by layer name."""
    arrays = {_DOC: _document({"format": "nerve.weights", "format_version": FORMAT_VERSION})}
    arrays.update({f"params/{k}": v for k, v in model.params.items()})
    arrays.update({f"state/{k}": v for k, v in model.state.items()})
    _atomic_savez(path, arrays)


def load_weights(model, path) -> None:
    """Load arrays saved by ``save_weights`` (or ``save``) into a model with the same architecture."""
    _, arrays = _read(path)
    _assign(model, arrays, path)
