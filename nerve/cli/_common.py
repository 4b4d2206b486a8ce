"""What the subcommands share: readable errors, loading datasets, building models, optimizers, schedules."""

from __future__ import annotations

import inspect
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["CLIError", "Dataset", "load_dataset", "build_model", "parse_kwargs",
           "DATASET_NAMES"]

DATASET_NAMES = ("digits", "mnist", "fashion-mnist")


class CLIError(Exception):
    """An expected failure: one readable line and a hint, exit code 2."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass
class Dataset:
    """Train/test arrays plus what a model file should remember about them."""

    name: str
    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    class_names: list[str]
    preprocessing: dict = field(default_factory=dict)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


def _builtin(name: str, flatten: bool, data_dir, verify: bool = True) -> Dataset:
    from .. import datasets

    if name == "digits":
        (x, t), (xt, tt) = datasets.load_digits(flatten=flatten)
        return Dataset(name, x, t, xt, tt, [str(i) for i in range(10)],
                       {"color_mode": "grayscale", "target_size": [8, 8], "rescale": 1 / 255})
    loader = datasets.load_mnist if name == "mnist" else datasets.load_fashion_mnist
    (x, t), (xt, tt) = loader(flatten=flatten, data_dir=data_dir, verify=verify)
    names = list(datasets.FASHION_MNIST_CLASSES) if name == "fashion-mnist" else [str(i) for i in range(10)]
    return Dataset(name, x, t, xt, tt, names, {"color_mode": "grayscale", "target_size": [28, 28],
                                                "rescale": 1 / 255})


def _arrays(path: Path, flatten: bool, seed: int) -> Dataset:
    from ..data.split import train_test_split

    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (ValueError, OSError) as e:
        raise CLIError(f"cannot read {path} ({e})", "give an .npz made with numpy.savez (no object arrays)") from None
    x = arrays.get("x_train", arrays.get("x"))
    t = arrays.get("y_train", arrays.get("t_train", arrays.get("y")))
    if x is None or t is None:
        raise CLIError(f"{path} holds {sorted(arrays)}; expected x_train and y_train (or x and y)",
                       "numpy.savez('data.npz', x_train=x, y_train=y, x_test=..., y_test=...)")
    if t.ndim != 1 or t.dtype.kind not in "iu":
        raise CLIError(f"{path}: labels must be a 1-D integer array, got {t.dtype} {t.shape}",
                       "store class indices 0..K-1 as integers")
    xt = arrays.get("x_test")
    tt = arrays.get("y_test", arrays.get("t_test"))
    if xt is None or tt is None:
        x, xt, t, tt = train_test_split(x, t, test_size=0.2, seed=seed)
    x, xt = x.astype(np.float32), xt.astype(np.float32)
    if flatten:
        x, xt = x.reshape(len(x), -1), xt.reshape(len(xt), -1)
    names = arrays.get("class_names")
    k = int(max(t.max(), tt.max())) + 1
    class_names = [str(c) for c in names] if names is not None else [str(i) for i in range(k)]
    return Dataset(path.name, x, t.astype(np.int64), xt, tt.astype(np.int64), class_names, {})


def _folder(path: Path, flatten: bool, image_size: int, color_mode: str, seed: int) -> Dataset:
    from ..data.folder import DirectoryIterator
    from ..data.split import train_test_split

    it = DirectoryIterator(path, target_size=(image_size, image_size), color_mode=color_mode,
                           class_mode="sparse", batch_size=256, shuffle=False)
    parts = [it[i] for i in range(len(it))]
    x = np.concatenate([p[0] for p in parts]) / np.float32(255)
    t = np.concatenate([p[1] for p in parts]).astype(np.int64)
    stratify = t if np.bincount(t).min() >= 2 else None
    x, xt, t, tt = train_test_split(x, t, test_size=0.2, seed=seed, stratify=stratify)
    if flatten:
        x, xt = x.reshape(len(x), -1), xt.reshape(len(xt), -1)
    names = sorted(it.class_indices, key=it.class_indices.get)
    return Dataset(path.name, x.astype(np.float32), t, xt.astype(np.float32), tt, names,
                   {"color_mode": color_mode, "target_size": [image_size, image_size], "rescale": 1 / 255})


def load_dataset(spec: str, *, flatten: bool, data_dir=None, image_size: int = 32, color_mode: str = "rgb",
                 limit: int | None = None, seed: int = 0, verify: bool = True) -> Dataset:
    """digits | mnist | fashion-mnist | a folder of class subfolders | an .npz of arrays."""
    if limit is not None and limit < 1:
        raise CLIError(f"--limit must be at least 1, got {limit}", "give how many samples to use, e.g. --limit 1000")
    if data_dir is not None and not Path(data_dir).is_dir():
        raise CLIError(f"--data-dir {data_dir} is not a folder", "give the folder holding the IDX .gz files")
    path = Path(spec)
    if spec in DATASET_NAMES:
        data = _builtin(spec, flatten, data_dir, verify)
    elif path.is_dir():
        data = _folder(path, flatten, image_size, color_mode, seed)
    elif path.suffix == ".npz" and path.is_file():
        data = _arrays(path, flatten, seed)
    else:
        raise CLIError(f"unknown dataset {spec!r}",
                       f"use one of {', '.join(DATASET_NAMES)}, a folder with one subfolder per class, or an .npz")
    data.preprocessing["flatten"] = flatten
    if limit is not None:
        gen = np.random.default_rng(seed)
        keep = gen.permutation(len(data.x_train))[:limit]
        data.x_train, data.t_train = data.x_train[keep], data.t_train[keep]
        data.x_test, data.t_test = data.x_test[:limit], data.t_test[:limit]
    return data


#: names the CLI accepts besides the zoo's; each maps to a zoo constructor and its keyword arguments
_ALIASES = {"mlp": ("two_layer_net", {"hidden_size": 100, "weight_init_std": "he"})}


def model_needs_images(spec: str) -> bool:
    """Whether the model named ``spec`` takes (C, H, W) images rather than flat vectors."""
    if Path(spec).suffix == ".json":
        text = Path(spec).read_text() if Path(spec).is_file() else ""
        return '"Conv2D"' in text or '"MaxPool2D"' in text or '"AvgPool2D"' in text
    from .. import zoo

    name, _ = _ALIASES.get(spec, (spec, {}))
    try:
        return "input_shape" in inspect.signature(zoo.get(name)).parameters
    except ValueError as e:
        raise CLIError(str(e), "model names: mlp and the zoo's (see `nerve train --help`), or a JSON file") from None


def build_model(spec: str, data: Dataset):
    """A zoo model (by name) sized for ``data``, or an architecture from a JSON file."""
    from .. import model_from_json, zoo

    sample_shape = data.x_train.shape[1:]
    path = Path(spec)
    if path.suffix == ".json":
        if not path.is_file():
            raise CLIError(f"no such model file: {path}", "give a zoo model name or an existing JSON file")
        model = model_from_json(path.read_text())
        if not model.built:
            model.build(sample_shape)
        if model.input_shape != sample_shape:
            raise CLIError(f"{path} expects samples of shape {model.input_shape}, the data has {sample_shape}",
                           "edit input_shape in the JSON file or pick a matching dataset")
        return model
    name, extra = _ALIASES.get(spec, (spec, {}))
    try:
        make = zoo.get(name)
    except ValueError as e:
        raise CLIError(str(e), f"model names: mlp, {', '.join(zoo.names())}, or a JSON file") from None
    params = inspect.signature(make).parameters
    sizes = {"input_size": int(np.prod(sample_shape)), "input_shape": sample_shape, "output_size": data.num_classes,
             "num_classes": data.num_classes}
    return make(**{k: v for k, v in sizes.items() if k in params}, **extra)


def parse_kwargs(text: str, what: str) -> dict:
    """``"a=1,b=0.5,c=[1,2]"`` -> {"a": 1, "b": 0.5, "c": [1, 2]} (values as JSON, else strings)."""
    out = {}
    for part in filter(None, (p.strip() for p in _split_top(text))):
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise CLIError(f"cannot read {what} argument {part!r}",
                           "write key=value pairs, e.g. step:step_size=5,gamma=0.5")
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


def _split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:  # commas inside [...] or {...} belong to the value
        depth += (ch in "[{") - (ch in "]}")
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


#: defaults that make each schedule span a run of ``total`` steps starting at ``lr``
_SCHEDULE_DEFAULTS = {
    "exponential": lambda lr, total: {"learning_rate": lr, "gamma": 0.01 ** (1 / total)},
    "natural_exp": lambda lr, total: {"learning_rate": lr, "gamma": math.log(100) / total},
    "inverse_time": lambda lr, total: {"learning_rate": lr, "gamma": 10 / total},
    "polynomial": lambda lr, total: {"learning_rate": lr, "decay_steps": total, "end_lr": lr / 100},
    "step": lambda lr, total: {"learning_rate": lr, "step_size": max(1, total // 3), "gamma": 0.1},
    "multistep": lambda lr, total: {"learning_rate": lr, "milestones": [total // 2, 3 * total // 4]},
    "piecewise": lambda lr, total: {"boundaries": [total // 2, 3 * total // 4], "values": [lr, lr / 10, lr / 100]},
    "cosine": lambda lr, total: {"learning_rate": lr, "T_max": total},
    "noam": lambda lr, total: {"d_model": 1, "warmup_steps": max(1, total // 10),
                               "learning_rate": lr * math.sqrt(max(1, total // 10))},
    "warmup": lambda lr, total: {"learning_rate": lr, "warmup_steps": max(1, total // 10), "start_lr": 0.0,
                                 "end_lr": lr},
    "plateau": lambda lr, total: {"learning_rate": lr, "factor": 0.5, "patience": 2},
}


def build_schedule(spec: str | None, lr: float, total_steps: int):
    """``None`` -> ``lr``; ``"cosine"`` or ``"step:step_size=100,gamma=0.5"`` -> a schedule spanning the run."""
    from .. import schedules

    if not spec:
        return lr
    name, _, rest = spec.partition(":")
    key = name.strip().lower().replace("-", "_")
    key = {"multi_step": "multistep", "piecewise_constant": "piecewise", "linear_warmup": "warmup",
           "reduce_on_plateau": "plateau"}.get(key, key)
    if key not in _SCHEDULE_DEFAULTS:
        raise CLIError(f"unknown schedule {name!r}", f"schedules: {', '.join(sorted(_SCHEDULE_DEFAULTS))}")
    kwargs = {**_SCHEDULE_DEFAULTS[key](lr, max(1, total_steps)), **parse_kwargs(rest, "schedule")}
    return schedules.get(key, **kwargs)

