"""Sweep inputs: grids and ranges parsed from the command line, and clear errors for bad ones."""

from __future__ import annotations

import pytest
from pip_extras import require

from nerve import sweep
from nerve.cli import main
from nerve.cli._common import CLIError
from nerve.cli.sweep import parse_grid, parse_range


def test_expand_grid_gives_every_combination_first_name_slowest():
    assert sweep.expand_grid({"a": [1, 2], "b": ["x", "y"]}) == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}, {"a": 2, "b": "y"}]


def test_grid_values_take_the_types_of_nerve_train_options():
    grid = parse_grid(["lr=0.001,0.01", "batch-size=32,64", "optimizer=sgd,adam"])
    assert grid == {"lr": [0.001, 0.01], "batch_size": [32, 64], "optimizer": ["sgd", "adam"]}
    assert type(grid["batch_size"][0]) is int


@pytest.mark.parametrize("items, message", [
    (["lrr=0.1"], "unknown grid parameter 'lrr'"),
    (["lr="], "lr: empty value"),
    (["lr=0.1,,0.2"], "lr: empty value"),
    (["batch_size=3.5"], "'3.5' is not a valid int"),
    (["lr0.1"], "cannot read --grid"),
    (["lr=0.1", "lr=0.2"], "given twice"),
])
def test_bad_grids_are_refused_with_the_parameter_named(items, message):
    with pytest.raises(CLIError, match=message):
        parse_grid(items)


def test_ranges_become_distributions():
    space = parse_range(["lr=1e-4:1e-1:log", "epochs=2:6", "val_split=0.1:0.3"])
    assert space == {"lr": sweep.LogUniform(1e-4, 1e-1), "epochs": sweep.IntUniform(2, 6),
                     "val_split": sweep.Uniform(0.1, 0.3)}
    with pytest.raises(CLIError, match="expected low < high, got low=0.1, high=0.01"):
        parse_range(["lr=0.1:0.01"])
    with pytest.raises(CLIError, match="cannot read --range"):
        parse_range(["lr=0.1:0.2:cubic"])


@pytest.mark.parametrize("argv, message", [
    (["--grid", "lrr=0.1"], "unknown grid parameter"),
    (["--grid", "lr="], "empty value"),
    ([], "nothing to sweep"),
    (["--range", "lr=0.001:0.1"], "--range needs --search tpe"),
    (["--search", "tpe", "--range", "lr=0.001:0.1"], "needs --trials"),
])
def test_the_command_explains_bad_arguments(argv, message, capsys):
    assert main(["sweep", *argv]) == 2
    assert message in capsys.readouterr().err


def test_an_unreachable_scheduler_times_out_naming_the_address(capsys):
    require("distributed")
    assert main(["sweep", "--grid", "lr=0.1", "--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert "no Dask scheduler answered at tcp://127.0.0.1:9 within 1 s" in err


def test_a_storage_that_cannot_be_opened_is_named(capsys, tmp_path):
    require("optuna")
    url = f"sqlite:///{tmp_path}/missing/dir/x.db"
    assert main(["sweep", "--search", "tpe", "--trials", "1", "--range", "lr=0.001:0.1", "--storage", url]) == 2
    assert f"cannot open the study storage '{url}'" in capsys.readouterr().err


def test_unknown_train_options_in_the_base_are_refused():
    with pytest.raises(ValueError, match="unknown `nerve train` option"):
        sweep.TrainTrial({"learning_rate": 0.1})
    with pytest.raises(ValueError, match="unknown parameter"):
        sweep.run(sweep.TrainTrial(), grid={"momentum": [0.9]})


def test_bad_distributions_are_refused():
    with pytest.raises(ValueError, match="low > 0"):
        sweep.LogUniform(0, 1)
    with pytest.raises(ValueError, match="low < high"):
        sweep.Uniform(1, 1)
    with pytest.raises(ValueError, match="integer bounds"):
        sweep.IntUniform(1.5, 3)
    with pytest.raises(ValueError, match="at least one value"):
        sweep.Choice(())
