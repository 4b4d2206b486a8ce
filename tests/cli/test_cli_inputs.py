"""Bad command-line input gets a clear error (issue 15's new-user probe): limits, folders, files, pipes, help."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from nerve.cli import build_parser, main


@pytest.mark.parametrize("command", [["train", "--epochs", "1"], ["lr-find", "--steps", "2"]])
@pytest.mark.parametrize("limit", ["-5", "0"])
def test_a_limit_below_one_is_refused(command, limit, tmp_path, capsys):
    assert main([*command, "--limit", limit, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"--limit must be at least 1, got {limit}" in err
    assert not (tmp_path / "o").exists()


def test_a_missing_data_dir_is_refused(tmp_path, capsys):
    missing = tmp_path / "nonexistent"
    assert main(["train", "--dataset", "mnist", "--data-dir", str(missing), "--out", str(tmp_path)]) == 2
    assert f"--data-dir {missing} is not a folder" in capsys.readouterr().err


def test_plot_of_a_model_file_points_to_the_history(tmp_path, capsys):
    import nerve
    from nerve.layers import Dense

    nerve.Sequential([Dense(2)], input_shape=(2,)).save(tmp_path / "model.npz")
    assert main(["plot", str(tmp_path / "model.npz")]) == 2
    err = capsys.readouterr().err
    assert "is a model file" in err and "history.json" in err and "codec" not in err


def test_plot_of_a_binary_file_says_so(tmp_path, capsys):
    (tmp_path / "history.csv").write_bytes(b"\xff\xfe\x00binary")
    assert main(["plot", str(tmp_path / "history.csv")]) == 2
    assert "not a text file" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "nerve.cli", "examples"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    proc.stderr.close()
    assert "Broken pipe" not in err and "Traceback" not in err, err


def test_evaluate_help_states_its_own_default_dataset():
    sub = build_parser()._subparsers._group_actions[0].choices
    evaluate = sub["evaluate"].format_help()
    assert "the dataset MODEL was trained on" in evaluate and "digits (offline, default)" not in evaluate
    assert "digits (offline, default)" in sub["train"].format_help()


def test_the_checksum_hint_names_the_cli_flag(tmp_path, capsys):
    import gzip

    from nerve.data.mnist import _tables

    files, _ = _tables("mnist")
    for spec in files.values():
        with gzip.open(tmp_path / spec.name, "wb") as f:
            f.write(b"not the real file")
    assert main(["train", "--dataset", "mnist", "--data-dir", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "SHA-256" in err and "--no-verify" in err


def test_lr_find_and_train_default_to_the_same_optimizer_and_the_suggestion_names_it(tmp_path, capsys):
    sub = build_parser()._subparsers._group_actions[0].choices
    assert sub["lr-find"].get_default("optimizer") == sub["train"].get_default("optimizer")
    assert main(["lr-find", "--steps", "12", "--limit", "200", "--out", str(tmp_path / "lr.png")]) == 0
    captured = capsys.readouterr()
    default = sub["train"].get_default("optimizer")
    assert f"suggested learning rate for {default}:" in captured.out
    assert f"nerve train --optimizer {default} --lr" in captured.out
    assert "lr-find (Adam)" in captured.err and "/12" in captured.err  # the progress bar


def test_evaluate_shows_a_progress_bar_unless_quiet(tmp_path, capsys):
    assert main(["train", "--epochs", "1", "--limit", "200", "--out", str(tmp_path), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "model.npz")]) == 0
    assert "evaluating" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "model.npz"), "--quiet"]) == 0
    assert "evaluating" not in capsys.readouterr().err
