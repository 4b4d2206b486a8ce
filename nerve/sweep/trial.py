"""One trial: ``nerve train`` with some parameters changed, or a user's function; both report per epoch."""

from __future__ import annotations

import time
import traceback

from ..callbacks import Callback

__all__ = ["Reporter", "TrainTrial", "ModelTrial", "TRAIN_PARAMETERS", "execute"]

#: the `nerve train` options a sweep may vary (the dest names of its parser)
TRAIN_PARAMETERS = ("lr", "batch_size", "epochs", "optimizer", "weight_decay", "clipnorm", "clipvalue",
                    "global_clipnorm", "seed", "model", "schedule",
                    "val_split", "patience", "limit", "dataset", "image_size", "color_mode", "data_dir")


class Reporter:
    """What a trial is handed: ``report(step, logs)`` after each epoch; ``should_stop`` once it was pruned.

    Outside a sweep that prunes, reports are kept only in ``history``. The sweep's driver gives trials a
    reporter that forwards each report over Dask to the driver (where Optuna decides) and checks a Dask
    ``Event`` for the verdict.
    """

    def __init__(self):
        self.history: list[tuple[int, dict]] = []
        self.pruned = False

    def report(self, step: int, logs: dict) -> None:
        self.history.append((int(step), dict(logs)))

    @property
    def should_stop(self) -> bool:
        return self.pruned


class _ReportEpochs(Callback):
    """Sends each epoch's logs to the reporter and stops training when the trial was pruned."""

    def __init__(self, reporter: Reporter):
        super().__init__()
        self.reporter = reporter

    def on_epoch_end(self, epoch, logs=None):
        self.reporter.report(epoch, {k: float(v) for k, v in (logs or {}).items()})
        if self.reporter.should_stop:
            self.model.stop_training = True


class TrainTrial:
    """A trial that is exactly ``nerve train`` with ``base`` options and the trial's parameters.

    ``base`` holds `nerve train` options by their long names with ``_`` (``{"dataset": "digits", "epochs": 2}``);
    each trial writes its model, history and curves to ``<out>/trials/<number>/``. The result is the last
    epoch's logs (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``) plus ``test_loss``/``test_accuracy``.
    """

    def __init__(self, base: dict | None = None, out=None):
        self.base = dict(base or {})
        unknown = sorted(set(self.base) - set(TRAIN_PARAMETERS))
        if unknown:
            raise ValueError(f"TrainTrial: unknown `nerve train` option(s) {unknown}; "
                             f"known: {', '.join(TRAIN_PARAMETERS)}")
        self.out = out

    def check(self, names) -> None:
        """Refuse parameters `nerve train` does not have, before anything runs."""
        unknown = sorted(set(names) - set(TRAIN_PARAMETERS))
        if unknown:
            raise ValueError(f"sweep: unknown parameter(s) {unknown} for `nerve train`; "
                             f"known: {', '.join(TRAIN_PARAMETERS)}")

    def arguments(self, params: dict, number: int) -> list[str]:
        """The `nerve train` command line of trial ``number`` (without the program name)."""
        from pathlib import Path

        values = {**self.base, **params}
        argv = ["train", "--quiet"]
        for name, value in values.items():
            if value is not None:
                argv += [f"--{name.replace('_', '-')}", str(value)]
        folder = Path(self.out) / "trials" / f"{number:04d}" if self.out is not None else None
        if folder is not None:
            argv += ["--out", str(folder)]
        return argv

    def __call__(self, params: dict, reporter: Reporter, number: int = 0) -> dict:
        import contextlib
        import io
        import tempfile

        from ..cli.train import train, train_parser

        with contextlib.ExitStack() as stack:
            argv = self.arguments(params, number)
            if self.out is None:
                argv += ["--out", stack.enter_context(tempfile.TemporaryDirectory())]
            args = train_parser().parse_args(argv[1:])  # argv[0] is the command, "train"
            with contextlib.redirect_stdout(io.StringIO()):
                result = train(args, extra_callbacks=[_ReportEpochs(reporter)])
        history = result["history"].history
        row = {k: v[-1] for k, v in history.items() if v}
        row.update({f"test_{k}": v for k, v in result["test"].items()})
        row["epochs_run"] = len(result["history"].epoch)
        row["seed"] = args.seed
        return row


class ModelTrial:
    """A trial from a model factory: ``factory(params)`` returns a compiled model, fitted on the given data.

    ``params`` may also set ``batch_size`` and ``epochs`` (else the defaults given here); ``seed`` (default 0)
    is passed to ``nerve.seed`` before the factory runs, so a trial is reproducible on any worker.
    """

    def __init__(self, factory, x, y, validation_data=None, epochs: int = 1, batch_size: int = 32):
        if not callable(factory):
            raise ValueError(f"ModelTrial: `factory` must be callable, got {factory!r}")
        self.factory, self.x, self.y = factory, x, y
        self.validation_data, self.epochs, self.batch_size = validation_data, epochs, batch_size

    def check(self, names) -> None:
        pass

    def __call__(self, params: dict, reporter: Reporter, number: int = 0) -> dict:
        import nerve

        seed = params.get("seed", 0)
        nerve.seed(seed)
        model = self.factory(params)
        history = model.fit(self.x, self.y, epochs=params.get("epochs", self.epochs),
                            batch_size=params.get("batch_size", self.batch_size),
                            validation_data=self.validation_data, verbose=0, callbacks=[_ReportEpochs(reporter)])
        row = {k: v[-1] for k, v in history.history.items() if v}
        row["epochs_run"] = len(history.epoch)
        row["seed"] = seed
        return row


def execute(trial, params: dict, number: int, reporter: Reporter | None = None) -> dict:
    """Run one trial and return its row; an exception becomes ``status="failed"`` with the error, never a crash."""
    reporter = reporter if reporter is not None else Reporter()
    start = time.perf_counter()
    row = {"trial": number, **params}
    try:
        metrics = trial(params, reporter) if not isinstance(trial, (TrainTrial, ModelTrial)) \
            else trial(params, reporter, number)
        if not isinstance(metrics, dict):
            raise TypeError(f"a trial function must return a dict of metrics, got {type(metrics).__name__}")
        row.update(metrics)
        row["status"] = "pruned" if reporter.should_stop else "ok"
        row["error"] = ""
    except Exception as e:  # a failing trial is a result, not the end of the sweep
        row["status"] = "failed"
        row["error"] = f"{type(e).__name__}: {e}".splitlines()[0] if str(e) else type(e).__name__
        row["traceback"] = traceback.format_exc(limit=-3)
    row["seconds"] = round(time.perf_counter() - start, 3)
    row.setdefault("seed", params.get("seed", 0))
    return row
