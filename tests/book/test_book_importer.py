"""nerve.book.importer: the book's ``common``/``dataset`` imports resolve to nerve.book, only while asked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import nerve.book.layers
from nerve.book.importer import book_imports, run_script, target_of


def test_target_of():
    assert target_of("common") == "nerve.book" and target_of("common.layers") == "nerve.book.layers"
    assert target_of("dataset.mnist") == "nerve.book.mnist" and target_of("dataset.other") is None
    assert target_of("numpy") is None


def test_book_imports_maps_and_cleans_up():
    with book_imports():
        import common.gradient
        from common.layers import Affine
        from common.trainer import Trainer
        from dataset.mnist import load_mnist
        assert Affine is nerve.book.layers.Affine and Trainer.__module__ == "nerve.book.trainer"
        assert load_mnist.__module__ == "nerve.book.mnist"
        assert common.gradient.numerical_gradient is nerve.book.gradient.numerical_gradient
        with pytest.raises(ImportError):
            import common.three_layer_net  # noqa: F401  (the book has it; nerve.book does not)
    assert nerve.book.layers.__spec__.name == "nerve.book.layers"  # its own spec is kept
    assert not [n for n in sys.modules if n == "common" or n.startswith(("common.", "dataset"))]
    with pytest.raises(ImportError):
        import common  # noqa: F401


def test_run_script_runs_a_book_style_script(tmp_path, book_data, capsys):
    chapter = tmp_path / "ch05"
    chapter.mkdir()
    (chapter / "helper_net.py").write_text(textwrap.dedent("""
        from common.multi_layer_net import MultiLayerNet
        def make():
            return MultiLayerNet(784, [20], 10)
    """))
    (chapter / "script.py").write_text(textwrap.dedent("""
        import sys, os
        sys.path.append(os.pardir)
        from common.functions import *  # numpy comes as np with it, as from the book's module
        from dataset.mnist import load_mnist
        from common.optimizer import *
        from helper_net import make
        (x_train, t_train), (x_test, t_test) = load_mnist(one_hot_label=True)
        network = make()
        optimizer = SGD(lr=0.1)
        before = network.loss(x_train[:100], t_train[:100])
        for i in range(20):
            optimizer.update(network.params, network.gradient(x_train[:100], t_train[:100]))
        print("loss", before, network.loss(x_train[:100], t_train[:100]), sys.argv[1:], np.__name__)
    """))
    result = run_script(chapter / "script.py", ["--flag"])
    out = capsys.readouterr().out.split()
    assert out[0] == "loss" and float(out[2]) < float(out[1]) and out[3] == "['--flag']" and out[4] == "numpy"
    assert result["network"].params["W1"].shape == (784, 20)
    assert "helper_net" in sys.modules
    del sys.modules["helper_net"]


def test_command_line_help():
    done = subprocess.run([sys.executable, "-m", "nerve.book"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "NERVE_BOOK_DATASET" in done.stdout
