"""``nerve evaluate``, ``nerve predict`` and ``nerve summary``: using a saved model file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._common import CLIError, load_dataset

__all__ = ["add_parsers"]


def add_parsers(sub) -> None:
    from .train import add_common_data_args

    p = sub.add_parser("evaluate", help="accuracy, per-class report and confusion matrix of a saved model",
                       description="Evaluate MODEL on a test set (by default the dataset it was trained on).")
    p.add_argument("model", metavar="MODEL", help="a model.npz written by `nerve train` or model.save()")
    add_common_data_args(p, default_dataset="default: the dataset MODEL was trained on (from its file) | digits")
    p.set_defaults(dataset=None)
    p.add_argument("--out", default=None, help="confusion-matrix PNG (default: confusion.png beside MODEL)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=evaluate)

    p = sub.add_parser("predict", help="top-k classes of images or .npy arrays",
                       description="Predict the classes of image files (resized like the training data) or .npy "
                                   "arrays (one sample, or a batch, already preprocessed like the training data).")
    p.add_argument("model", metavar="MODEL", help="a saved model.npz")
    p.add_argument("files", metavar="FILE", nargs="+", help="image files (.png, .jpg, ...) or .npy arrays")
    p.add_argument("--top-k", type=int, default=3, help="how many classes to show per sample (default 3)")
    p.set_defaults(run=predict)

    p = sub.add_parser("summary", help="layers, shapes, parameter counts and what the file remembers",
                       description="Print the architecture table and the model file's settings.")
    p.add_argument("model", metavar="MODEL", help="a saved model.npz")
    p.set_defaults(run=summary)


def _load(path):
    import nerve

    if not Path(path).is_file():
        raise CLIError(f"no such model file: {path}", "train one first: nerve train --dataset digits --out runs/x")
    return nerve.load_model(path)


def evaluate(args) -> int:
    from .. import metrics

    model = _load(args.model)
    spec = args.dataset or (getattr(model, "metadata", {}) or {}).get("dataset")
    if not spec:
        raise CLIError("the model file does not say which dataset it was trained on", "pass --dataset")
    data = load_dataset(spec, flatten=len(model.input_shape) == 1, data_dir=args.data_dir, verify=args.verify,
                        image_size=args.image_size, color_mode=args.color_mode, limit=args.limit,
                        seed=(model.metadata or {}).get("seed", 0))
    if data.x_test.shape[1:] != model.input_shape:
        raise CLIError(f"the model expects samples of shape {model.input_shape}, {spec} gives {data.x_test.shape[1:]}",
                       "evaluate on the kind of data the model was trained on")
    pred = _predict_classes(model, data.x_test, quiet=args.quiet)
    names = model.class_names or data.class_names
    labels = list(range(len(names)))
    accuracy = float(np.mean(pred == data.t_test))
    print(f"test accuracy: {accuracy:.4f}  ({len(data.x_test)} samples of {spec})")
    print(metrics.classification_report(data.t_test, pred, labels=labels, target_names=names, digits=3,
                                        zero_division=0))
    cm = metrics.confusion_matrix(data.t_test, pred, labels=labels)
    out = Path(args.out) if args.out else Path(args.model).with_name("confusion.png")
    try:
        from ..plot import plot_confusion_matrix

        plot_confusion_matrix(cm, names, path=out)
        print(f"wrote {out}")
    except ImportError as e:
        print(f"confusion matrix not drawn ({e})")
    return 0


def _predict_classes(model, x: np.ndarray, quiet: bool, batch_size: int = 256) -> np.ndarray:
    """``model.predict_classes(x)`` batch by batch under a progress bar."""
    from tqdm.auto import tqdm

    starts = range(0, len(x), batch_size)
    return np.concatenate([model.predict_classes(x[i:i + batch_size])
                           for i in tqdm(starts, desc="evaluating", unit="batch", disable=quiet, dynamic_ncols=True)])


def _sample(model, path: Path) -> np.ndarray:
    """One file -> a batch of samples shaped for the model."""
    shape = model.input_shape
    if path.suffix.lower() == ".npy":
        try:
            x = np.load(path, allow_pickle=False).astype(np.float32)
        except ValueError as e:
            raise CLIError(f"{path}: not a numeric .npy array ({e})", "save it with numpy.save(path, array)") from None
        if x.shape == shape or (x.size == int(np.prod(shape)) and x.ndim <= len(shape)):
            return x.reshape(1, *shape)
        if x.shape[1:] == shape:
            return x
        raise CLIError(f"{path}: array of shape {x.shape} does not fit the model's input {shape}",
                       f"give one sample of shape {shape} or a batch (N, {', '.join(map(str, shape))})")
    from ..data.folder import load_image

    prep = getattr(model, "preprocessing", None) or {}
    size = prep.get("target_size") or (list(shape[1:]) if len(shape) == 3 else None)
    if size is None:
        raise CLIError(f"the model does not record the image size it was trained on, so {path} cannot be resized",
                       "pass a preprocessed .npy array instead")
    x = load_image(path, target_size=tuple(size), color_mode=prep.get("color_mode", "rgb"),
                   rescale=prep.get("rescale", 1 / 255))
    return x.reshape(1, *shape) if x.size == int(np.prod(shape)) else _mismatch(path, x, shape)


def _mismatch(path, x, shape):
    raise CLIError(f"{path}: the image gives {x.shape}, the model expects {shape}",
                   "check the color mode (rgb/grayscale) the model was trained with")


def predict(args) -> int:
    model = _load(args.model)
    if args.top_k < 1:
        raise CLIError(f"--top-k must be at least 1, got {args.top_k}", "e.g. --top-k 3")
    names = model.class_names
    for file in args.files:
        path = Path(file)
        if not path.is_file():
            raise CLIError(f"no such file: {path}", "give image files or .npy arrays")
        probs = model.predict_proba(_sample(model, path))
        for i, row in enumerate(probs):
            top = np.argsort(row)[::-1][: args.top_k]
            label = f"{path}" + (f"[{i}]" if len(probs) > 1 else "")
            shown = ", ".join(f"{names[k] if names else k} {row[k]:.3f}" for k in top)
            print(f"{label}: {shown}")
    return 0


def _describe_lr(model) -> str | None:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return None
    if callable(optimizer.lr):
        return f"{optimizer.lr!r}, now {optimizer.current_lr:.4g}"
    return f"{optimizer.lr:g}"


def summary(args) -> int:
    from ..io import read_document

    model = _load(args.model)
    model.summary()
    doc = read_document(args.model)
    comp = doc.get("compile") or {}
    opt = comp.get("optimizer") or {}
    lines = {
        "nerve version": doc.get("nerve_version"),
        "input shape": tuple(doc.get("input_shape") or ()),
        "classes": ", ".join(doc.get("class_names") or []) or None,
        "loss": (comp.get("loss") or {}).get("class"),
        "optimizer": f"{opt.get('class')} (step {opt.get('iterations')})" if opt else None,
        "learning rate": _describe_lr(model),
        "epochs trained": (doc.get("training") or {}).get("epochs"),
        "preprocessing": doc.get("preprocessing"),
        "metadata": doc.get("metadata") or None,
    }
    for key, value in lines.items():
        if value is not None:
            print(f"{key + ':':16}{value}")
    return 0
