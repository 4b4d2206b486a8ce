"""Hyperparameter sweeps on Dask: every grid combination, or Optuna's proposals, each trial its own training.

    >>> from nerve import sweep
    >>> result = sweep.run(sweep.TrainTrial({"dataset": "digits", "model": "mlp", "epochs": 2}, out="S"),
    ...                    grid={"lr": [0.001, 0.01], "batch_size": [32, 64]}, out="S")
    >>> result.best["val_accuracy"]

A trial is ``nerve train`` with some options changed (``TrainTrial``), a model factory fitted on your data
(``ModelTrial``), or any function ``fn(params, reporter) -> dict of metrics``. Dask and Optuna are optional
(extra ``sweep``) and imported only when a sweep runs.
"""

from __future__ import annotations

from .runner import SweepResult, run
from .space import Choice, IntUniform, LogUniform, Uniform, expand_grid
from .trial import TRAIN_PARAMETERS, ModelTrial, Reporter, TrainTrial

__all__ = ["run", "SweepResult", "TrainTrial", "ModelTrial", "Reporter", "Choice", "Uniform", "LogUniform",
           "IntUniform", "expand_grid", "TRAIN_PARAMETERS"]
