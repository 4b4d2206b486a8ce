"""``nerve plot``, ``nerve lr-find``, ``nerve examples`` and ``nerve playground``."""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from ._common import CLIError, build_model, load_dataset, model_needs_images

__all__ = ["add_parsers", "examples_dir", "list_examples"]


def add_parsers(sub) -> None:
    from .train import add_common_data_args

    p = sub.add_parser("plot", help="draw training curves from history.json or history.csv",
                       description="Draw loss/metric curves per epoch from a history written by `nerve train`.")
    p.add_argument("history", metavar="HISTORY", help="history.json or history.csv")
    p.add_argument("--out", default=None, help="PNG to write (default: curves.png beside HISTORY)")
    p.set_defaults(run=plot)

    p = sub.add_parser("lr-find", help="learning-rate range test: plot loss against lr and suggest one",
                       description="Train briefly while the learning rate grows from --start-lr to --end-lr, "
                                   "plot the loss against it, and suggest a rate (the tutorial's 'try 0.1, 0.01, "
                                   "0.001 ...' done automatically). The model is not saved.")
    add_common_data_args(p)
    p.add_argument("--model", default="mlp", help="mlp (default), a zoo name or a JSON architecture file")
    p.add_argument("--optimizer", default="adam",
                   help="optimizer to test (default adam, as `nerve train`); the suggestion is for this optimizer")
    p.add_argument("--batch-size", type=int, default=32, help="mini-batch size (default 32)")
    p.add_argument("--start-lr", type=float, default=1e-6, help="smallest rate (default 1e-6)")
    p.add_argument("--end-lr", type=float, default=1.0, help="largest rate (default 1)")
    p.add_argument("--steps", type=int, default=100, help="mini-batches to try (default 100)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", default="runs/lr_find.png", help="PNG to write (default runs/lr_find.png)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=lr_find)

    p = sub.add_parser("examples", help="list the runnable tutorial examples (or run one)",
                       description="List the example scripts, one per tutorial section; --run NAME runs one.")
    p.add_argument("--run", dest="example", metavar="NAME", default=None, help="run this example (name without .py)")
    p.set_defaults(run=examples)

    p = sub.add_parser("playground", help="the browser playground (local web app)",
                       description="Serve the interactive playground on this machine.")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    p.set_defaults(run=playground)


def read_history(path: Path) -> dict[str, list[float]]:
    """Per-epoch values from history.json (``nerve train``) or a CSVLogger file."""
    if not path.is_file():
        raise CLIError(f"no such history file: {path}", "give the history.json or history.csv that `nerve train` wrote")
    hint = "give the history.json or history.csv that `nerve train` wrote"
    if path.suffix == ".npz":
        raise CLIError(f"{path} is a model file, not a training history",
                       f"{hint}: nerve plot {path.with_name('history.json')}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CLIError(f"{path} is not a text file", hint) from None
    if path.suffix == ".json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as e:
            raise CLIError(f"{path} is not valid JSON ({e})", "give a history.json written by `nerve train`") from None
        if not isinstance(raw, dict):
            raise CLIError(f"{path} holds no per-epoch values", hint)
        logs = {k: v for k, v in raw.items() if k not in ("epoch", "interrupted") and isinstance(v, list)}
    else:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        logs = {k: [float(r[k]) if r[k] not in ("", None) else float("nan") for r in rows]
                for k in (rows[0].keys() if rows else []) if k != "epoch"}
    if not logs or not all(logs.values()):
        raise CLIError(f"{path} holds no per-epoch values", "train for at least one epoch first")
    return logs


def plot(args) -> int:
    from ..plot import plot_history

    path = Path(args.history)
    logs = read_history(path)
    out = Path(args.out) if args.out else path.with_name("curves.png")
    plot_history(logs, path=out)
    print(f"wrote {out} ({len(next(iter(logs.values())))} epochs: {', '.join(logs)})")
    return 0


def lr_find(args) -> int:
    import nerve
    from nerve import optimizers
    from nerve.lr_finder import find_lr

    nerve.seed(args.seed)
    data = load_dataset(args.dataset, flatten=not model_needs_images(args.model), data_dir=args.data_dir,
                        verify=args.verify,
                        image_size=args.image_size, color_mode=args.color_mode, limit=args.limit, seed=args.seed)
    model = build_model(args.model, data)
    try:
        model.compile(optimizers.get(args.optimizer.lower()), "softmax_cross_entropy")
    except ValueError as e:
        raise CLIError(str(e), "optimizers: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw") from None
    result = find_lr(model, data.x_train, data.t_train, start_lr=args.start_lr, end_lr=args.end_lr,
                     num_steps=args.steps, batch_size=args.batch_size, verbose=0 if args.quiet else 1)
    if result.suggestion is None:
        raise CLIError("the loss diverged at once; no rate to suggest", "lower --start-lr")
    result.plot(path=args.out)
    for lr in (1.0, 0.1, 0.01, 0.001, 0.0001):
        near = min(range(len(result.lrs)), key=lambda i, lr=lr: abs(result.lrs[i] / lr - 1))
        if abs(result.lrs[near] / lr - 1) < 0.5:
            print(f"lr {lr:<8g} loss {result.losses[near]:.4f}")
    print(f"wrote {args.out}")
    name = args.optimizer.lower()
    print(f"suggested learning rate for {name}: {result.suggestion:.3g}  "
          f"(nerve train --optimizer {name} --lr {result.suggestion:.3g})")
    return 0


def examples_dir() -> Path:
    """The repository's examples/ folder (beside the nerve package in a checkout)."""
    return Path(__file__).resolve().parents[2] / "examples"


def list_examples() -> dict[str, str]:
    """Example name -> the first line of its docstring."""
    folder = examples_dir()
    out = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        if path.name.startswith("_"):
            continue
        try:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        except SyntaxError:
            doc = ""
        out[path.stem] = doc.strip().splitlines()[0] if doc.strip() else ""
    return out


def examples(args) -> int:
    found = list_examples()
    if not found:
        raise CLIError(f"no examples found in {examples_dir()}", "the examples ship with the source checkout")
    if args.example:
        name = args.example.removesuffix(".py")
        if name not in found:
            raise CLIError(f"no example named {args.example!r}", "run `nerve examples` to list them")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(examples_dir().parent),
                                                                          os.environ.get("PYTHONPATH")]))}
        script = examples_dir() / f"{name}.py"
        return subprocess.call([sys.executable, str(script)], env=env)  # works in a checkout without install
    width = max(map(len, found))
    for name, doc in found.items():
        print(f"{name:<{width}}  {doc}")
    print(f"\nrun one with: nerve examples --run NAME   (or python {examples_dir()}/NAME.py)")
    return 0


def playground(args) -> int:
    from ..playground import serve

    serve(host=args.host, port=args.port, open_browser=not args.no_browser)
    return 0
