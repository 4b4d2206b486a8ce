"""Run a sweep: every grid combination, or Optuna's proposals (ask/tell here, Dask runs the trials)."""

from __future__ import annotations

import math
import uuid

from .cluster import connect
from .results import ResultsTable
from .space import check_space, expand_grid
from .trial import Reporter, execute

__all__ = ["run", "SweepResult"]


class SweepResult:
    """The rows of a finished (or interrupted) sweep, and the best trial by the sweep's metric."""

    def __init__(self, table: ResultsTable, metric: str, maximize: bool, interrupted: bool):
        self.table, self.metric, self.maximize, self.interrupted = table, metric, maximize, interrupted

    @property
    def rows(self) -> list[dict]:
        return sorted(self.table.rows, key=lambda r: r["trial"])

    @property
    def best(self) -> dict | None:
        return self.table.best(self.metric, self.maximize)

    def __repr__(self):
        return f"SweepResult({len(self.rows)} trials, best {self.metric}={(self.best or {}).get(self.metric)})"


class _DaskReporter(Reporter):
    """Forwards each epoch's ``metric`` to the driver over a Dask Queue; pruned when the driver sets an Event."""

    def __init__(self, sweep_id: str, number: int, metric: str):
        super().__init__()
        self.sweep_id, self.number, self.metric = sweep_id, number, metric

    def report(self, step: int, logs: dict) -> None:
        from distributed import Queue

        super().report(step, logs)
        if self.metric in logs:
            Queue(f"{self.sweep_id}-reports").put({"trial": self.number, "step": int(step),
                                                    "value": float(logs[self.metric])})

    @property
    def should_stop(self) -> bool:
        from distributed import Event

        self.pruned = self.pruned or Event(f"{self.sweep_id}-prune-{self.number}").is_set()
        return self.pruned


def run(trial, *, grid=None, space=None, search: str = "grid", trials: int | None = None, out=None,
        scheduler: str | None = None, workers: int = 2, processes: bool = True, storage: str | None = None,
        study_name: str = "nerve-sweep", metric: str = "val_accuracy", direction: str = "maximize",
        prune: bool = True, seed: int = 0, connect_timeout: float = 10.0, on_row=None) -> SweepResult:
    """Run ``trial`` (a TrainTrial, a ModelTrial or ``fn(params, reporter) -> dict``) over a grid or a space.

    ``search="grid"`` runs every combination of ``grid``; ``search="tpe"`` (or "random") lets Optuna propose
    ``trials`` parameter sets from ``space`` (a ``storage`` URL such as ``sqlite:///sweep.db`` resumes a study),
    pruning trials whose per-epoch ``metric`` falls behind (MedianPruner) when ``prune``. Trials run on a Dask
    cluster: ``scheduler`` ("tcp://host:8786") or a LocalCluster of ``workers`` one-thread processes.
    A failing trial is recorded with its error; Ctrl-C stops after cancelling what runs and keeps finished rows.
    """
    if direction not in ("maximize", "minimize"):
        raise ValueError(f"sweep: `direction` must be 'maximize' or 'minimize', got {direction!r}")
    if search not in ("grid", "tpe", "random"):
        raise ValueError(f"sweep: `search` must be 'grid', 'tpe' or 'random', got {search!r}")
    check = getattr(trial, "check", None)
    if search == "grid":
        if grid is None:
            raise ValueError("sweep: a grid search needs `grid` (name -> list of values)")
        combos = expand_grid(grid)
        if check:
            check(combos[0].keys())
        table = ResultsTable(out, parameters=list(combos[0]))
    else:
        space = check_space(space if space is not None else grid)
        if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
            raise ValueError(f"sweep: `trials` must be an integer >= 1 for search={search!r}, got {trials!r}")
        if check:
            check(space.keys())
        study = _open_study(search, storage, study_name, direction, prune, seed)
        table = ResultsTable(out, parameters=list(space), keep_previous=bool(study.trials))
    maximize = direction == "maximize"
    interrupted = False
    with connect(scheduler, workers=workers, processes=processes, timeout=connect_timeout) as client:
        try:
            if search == "grid":
                _run_grid(client, trial, combos, table, on_row)
            else:
                _run_study(client, trial, study, space, trials, table, metric, prune, on_row)
        except KeyboardInterrupt:
            interrupted = True
    if out is not None and table.rows:
        try:
            table.plot(metric)
        except ImportError:
            pass
    return SweepResult(table, metric, maximize, interrupted)


def _run_grid(client, trial, combos, table, on_row) -> None:
    from distributed import as_completed

    futures = [client.submit(execute, trial, params, number, pure=False, key=f"nerve-trial-{uuid.uuid4().hex}")
               for number, params in enumerate(combos)]
    try:
        for future in as_completed(futures):
            _record(table, future.result(), on_row)
    except BaseException:
        client.cancel(futures)
        raise


def _open_study(search, storage, study_name, direction, prune, seed):
    try:
        import optuna
    except ImportError:
        raise ImportError(f"search={search!r} needs Optuna: pip install 'nerve[sweep]' (or pip install optuna)") \
            from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    pruner = optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0) if prune else optuna.pruners.NopPruner()
    try:
        study = optuna.create_study(storage=storage, study_name=study_name, direction=direction, pruner=pruner,
                                    load_if_exists=True)
    except Exception as e:  # SQLAlchemy/optuna raise many kinds; the user needs the URL and the reason
        raise ValueError(f"sweep: cannot open the study storage {storage!r} ({type(e).__name__}: {e})".splitlines()[0]
                         ) from None
    # NOTE: a resumed study must not replay the proposals of its first run, so the seed moves on with it
    seed += len(study.trials)
    study.sampler = optuna.samplers.TPESampler(seed=seed) if search == "tpe" \
        else optuna.samplers.RandomSampler(seed=seed)
    return study


def _run_study(client, trial, study, space, trials, table, metric, prune, on_row) -> None:
    import optuna
    from distributed import Event, Queue, wait

    states = optuna.trial.TrialState
    finished = sum(1 for t in study.get_trials(deepcopy=False)
                   if t.state in (states.COMPLETE, states.PRUNED, states.FAIL))
    sweep_id = f"nerve-sweep-{uuid.uuid4().hex}"
    reports = Queue(f"{sweep_id}-reports")
    parallel = max(1, sum(client.nthreads().values()))
    running: dict = {}  # future -> optuna trial
    try:
        while finished + len(running) < trials or running:
            while len(running) < parallel and finished + len(running) < trials:
                t = study.ask()
                params = {name: dist.suggest(t, name) for name, dist in space.items()}
                reporter = _DaskReporter(sweep_id, t.number, metric) if prune else None
                future = client.submit(execute, trial, params, t.number, reporter, pure=False,
                                       key=f"nerve-trial-{uuid.uuid4().hex}")
                running[future] = t
            try:
                done = wait(list(running), timeout=0.2, return_when="FIRST_COMPLETED").done
            except TimeoutError:  # nothing finished yet: read the reports and wait again
                done = set()
            by_number = {t.number: t for t in running.values()}
            for report in reports.get(batch=True):
                t = by_number.get(report["trial"])
                if t is not None:
                    t.report(report["value"], report["step"])
                    if t.should_prune():
                        Event(f"{sweep_id}-prune-{t.number}").set()
            for future in done:
                t = running.pop(future)
                row = future.result()
                _tell(study, t, row, metric, states)
                _record(table, row, on_row)
                finished += 1
    except BaseException:
        client.cancel(list(running))
        for t in running.values():
            study.tell(t, state=states.FAIL)
        raise


def _tell(study, t, row, metric, states) -> None:
    value = row.get(metric)
    if row["status"] == "pruned":
        study.tell(t, state=states.PRUNED)
    elif row["status"] == "ok" and isinstance(value, (int, float)) and math.isfinite(value):
        study.tell(t, float(value))
    else:
        if row["status"] == "ok":
            row["status"], row["error"] = "failed", f"the trial returned no finite {metric!r}"
        study.tell(t, state=states.FAIL)


def _record(table, row, on_row) -> None:
    table.add(row)
    if on_row is not None:
        on_row(row)
