"""The `nerve` command: every subcommand end to end on the offline digits, and readable errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import nerve
from nerve.cli import build_parser, main

SUBCOMMANDS = ["train", "evaluate", "predict", "summary", "plot", "lr-find", "examples", "playground", "sweep"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    code = main(["train", "--dataset", "digits", "--model", "mlp", "--epochs", "3", "--limit", "600",
                 "--optimizer", "sgd", "--lr", "0.1", "--schedule", "cosine", "--out", str(out), "--quiet"])
    assert code == 0
    return out


def test_train_writes_model_history_and_curves(trained):
    assert sorted(p.name for p in trained.iterdir()) == ["curves.png", "history.csv", "history.json", "model.npz"]
    history = json.loads((trained / "history.json").read_text())
    assert history["epoch"] == [0, 1, 2] and len(history["val_loss"]) == 3
    header = (trained / "history.csv").read_text().splitlines()[0]
    assert header == "epoch,loss,accuracy,val_loss,val_accuracy,lr"
    assert history["loss"][-1] < history["loss"][0]
    model = nerve.load_model(trained / "model.npz")
    assert model.class_names == [str(i) for i in range(10)] and model.metadata["dataset"] == "digits"
    assert type(model.optimizer.lr).__name__ == "CosineDecay" and model.epochs_trained == 3
    assert (trained / "curves.png").read_bytes()[:4] == b"\x89PNG"


def test_train_prints_the_test_accuracy(tmp_path, capsys):
    assert main(["train", "--epochs", "4", "--lr", "0.01", "--out", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out.splitlines()
    line = [ln for ln in out if ln.startswith("test accuracy:")][0]
    assert float(line.split()[2]) > 0.8  # digits with the default mlp and Adam
    assert any(ln.startswith("doctor, last epoch: dense_1 |grad| ") for ln in out)  # the training doctor's report
    assert any(ln.startswith("doctor: ") for ln in out)


def test_train_resume_continues_the_epochs(trained, tmp_path):
    out = tmp_path / "more"
    assert main(["train", "--resume", str(trained / "model.npz"), "--epochs", "2", "--limit", "600",
                 "--out", str(out), "--quiet"]) == 0
    history = json.loads((out / "history.json").read_text())
    assert history["epoch"] == [0, 1, 2, 3, 4] and nerve.load_model(out / "model.npz").epochs_trained == 5
    earlier = json.loads((trained / "history.json").read_text())
    assert history["loss"][:3] == earlier["loss"] and len(history["val_loss"]) == 5
    rows = (out / "history.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in rows] == ["epoch", "0", "1", "2", "3", "4"]


def test_resume_from_a_checkpoint_goes_on_in_its_folder_with_the_real_epoch_numbers(tmp_path):
    """A run stopped after its checkpoint (here: killed during epoch 3) resumes where the file says."""
    import shutil

    run = tmp_path / "run"
    assert main(["train", "--epochs", "2", "--limit", "300", "--out", str(run), "--quiet"]) == 0
    shutil.copy(run / "model.npz", tmp_path / "checkpoint.npz")
    assert main(["train", "--resume", str(run / "model.npz"), "--epochs", "1", "--limit", "300", "--quiet"]) == 0
    # the crash: history.csv got epoch 2, the checkpoint of epoch 2 was never written
    shutil.copy(tmp_path / "checkpoint.npz", run / "model.npz")
    assert main(["train", "--resume", str(run / "model.npz"), "--epochs", "2", "--limit", "300", "--quiet"]) == 0
    history = json.loads((run / "history.json").read_text())
    assert history["epoch"] == [0, 1, 2, 3] and len(history["loss"]) == 4
    rows = (run / "history.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in rows] == ["epoch", "0", "1", "2", "3"]
    assert nerve.load_model(run / "model.npz").epochs_trained == 4


def test_resumed_run_ends_with_the_weights_of_one_long_run(tmp_path):
    common = ["--limit", "300", "--quiet"]
    assert main(["train", "--epochs", "4", "--out", str(tmp_path / "long"), *common]) == 0
    assert main(["train", "--epochs", "2", "--out", str(tmp_path / "half"), *common]) == 0
    assert main(["train", "--resume", str(tmp_path / "half" / "model.npz"), "--epochs", "2",
                 "--out", str(tmp_path / "rest"), *common]) == 0
    long, rest = (nerve.load_model(tmp_path / d / "model.npz") for d in ("long", "rest"))
    for key, value in long.params.items():
        np.testing.assert_array_equal(rest.params[key], value)


def test_evaluate_reports_accuracy_per_class_and_confusion(trained, capsys):
    assert main(["evaluate", str(trained / "model.npz")]) == 0
    out = capsys.readouterr().out
    assert "test accuracy:" in out and "precision" in out and "macro avg" in out
    assert (trained / "confusion.png").read_bytes()[:4] == b"\x89PNG"


def test_predict_images_and_arrays_top_k(trained, tmp_path, capsys):
    from PIL import Image

    (_, _), (xt, tt) = nerve.datasets.load_digits()
    np.save(tmp_path / "batch.npy", xt[:4])
    Image.fromarray((xt[0].reshape(8, 8) * 255).astype(np.uint8)).save(tmp_path / "digit.png")
    assert main(["predict", str(trained / "model.npz"), str(tmp_path / "batch.npy"), str(tmp_path / "digit.png"),
                 "--top-k", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith(f"{tmp_path / 'batch.npy'}[0]: ")
    def classes(line):
        return [p.split()[0] for p in line.split(": ")[1].split(", ")]

    assert classes(lines[0]) == classes(lines[4])  # the PNG of sample 0 (8-bit rounded) gives the same answer
    probs = [float(p.split()[1]) for p in lines[1].split(": ")[1].split(", ")]
    assert len(probs) == 2 and probs[0] >= probs[1]


def test_summary_and_plot(trained, tmp_path, capsys):
    assert main(["summary", str(trained / "model.npz")]) == 0
    out = capsys.readouterr().out
    assert "dense_1 (Dense)" in out and "epochs trained: 3" in out and "CosineDecay" in out
    assert main(["plot", str(trained / "history.csv"), "--out", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def test_lr_find_suggests_a_rate(tmp_path, capsys):
    assert main(["lr-find", "--steps", "30", "--limit", "400", "--out", str(tmp_path / "lr.png")]) == 0
    out = capsys.readouterr().out
    suggestion = float(out.strip().splitlines()[-1].split(":")[1].split()[0])
    assert 1e-7 < suggestion < 1 and (tmp_path / "lr.png").exists()


def test_playground_subcommand_calls_serve(monkeypatch):
    import nerve.playground

    calls = []
    monkeypatch.setattr(nerve.playground, "serve", lambda **kw: calls.append(kw))
    assert main(["playground", "--port", "8123", "--no-browser"]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 8123, "open_browser": False}]


@pytest.mark.parametrize("argv", [[], *[[c] for c in SUBCOMMANDS]])
def test_help_everywhere(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: nerve" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["train", "--dataset", "cifar-1000"], "unknown dataset"),
    (["train", "--model", "resnet9000"], "zoo model"),
    (["train", "--lr", "-1"], "--lr must be a positive number"),
    (["train", "--schedule", "bogus"], "unknown schedule"),
    (["train", "--schedule", "step:gamma"], "cannot read schedule argument"),
    (["train", "--optimizer", "lion", "--epochs", "1"], "optimizer"),
    (["evaluate", "missing.npz"], "no such model file"),
    (["plot", "missing.json"], "no such history file"),
])
def test_errors_are_one_line_with_a_hint(argv, message, tmp_path, capsys):
    assert main([*argv, *(["--out", str(tmp_path)] if argv[0] == "train" else [])]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("error: ") and message in err[0] and err[1].startswith("hint: ")


def test_a_failed_download_is_a_readable_error(tmp_path, monkeypatch, capsys):
    from nerve.data.download import DownloadError

    def offline(*args, **kwargs):
        raise DownloadError("mnist files not found. Looked in:\n  /nowhere\nThen every mirror failed")

    monkeypatch.setattr(nerve.datasets, "load_mnist", offline)
    assert main(["train", "--dataset", "mnist", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "could not be downloaded" in err[0] and "--data-dir" in err[1]


def test_a_corrupted_model_file_is_a_readable_error(tmp_path, capsys):
    bad = tmp_path / "model.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    assert main(["summary", str(bad)]) == 2
    assert "error: load_model:" in capsys.readouterr().err


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "nerve.cli", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == f"nerve {nerve.__version__}"


def test_every_subcommand_is_registered():
    parser = build_parser()
    choices = next(a for a in parser._actions if a.dest == "command").choices
    assert sorted(choices) == sorted(SUBCOMMANDS)


def _image_folder(root, per_class=8):
    from PIL import Image

    gen = np.random.default_rng(0)
    for label, bright in (("dark", 40), ("light", 210)):
        (root / label).mkdir(parents=True)
        for i in range(per_class):
            pixels = np.clip(gen.normal(bright, 20, (8, 8)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(root / label / f"{i}.png")
    return root


def test_train_on_an_image_folder_then_predict_an_image(tmp_path, capsys):
    folder = _image_folder(tmp_path / "images")
    out = tmp_path / "run"
    assert main(["train", "--dataset", str(folder), "--image-size", "8", "--color-mode", "grayscale",
                 "--epochs", "15", "--lr", "0.01", "--val-split", "0", "--out", str(out), "--quiet"]) == 0
    model = nerve.load_model(out / "model.npz")
    assert model.class_names == ["dark", "light"] and model.input_shape == (64,)
    capsys.readouterr()
    assert main(["predict", str(out / "model.npz"), str(folder / "light" / "0.png"), "--top-k", "1"]) == 0
    assert capsys.readouterr().out.split(": ")[1].startswith("light")


def test_train_from_npz_arrays_with_a_json_architecture(tmp_path, capsys):
    from nerve.layers import Dense, ReLU

    gen = np.random.default_rng(0)
    x = gen.standard_normal((120, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    np.savez(tmp_path / "data.npz", x=x, y=y, class_names=np.array(["neg", "pos"]))
    arch = nerve.Sequential([Dense(8), ReLU(), Dense(2)], input_shape=(3,))
    (tmp_path / "arch.json").write_text(arch.to_json())
    assert main(["train", "--dataset", str(tmp_path / "data.npz"), "--model", str(tmp_path / "arch.json"),
                 "--epochs", "20", "--lr", "0.01", "--out", str(tmp_path / "run"), "--quiet"]) == 0
    accuracy = float(capsys.readouterr().out.split("test accuracy: ")[1].split()[0])
    assert accuracy > 0.8
    assert nerve.load_model(tmp_path / "run" / "model.npz").class_names == ["neg", "pos"]


def test_train_a_conv_net_on_digit_images(tmp_path):
    assert main(["train", "--model", "simple_conv_net", "--epochs", "1", "--limit", "200", "--out", str(tmp_path),
                 "--quiet"]) == 0
    assert nerve.load_model(tmp_path / "model.npz").input_shape == (1, 8, 8)


def test_examples_lists_every_example_and_runs_one_by_name(capsys):
    assert main(["examples"]) == 0
    listing = capsys.readouterr().out
    assert "apple_graph" in listing and "sobel_edges" in listing
    assert main(["examples", "--run", "no_such_example"]) == 2
    assert "no example named 'no_such_example'" in capsys.readouterr().err
    assert main(["examples", "--run", "apple_graph"]) == 0


def test_train_clipping_flags_bound_every_update(trained, tmp_path):
    # resumed with plain SGD at lr 1 and --clipvalue 1e-4: no weight moves by more than steps * 1e-4
    before = nerve.load_model(trained / "model.npz")
    assert main(["train", "--resume", str(trained / "model.npz"), "--epochs", "1", "--optimizer", "sgd", "--lr", "1",
                 "--clipvalue", "1e-4", "--batch-size", "64", "--quiet", "--out", str(tmp_path)]) == 0
    after = nerve.load_model(tmp_path / "model.npz")
    assert after.optimizer.clipvalue == 1e-4 and after.optimizer.iterations > 0
    steps = after.optimizer.iterations
    for key, w in after.params.items():
        moved = float(np.abs(w - before.params[key]).max())
        assert 0 < moved <= steps * 1e-4 * (1 + 1e-3), key


@pytest.mark.parametrize("flag", ["--clipnorm", "--clipvalue", "--global-clipnorm"])
def test_train_refuses_a_clipping_value_that_is_not_positive(flag, tmp_path, capsys):
    assert main(["train", "--epochs", "1", flag, "-1", "--quiet", "--out", str(tmp_path)]) == 2
    assert "expected a number > 0" in capsys.readouterr().err
