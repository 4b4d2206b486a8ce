"""``nerve sweep``: many ``nerve train`` runs over a grid or an Optuna search, on a Dask cluster."""

from __future__ import annotations

import os

from ._common import CLIError

__all__ = ["add_parser", "parse_grid", "parse_range"]

EPILOG = """examples:
  nerve sweep --dataset digits --model mlp --epochs 2 --grid lr=0.001,0.01 --grid batch_size=32,64 --out S
  nerve sweep --dataset digits --epochs 5 --search tpe --trials 20 --range lr=1e-4:1e-1:log \\
              --grid batch_size=32,64,128 --storage sqlite:///sweep.db --out S

on a Dask cluster (one thread per worker process, so trials don't fight over cores):
  dask scheduler --host 127.0.0.1 --port 8786
  dask worker tcp://127.0.0.1:8786 --nthreads 1 --nworkers 2
  nerve sweep ... --scheduler tcp://127.0.0.1:8786      (or set DASK_SCHEDULER_ADDRESS)
"""


def add_parser(sub) -> None:
    import argparse

    p = sub.add_parser("sweep", help="hyperparameter sweep: many trainings on a Dask cluster",
                       description="Run one `nerve train` per parameter set (every --grid combination, or Optuna's "
                                   "proposals with --search tpe) on an embedded Dask LocalCluster or a running "
                                   "scheduler; writes OUT/results.csv, OUT/results.png and OUT/trials/NNNN/.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag, kind, text in (("--dataset", str, "dataset, as for `nerve train` (default digits)"),
                             ("--model", str, "model, as for `nerve train` (default mlp)"),
                             ("--epochs", int, "epochs per trial (default 10)"),
                             ("--batch-size", int, "batch size (default 32)"),
                             ("--optimizer", str, "optimizer (default adam)"),
                             ("--lr", float, "learning rate"),
                             ("--weight-decay", float, "L2 weight decay"),
                             ("--schedule", str, "learning-rate schedule"),
                             ("--val-split", float, "validation fraction (default 0.1)"),
                             ("--limit", int, "use at most this many samples"),
                             ("--data-dir", str, "where MNIST-family files are"),
                             ("--seed", int, "random seed of every trial (default 0)")):
        p.add_argument(flag, type=kind, default=None, help=text)
    p.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2,...",
                   help="values of one `nerve train` option to try (repeat for more options)")
    p.add_argument("--range", action="append", default=[], metavar="NAME=LOW:HIGH[:log|:int]",
                   help="with --search tpe/random: a continuous (or :int) range for one option")
    p.add_argument("--search", choices=("grid", "tpe", "random"), default="grid",
                   help="grid: every combination (default); tpe/random: Optuna proposes --trials sets")
    p.add_argument("--trials", type=int, default=None, help="with --search tpe/random: how many trials in all")
    p.add_argument("--storage", default=None, help="Optuna storage URL (e.g. sqlite:///sweep.db) to resume a study")
    p.add_argument("--study-name", default="nerve-sweep", help="Optuna study name (default nerve-sweep)")
    p.add_argument("--metric", default="val_accuracy", help="what the search optimises (default val_accuracy)")
    p.add_argument("--direction", choices=("maximize", "minimize"), default=None,
                   help="default: minimize for metrics with 'loss' in their name, else maximize")
    p.add_argument("--no-prune", action="store_true", help="with tpe/random: never stop bad trials early")
    p.add_argument("--scheduler", default=None,
                   help="address of a running Dask scheduler (default $DASK_SCHEDULER_ADDRESS, else a LocalCluster)")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    p.add_argument("--connect-timeout", type=float, default=10.0, help="seconds to wait for --scheduler (default 10)")
    p.add_argument("--out", default="runs/sweep", help="output folder (default runs/sweep)")
    p.set_defaults(run=run)


def _train_types() -> dict:
    """The type of each `nerve train` option a sweep may vary, read from train's own parser."""
    from ..sweep import TRAIN_PARAMETERS
    from .train import train_parser

    return {a.dest: (a.type or str) for a in train_parser()._actions if a.dest in TRAIN_PARAMETERS}


def _convert(name: str, text: str, types: dict):
    if name not in types:
        raise CLIError(f"unknown grid parameter {name!r}", f"`nerve train` options a sweep can vary: "
                                                            f"{', '.join(sorted(types))}")
    text = text.strip()
    if not text:
        raise CLIError(f"--grid/--range {name}: empty value", f"e.g. --grid {name}=VALUE1,VALUE2")
    try:
        return types[name](text)
    except ValueError:
        raise CLIError(f"--grid/--range {name}: {text!r} is not a valid {types[name].__name__}",
                       f"see `nerve train --help` for --{name.replace('_', '-')}") from None


def _name_and_value(item: str, flag: str, hint: str) -> tuple[str, str]:
    """``"batch-size=32,64"`` -> ("batch_size", "32,64"); a clear error without ``NAME=``."""
    name, sep, value = item.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or not name:
        raise CLIError(f"cannot read {flag} {item!r}", hint)
    return name, value


def parse_grid(items, types=None) -> dict:
    """``["lr=0.001,0.01", "batch_size=32,64"]`` -> {"lr": [0.001, 0.01], "batch_size": [32, 64]}."""
    types = types if types is not None else _train_types()
    grid = {}
    for item in items:
        name, values = _name_and_value(item, "--grid", "write NAME=V1,V2,... e.g. --grid lr=0.001,0.01")
        if name in grid:
            raise CLIError(f"--grid {name} is given twice", "list all its values in one --grid")
        grid[name] = [_convert(name, v, types) for v in values.split(",")]
    return grid


def parse_range(items, types=None) -> dict:
    """``["lr=1e-4:1e-1:log", "epochs=2:8:int"]`` -> Optuna-ready distributions."""
    from ..sweep import IntUniform, LogUniform, Uniform

    types = types if types is not None else _train_types()
    space = {}
    for item in items:
        hint = "write NAME=LOW:HIGH, NAME=LOW:HIGH:log or NAME=LOW:HIGH:int"
        name, spec = _name_and_value(item, "--range", hint)
        parts = spec.split(":")
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("log", "int")):
            raise CLIError(f"cannot read --range {item!r}", hint)
        low, high = (_convert(name, p, types) for p in parts[:2])
        try:
            if len(parts) == 3 and parts[2] == "int" or types[name] is int:
                space[name] = IntUniform(int(low), int(high), log=len(parts) == 3 and parts[2] == "log")
            else:
                space[name] = (LogUniform if len(parts) == 3 else Uniform)(float(low), float(high))
        except ValueError as e:
            raise CLIError(f"--range {name}: {e}", "LOW must be below HIGH (and above 0 for :log)") from None
    return space


def run(args) -> int:
    from .. import sweep

    types = _train_types()
    grid = parse_grid(args.grid, types)
    space = parse_range(args.range, types)
    base = {k: getattr(args, k) for k in sweep.TRAIN_PARAMETERS if getattr(args, k, None) is not None}
    if args.search == "grid":
        if space:
            raise CLIError("--range needs --search tpe or random", "a grid search takes --grid NAME=V1,V2")
        if not grid:
            raise CLIError("nothing to sweep", "give at least one --grid NAME=V1,V2,...")
        total = 1
        for values in grid.values():
            total *= len(values)
    else:
        space = {**grid, **space}
        if not space:
            raise CLIError("nothing to search", "give --range NAME=LOW:HIGH[:log] and/or --grid NAME=V1,V2")
        if args.trials is None or args.trials < 1:
            raise CLIError(f"--search {args.search} needs --trials N (N >= 1)", "e.g. --trials 20")
        total = args.trials
    direction = args.direction or ("minimize" if "loss" in args.metric else "maximize")
    scheduler = args.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    where = scheduler or f"a local Dask cluster of {args.workers} worker processes"
    print(f"sweep: {total} trials of `nerve train` on {where}", flush=True)
    count = [0]

    def show(row):
        count[0] += 1
        params = "  ".join(f"{k}={row[k]}" for k in (grid if args.search == "grid" else space))
        value = row.get(args.metric)
        result = f"{args.metric}={value:.4f}" if isinstance(value, float) else row.get("error", "")
        print(f"trial {row['trial']} ({count[0]}/{total}) {row['status']:<7} {params}  {result}  "
              f"({row['seconds']:.1f} s)", flush=True)

    result = sweep.run(sweep.TrainTrial(base, out=args.out), grid=grid if args.search == "grid" else None,
                       space=space if args.search != "grid" else None, search=args.search, trials=args.trials,
                       out=args.out, scheduler=scheduler, workers=args.workers, storage=args.storage,
                       study_name=args.study_name, metric=args.metric, direction=direction,
                       prune=not args.no_prune, seed=args.seed or 0, connect_timeout=args.connect_timeout,
                       on_row=show)
    best = result.best
    if best is not None:
        print(f"best: trial {best['trial']} {args.metric}={best[args.metric]:.4f}")
    print(f"wrote {os.path.join(args.out, 'results.csv')}")
    if result.interrupted:
        print(f"interrupted: kept the {len(result.rows)} finished trials")
        return 2
    return 0
