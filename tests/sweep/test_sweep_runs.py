"""Sweeps on Dask: in-process, a 2-process LocalCluster and a real scheduler/worker pair; results and failures."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pip_extras import require

import nerve
from nerve import sweep
from nerve.cli import main

require("distributed")

DIGITS = {"dataset": "digits", "model": "mlp", "epochs": 2, "limit": 300}


def _rows(folder: Path) -> list[dict]:
    return list(csv.DictReader((folder / "results.csv").open()))


def test_a_trial_equals_a_plain_nerve_train_with_the_same_parameters(tmp_path):
    result = sweep.run(sweep.TrainTrial(DIGITS, out=tmp_path / "S"), grid={"lr": [0.01, 0.003]},
                       out=tmp_path / "S", workers=1, processes=False)
    assert [r["status"] for r in result.rows] == ["ok", "ok"]
    assert main(["train", "--dataset", "digits", "--model", "mlp", "--epochs", "2", "--limit", "300",
                 "--lr", "0.003", "--out", str(tmp_path / "plain"), "--quiet"]) == 0
    trial = nerve.load_model(tmp_path / "S" / "trials" / "0001" / "model.npz")
    plain = nerve.load_model(tmp_path / "plain" / "model.npz")
    for name, w in plain.params.items():
        np.testing.assert_allclose(trial.params[name], w, rtol=1e-5, atol=1e-6, err_msg=name)
    history = plain.history if hasattr(plain, "history") else None
    import json

    plain_history = json.loads((tmp_path / "plain" / "history.json").read_text())
    assert result.rows[1]["val_accuracy"] == pytest.approx(plain_history["val_accuracy"][-1], abs=1e-9)
    assert result.rows[1]["lr"] == 0.003 and result.rows[1]["seed"] == 0 and history is None


def test_results_csv_has_one_row_per_combination_and_a_figure(tmp_path):
    out = tmp_path / "S"
    sweep.run(sweep.TrainTrial(DIGITS, out=out), grid={"lr": [0.01, 0.001], "batch_size": [32, 64]}, out=out,
              workers=1, processes=False)
    rows = _rows(out)
    assert [(r["lr"], r["batch_size"]) for r in rows] == [("0.01", "32"), ("0.01", "64"), ("0.001", "32"),
                                                           ("0.001", "64")]
    assert list(rows[0])[:4] == ["trial", "status", "lr", "batch_size"]
    for column in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds", "seed"):
        assert all(float(r[column]) >= 0 for r in rows), column
    assert (out / "results.png").read_bytes()[:4] == b"\x89PNG"


def _flaky(params, reporter):
    if params["x"] == 2:
        raise RuntimeError("planted failure")
    if params["x"] == 3:
        return {"val_accuracy": float("nan")}
    return {"val_accuracy": params["x"] / 10}


def test_a_failing_trial_is_recorded_and_the_sweep_goes_on(tmp_path):
    result = sweep.run(_flaky, grid={"x": [1, 2, 3, 4]}, out=tmp_path, workers=1, processes=False)
    by_x = {r["x"]: r for r in result.rows}
    assert by_x[2]["status"] == "failed" and "planted failure" in by_x[2]["error"]
    assert by_x[1]["status"] == by_x[4]["status"] == "ok"
    assert result.best["x"] == 4
    assert "planted failure" in (tmp_path / "failures.txt").read_text()


def test_a_diverging_training_is_a_failed_trial(tmp_path):
    result = sweep.run(sweep.TrainTrial({**DIGITS, "optimizer": "sgd"}), grid={"lr": [1e30]}, workers=1,
                       processes=False)
    assert result.rows[0]["status"] == "failed" and "TrainingDivergedError" in result.rows[0]["error"]


def test_two_worker_processes_run_the_same_trials(tmp_path):
    result = sweep.run(sweep.TrainTrial(DIGITS, out=tmp_path), grid={"lr": [0.01, 0.003]}, out=tmp_path,
                       workers=2, processes=True)
    single = sweep.run(sweep.TrainTrial(DIGITS), grid={"lr": [0.01, 0.003]}, workers=1, processes=False)
    for a, b in zip(result.rows, single.rows):
        assert a["status"] == "ok" and a["val_accuracy"] == pytest.approx(b["val_accuracy"], abs=1e-6)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_dask_scheduler_and_worker_run_the_cli_sweep(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(nerve.__file__).parents[1]),
                                                                      os.environ.get("PYTHONPATH")]))}
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        code = main(["sweep", "--dataset", "digits", "--epochs", "1", "--limit", "200", "--grid", "lr=0.01,0.001",
                     "--scheduler", address, "--connect-timeout", "30", "--out", str(tmp_path)])
        assert code == 0
        assert [r["status"] for r in _rows(tmp_path)] == ["ok", "ok"]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


CLIMB_STEPS = 60  # ~1.2 s unless pruned: time for a loaded driver to hand down its verdict


def _climb(params, reporter):
    for step in range(CLIMB_STEPS):
        reporter.report(step, {"val_accuracy": params["x"] + step / 1000})
        if reporter.should_stop:
            break
        time.sleep(0.02)
    return {"val_accuracy": params["x"] + step / 1000, "epochs_run": step + 1}


def test_optuna_prunes_trials_that_fall_behind(tmp_path):
    require("optuna")
    result = sweep.run(_climb, space={"x": sweep.Uniform(0.0, 1.0)}, search="tpe", trials=8, workers=1,
                       processes=False, seed=3)
    pruned = [r for r in result.rows if r["status"] == "pruned"]
    assert len(result.rows) == 8 and pruned
    assert all(r["epochs_run"] < CLIMB_STEPS for r in pruned)
    kept = [r["x"] for r in result.rows if r["status"] == "ok"]
    assert all(r["x"] < max(kept) for r in pruned)


def test_an_interrupted_study_resumes_from_its_storage(tmp_path):
    optuna = require("optuna")
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    kwargs = dict(space={"x": sweep.Uniform(0.0, 1.0)}, search="tpe", storage=storage, out=tmp_path / "S",
                  workers=1, processes=False, prune=False)
    sweep.run(_flaky_free, trials=2, **kwargs)
    second = sweep.run(_flaky_free, trials=3, **kwargs)
    assert len(second.rows) == 3 and [r["trial"] for r in second.rows] == [0, 1, 2]
    study = optuna.load_study(study_name="nerve-sweep", storage=storage)
    assert len(study.trials) == 3
    xs = [t.params["x"] for t in study.trials]
    assert len(set(xs)) == 3  # the resumed run did not replay the first proposals
    assert len(_rows(tmp_path / "S")) == 3


def _flaky_free(params, reporter):
    return {"val_accuracy": params["x"]}


def test_ctrl_c_stops_the_sweep_and_keeps_finished_rows(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(nerve.__file__).parents[1]),
                                                                      os.environ.get("PYTHONPATH")]))}
    grid = ",".join(str(0.001 * (k + 1)) for k in range(12))
    proc = subprocess.Popen([sys.executable, "-m", "nerve.cli", "sweep", "--dataset", "digits", "--epochs", "3",
                             "--limit", "400", "--grid", f"lr={grid}", "--workers", "1", "--out", str(tmp_path)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not ((tmp_path / "results.csv").is_file()
                                                    and len(_rows(tmp_path)) >= 1):
            time.sleep(0.1)
        assert (tmp_path / "results.csv").is_file(), "no trial finished in 90 s"
        proc.send_signal(2)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2 and "interrupted: kept the" in out
    rows = _rows(tmp_path)
    assert 1 <= len(rows) < 12 and all(r["status"] == "ok" for r in rows)
