"""``nerve train``: train a zoo or JSON model on a dataset and write the model, history and curves."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

from ..callbacks import Callback
from ._common import CLIError, build_model, build_schedule, load_dataset, model_needs_images
from .run_history import earlier_history, whole_history

__all__ = ["add_parser", "train", "run"]

EPILOG = """examples:
  nerve train --dataset digits --model mlp --epochs 20
  nerve train --dataset fashion-mnist --model simple_conv_net --optimizer adam --lr 0.001 --schedule cosine
  nerve train --dataset photos/ --image-size 32 --model vgg_small --out runs/photos
  nerve train --dataset digits --resume runs/train/model.npz --epochs 5
"""


def add_common_data_args(p, default_dataset: str = "digits (offline, default)") -> None:
    p.add_argument("--dataset", default="digits",
                   help=f"{default_dataset} | mnist | fashion-mnist | a folder of class subfolders | an .npz "
                        "with x_train, y_train[, x_test, y_test, class_names]")
    p.add_argument("--data-dir", default=None, help="where MNIST-family IDX files are (default: search and download)")
    p.add_argument("--no-verify", dest="verify", action="store_false",
                   help="use MNIST-family files whose SHA-256 does not match the published one")
    p.add_argument("--image-size", type=int, default=32, help="image folders: resize to this many pixels square")
    p.add_argument("--color-mode", choices=("rgb", "grayscale"), default="rgb", help="image folders: colour mode")
    p.add_argument("--limit", type=int, default=None, help="use at most this many training (and test) samples")


def train_parser():
    """`nerve train`'s parser on its own (what a sweep's trial parses its command line with)."""
    import argparse

    sub = argparse.ArgumentParser(prog="nerve", add_help=False).add_subparsers()
    add_parser(sub)
    return sub.choices["train"]


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="train a model and save it with its history and curves",
                       description="Train a model; writes OUT/model.npz, OUT/history.csv, OUT/history.json and "
                                   "OUT/curves.png, then prints the test accuracy.",
                       epilog=EPILOG, formatter_class=_formatter())
    add_common_data_args(p)
    p.add_argument("--model", default="mlp",
                   help="mlp (default), a zoo name (two_layer_net, simple_conv_net, deep_conv_net, lenet5, "
                        "vgg_small, alexnet_like) or an architecture JSON file (from model.to_json())")
    p.add_argument("--epochs", type=int, default=10, help="epochs to train (default 10)")
    p.add_argument("--batch-size", type=int, default=32, help="mini-batch size (default 32)")
    p.add_argument("--optimizer", default="adam",
                   help="sgd, momentum, nesterov, adagrad, rmsprop, adam (default), adamw")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: the optimizer's own)")
    p.add_argument("--schedule", default=None,
                   help="learning-rate schedule over the run: exponential, natural_exp, inverse_time, polynomial, "
                        "step, multistep, piecewise, cosine, noam, warmup, plateau; override arguments with "
                        "NAME:key=value,... e.g. step:step_size=200,gamma=0.5")
    p.add_argument("--weight-decay", type=float, default=0.0, help="L2 weight decay (default 0)")
    p.add_argument("--clipnorm", type=float, default=None, help="clip each gradient array to this L2 norm (Keras)")
    p.add_argument("--clipvalue", type=float, default=None, help="clip each gradient element to [-v, v] (Keras)")
    p.add_argument("--global-clipnorm", type=float, default=None,
                   help="scale all gradients together to at most this global L2 norm (Keras)")
    p.add_argument("--val-split", type=float, default=0.1, help="fraction of training data held out for validation")
    p.add_argument("--patience", type=int, default=None, help="stop early after this many epochs without "
                                                                 "val_loss improving (restores the best weights)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", default=None,
                   help="output folder (default runs/train; with --resume, the resumed model's folder)")
    p.add_argument("--resume", default=None, metavar="MODEL", help="continue training a saved model.npz")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--distributed", action="store_true",
                   help="data-parallel over the processes `mpiexec -n K` started: each computes its part of every "
                        "global --batch-size batch, gradients are averaged, rank 0 writes the files")
    p.add_argument("--average-bn-stats", action="store_true",
                   help="with --distributed: average BatchNorm's running statistics over the processes after each "
                        "epoch (default: each process keeps its own and rank 0's are saved)")
    p.add_argument("--device", default="cpu",
                   help="where to train: cpu (default), cuda or cuda:<n> (needs CuPy: pip install 'nerve[gpu-cuda12]')")
    p.set_defaults(run=run)


def _formatter():
    import argparse

    return argparse.RawDescriptionHelpFormatter


def _check_args(args) -> None:
    for name in ("epochs", "batch_size"):
        if getattr(args, name) < 1:
            raise CLIError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}",
                           "give a positive integer")
    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        raise CLIError(f"--lr must be a positive number, got {args.lr}", "try 0.1, 0.01 or 0.001 (or `nerve lr-find`)")
    if not 0 <= args.val_split < 1:
        raise CLIError(f"--val-split must be in [0, 1), got {args.val_split}", "e.g. --val-split 0.1")


def _model_and_data(args):
    import nerve

    if args.resume:
        model = nerve.load_model(args.resume, restore_rng=True)
        images = len(model.input_shape) == 3
    else:
        images = model_needs_images(args.model)
        model = None
    data = load_dataset(args.dataset, flatten=not images, data_dir=args.data_dir, verify=args.verify,
                        image_size=args.image_size,
                        color_mode=args.color_mode, limit=args.limit, seed=args.seed)
    if model is None:
        model = build_model(args.model, data)
    elif model.input_shape != data.x_train.shape[1:]:
        raise CLIError(f"{args.resume} expects samples of shape {model.input_shape}, {args.dataset} has "
                       f"{data.x_train.shape[1:]}", "resume with the dataset the model was trained on")
    return model, data


def _compile(model, args, steps_per_epoch: int) -> None:
    from .. import optimizers, schedules
    from ..validation import InvalidParameterError

    clip = {k: getattr(args, k) for k in ("clipnorm", "clipvalue", "global_clipnorm") if getattr(args, k) is not None}
    if args.resume and args.lr is None and args.schedule is None and not clip and model.optimizer is not None:
        return  # keep the saved optimizer and its state (and its clipping)
    try:
        optimizer = optimizers.get(args.optimizer.lower(), **clip)
    except InvalidParameterError as e:  # a clipping value out of range
        raise CLIError(str(e), "give a positive number, e.g. --clipnorm 1.0") from None
    except ValueError as e:
        raise CLIError(str(e), "optimizers: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw") from None
    lr = args.lr if args.lr is not None else optimizer.current_lr
    optimizer.lr = build_schedule(args.schedule, lr, steps_per_epoch * args.epochs)
    if isinstance(optimizer.lr, schedules.LambdaDecay):
        raise CLIError("the lambda schedule needs Python code", "use it from Python: schedules.LambdaDecay(lr, fn)")
    model.compile(optimizer, "softmax_cross_entropy", metrics=["accuracy"], l2=args.weight_decay)


def _split_validation(data, fraction: float, seed: int):
    from ..data.split import train_test_split

    if fraction <= 0 or len(data.x_train) < 10:
        return data.x_train, data.t_train, None
    x, xv, t, tv = train_test_split(data.x_train, data.t_train, test_size=fraction, seed=seed)
    return x, t, (xv, tv)


class _LogLearningRate(Callback):
    """Adds the rate the next step will use to each epoch's logs (a column of history.csv)."""

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None and "lr" not in logs:
            logs["lr"] = self.model.optimizer.current_lr


def run(args) -> int:
    train(args)
    return 0


def _world(args):
    """The data-parallel world for --distributed (None without it); a clear error when MPI is missing."""
    if args.average_bn_stats and not args.distributed:
        raise CLIError("--average-bn-stats needs --distributed", "start with mpiexec -n K ... --distributed")
    if not args.distributed:
        return None
    from ..distributed import init, require_mpi4py

    try:
        require_mpi4py()
    except ImportError as e:
        raise CLIError(str(e), "pip install 'nerve[mpi]'") from None
    return init()


def train(args, extra_callbacks=()) -> dict:
    """Everything ``nerve train`` does for parsed ``args``; returns {"history", "test"} (sweeps reuse it)."""
    import nerve
    from nerve import callbacks, schedules

    _check_args(args)
    world = _world(args)
    root = world is None or world.is_root  # only rank 0 writes files and prints
    say = print if root else _silent
    nerve.seed(args.seed)
    model, data = _model_and_data(args)
    x, t, validation = _split_validation(data, args.val_split, args.seed)
    _compile(model, args, math.ceil(len(x) / args.batch_size))
    try:
        model.to(args.device)  # after compile, so a resumed optimizer's state moves too
    except (ValueError, RuntimeError) as e:
        raise CLIError(f"--device {args.device}: {e}", "train on the CPU with --device cpu") from None
    out = Path(args.out if args.out is not None else Path(args.resume).parent if args.resume else "runs/train")
    start = model.epochs_trained if args.resume else 0
    if root:
        out.mkdir(parents=True, exist_ok=True)
        if args.resume:
            earlier_history(Path(args.resume).parent / "history.csv", out / "history.csv", start)
    model.class_names, model.preprocessing = data.class_names, data.preprocessing
    monitor = "val_loss" if validation is not None else "loss"
    cbs = [*extra_callbacks, _LogLearningRate()]
    if world is not None:  # first: every later callback sees the logs averaged over the processes
        from ..distributed import DataParallel

        cbs.insert(0, DataParallel(world, average_batchnorm=args.average_bn_stats))
    if root:
        cbs += [callbacks.CSVLogger(out / "history.csv", append=bool(args.resume)),
                callbacks.ModelCheckpoint(out / "model.npz", monitor=monitor)]
    if isinstance(model.optimizer.lr, schedules.ReduceOnPlateau):
        cbs.append(callbacks.ReduceLROnPlateau(monitor=monitor))
    if args.patience is not None:
        cbs.append(callbacks.EarlyStopping(monitor=monitor, patience=args.patience, restore_best_weights=True))
    # every process examines the model (the same draws keep their generators in step); rank 0 speaks
    doctor = callbacks.Doctor(x[:256], t[:256], print_fn=None if args.quiet else say)
    cbs.append(doctor)
    processes = f" on {world.size} processes" if world is not None else ""
    say(f"training {model.name or 'sequential'} ({model.count_params():,} parameters) on {data.name}: "
        f"{len(x)} samples, {data.num_classes} classes, {args.epochs} epochs{processes}", flush=True)
    train_data = (x, t)
    if world is not None:  # this process's part of every global batch
        from ..distributed import shard

        train_data = (shard(x, t, world, batch_size=args.batch_size),)
    history = model.fit(*train_data, epochs=start + args.epochs, initial_epoch=start, batch_size=args.batch_size,
                        validation_data=validation, callbacks=cbs, verbose=0 if args.quiet or not root else 1)
    result = {"history": history, "test": None}
    if root:
        result["test"] = _finish(model, args, data, out, history, doctor)
    return result


def _silent(*args, **kwargs) -> None:
    pass


def _finish(model, args, data, out: Path, history, doctor) -> dict:
    """Rank 0's part after fit: the model file, the history files, the curves and the test accuracy."""
    model.save(out / "model.npz", dataset=args.dataset, seed=args.seed)
    epochs, logs = whole_history(out / "history.csv", history)
    (out / "history.json").write_text(json.dumps({"epoch": epochs, **logs,
                                                  "interrupted": bool(getattr(history, "interrupted", False))},
                                                 indent=1))
    written = ["model.npz", "history.csv", "history.json"]
    try:
        from ..plot import plot_history

        plot_history({k: [math.nan if v is None else v for v in vs] for k, vs in logs.items()},
                     path=out / "curves.png")
        written.append("curves.png")
    except ImportError as e:
        warnings.warn(f"curves.png not written: {e}", UserWarning, stacklevel=1)
    result = model.evaluate(data.x_test, data.t_test)
    print(f"wrote {', '.join(str(out / w) for w in written)}")
    print(f"test accuracy: {result['accuracy']:.4f}  (test loss {result['loss']:.4f}, {len(data.x_test)} samples)")
    if doctor.history_:
        last = doctor.history_[-1]
        print("doctor, last epoch: " + ", ".join(f"{r['name']} |grad| {r['grad_norm']:.2e} update/weight "
                                                 f"{r['update_ratio'] or 0:.1e}" for r in last["layers"]))
        print("doctor: " + (" ".join(last["hints"]) or "nothing looks wrong"))
    return result
