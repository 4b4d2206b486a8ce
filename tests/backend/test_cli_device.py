"""`nerve train --device`: training on another device end to end, and a readable error without CuPy."""

from __future__ import annotations

import importlib.util
import json

import pytest
from strict_array import install, uninstall

import nerve
from nerve.cli import main


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="checks the message shown without CuPy")
def test_train_on_cuda_without_cupy_is_a_one_line_error_saying_what_to_install(tmp_path, capsys):
    assert main(["train", "--device", "cuda", "--epochs", "1", "--limit", "100", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("error: --device cuda") and "cupy-cuda12x" in err[0]
    assert not (tmp_path / "model.npz").exists()


def test_train_with_a_bad_device_names_it(tmp_path, capsys):
    assert main(["train", "--device", "tpu", "--epochs", "1", "--limit", "100", "--out", str(tmp_path)]) == 2
    assert "'tpu'" in capsys.readouterr().err


def test_train_on_the_strict_device_runs_callbacks_saving_and_evaluation_without_host_leaks(tmp_path, capsys):
    install()
    try:
        code = main(["train", "--device", "strict", "--epochs", "2", "--limit", "300", "--patience", "1",
                     "--out", str(tmp_path), "--quiet"])
    finally:
        uninstall()
    assert code == 0, capsys.readouterr().err
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["loss"][-1] < history["loss"][0]
    model = nerve.load_model(tmp_path / "model.npz")  # a plain host model file
    assert model.epochs_trained >= 1
