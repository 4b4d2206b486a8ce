"""Every example runs (small sizes) and shows the result its tutorial section states."""

from __future__ import annotations

import importlib.util
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TESTED = {
    "perceptron_gates", "neuron_network", "gender_prediction", "three_layer_forward", "apple_graph",
    "numerical_gradient", "gradient_descent", "linear_regression", "logistic_regression", "mnist_two_layer_net",
    "simple_conv_net", "optimizer_comparison", "weight_init", "overfitting", "sobel_edges", "pooling",
    "metrics_roc", "lr_schedules", "zero_init_symmetry", "polynomial_overfitting", "receptive_field",
    "resnet_fashion_mnist",
}


def run(name: str, monkeypatch, **kwargs):
    """Import examples/<name>.py and call its main(**kwargs)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(**kwargs)


def test_every_example_is_tested_and_listed():
    from nerve.cli.tools import list_examples

    scripts = {p.stem for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert scripts == TESTED
    listed = list_examples()
    assert set(listed) == scripts and all(listed.values())  # each has a one-line docstring


def test_perceptron_gates(monkeypatch):
    r = run("perceptron_gates", monkeypatch)
    assert r["tables"] == {"AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}
    assert r["learned"] == {"and": 1.0, "nand": 1.0, "or": 1.0}
    assert r["xor_single_layer_converged"] is False and r["xor_single_layer_accuracy"] < 1.0


def test_neuron_network(monkeypatch):
    r = run("neuron_network", monkeypatch)
    assert r["neuron"] == pytest.approx(0.9990889488055994, abs=1e-15)
    assert r["network"] == pytest.approx(0.7216325609518421, abs=1e-15)
    assert r["mse"] == pytest.approx(0.5)


def test_gender_prediction(monkeypatch):
    r = run("gender_prediction", monkeypatch, epochs=1000)
    assert r["Emily"] > 0.9 and r["Frank"] < 0.1 and r["loss_last"] < r["loss_first"] / 10


def test_three_layer_forward(monkeypatch):
    r = run("three_layer_forward", monkeypatch)
    np.testing.assert_allclose(r["by_hand"], [0.31682708, 0.69627909], atol=1e-8)
    np.testing.assert_allclose(r["nerve"], r["by_hand"], atol=1e-6)


def test_apple_graph(monkeypatch):
    r = run("apple_graph", monkeypatch)
    assert r["price"] == pytest.approx(220)
    assert (r["dapple"], r["dapple_num"], r["dtax"]) == pytest.approx((2.2, 110, 200))
    assert r["fruit_price"] == pytest.approx(715)
    assert r["fruit_grads"] == pytest.approx((110, 2.2, 3.3, 165, 650))


def test_numerical_gradient(monkeypatch, tmp_path):
    r = run("numerical_gradient", monkeypatch, out=tmp_path)
    assert r["d5"] == pytest.approx(0.1999999999990898, abs=1e-12)
    assert r["d10"] == pytest.approx(0.2999999999986347, abs=1e-12)
    assert r["gradients"] == {(3.0, 4.0): pytest.approx([6, 8]), (0.0, 2.0): pytest.approx([0, 4]),
                              (3.0, 0.0): pytest.approx([6, 0])}
    assert (tmp_path / "tangent.png").exists() and (tmp_path / "gradient_field.png").exists()


def test_gradient_descent(monkeypatch):
    r = run("gradient_descent", monkeypatch)
    np.testing.assert_allclose(r["good"], [-6.11110793e-10, 8.14814391e-10], rtol=1e-6)
    np.testing.assert_allclose(r["too_large"], [-2.58983747e13, -1.29524862e12], rtol=1e-6)
    np.testing.assert_allclose(r["too_small"], [-3.0, 4.0], atol=1e-6)


def test_linear_regression(monkeypatch, tmp_path):
    r = run("linear_regression", monkeypatch, n_iter=200, out=tmp_path)
    assert r["best_lr"] == 0.1 and r["slope"] == pytest.approx(3.0, abs=0.1)
    assert r["val_loss"][2.5] > 1e6 * r["val_loss"][0.1]  # too large a rate diverges
    assert r["val_loss"][0.001] > r["val_loss"][0.01] > r["val_loss"][0.1]  # too small a rate crawls
    loss = r["histories"][0.1]["loss"]
    assert all(b <= a for a, b in zip(loss, loss[1:]))
    assert (tmp_path / "linear_regression_loss.png").exists()


def test_logistic_regression(monkeypatch, tmp_path):
    r = run("logistic_regression", monkeypatch, n_iter=500, out=tmp_path)
    assert r["costs"][0] == pytest.approx(math.log(2))  # zero weights: p = 0.5 for everyone
    assert r["costs"][-1] < 0.2 and r["accuracy"] > 0.9
    assert (tmp_path / "logistic_boundary.png").exists()


def test_mnist_two_layer_net_on_digits(monkeypatch):
    r = run("mnist_two_layer_net", monkeypatch, dataset="digits", epochs=5, batch_size=20, limit=None)
    assert r["dataset"] == "digits" and r["gradient_error"] < 1e-6 and r["test_accuracy"] > 0.75


def test_simple_conv_net_on_digits(monkeypatch):
    r = run("simple_conv_net", monkeypatch, dataset="digits", epochs=3, batch_size=20, limit=None)
    assert r["test_accuracy"] > 0.85 and r["filters"].shape == (30, 1, 5, 5)


def test_resnet_fashion_mnist_on_digits(monkeypatch):
    r = run("resnet_fashion_mnist", monkeypatch, dataset="digits", epochs=6, batch_size=16, limit=None, widths=(8, 16))
    assert r["dataset"] == "digits" and r["test_accuracy"] > 0.85
    assert "block2_1/projection/conv2d_1/W" in r["model"].params


def test_optimizer_comparison(monkeypatch):
    r = run("optimizer_comparison", monkeypatch, epochs=2)  # (its figure is tested in tests/plot)
    from nerve.plot import elongated_bowl

    for name, path in r["paths"].items():
        assert elongated_bowl(*path[-1]) < 0.2, name  # from f = 6.45 at (-7, 2)
    loss = r["final_loss"]
    assert loss["SGD"] > max(loss["Momentum"], loss["AdaGrad"], loss["Adam"])  # plain SGD is the slow one


def test_weight_init(monkeypatch):
    r = run("weight_init", monkeypatch, n_samples=200)  # (its histograms are tested in tests/plot)
    assert r["sigmoid, std 1"]["saturated"] > 0.3  # piled up at 0 and 1
    assert r["sigmoid, std 0.01"]["std_last_layer"] < 0.05  # squeezed at 0.5
    assert r["sigmoid, std 0.01"]["std_last_layer"] < r["sigmoid, Xavier"]["std_last_layer"] < 0.3
    assert r["ReLU, std 0.01"]["std_last_layer"] < 1e-3 < 0.5 < r["ReLU, He"]["std_last_layer"]


def test_overfitting(monkeypatch):
    r = run("overfitting", monkeypatch)
    assert r["plain"]["train"] == 1.0 and r["plain"]["gap"] > 0.1
    assert r["weight decay 0.01"]["gap"] < r["plain"]["gap"]
    assert r["dropout 0.2"]["gap"] < r["plain"]["gap"]


def test_sobel_edges(monkeypatch, tmp_path):
    r = run("sobel_edges", monkeypatch, out_dir=tmp_path)
    assert r["edges"].shape == r["gx"].shape and r["edges"].max() > 0
    assert Path(r["path"]).exists()


def test_pooling(monkeypatch):
    r = run("pooling", monkeypatch)
    np.testing.assert_array_equal(r["max"], [[6, 8], [14, 16]])
    np.testing.assert_array_equal(r["average"], [[3.5, 5.5], [11.5, 13.5]])
    np.testing.assert_array_equal(r["k_max"], [[5, 6], [7, 8], [13, 14], [15, 16]])
    np.testing.assert_array_equal(r["k_max_2d"], [[[6, 8], [14, 16]], [[5, 7], [13, 15]]])


def test_zero_init_symmetry(monkeypatch):
    r = run("zero_init_symmetry", monkeypatch, epochs=2000)
    assert r["zeros"]["hidden_weight_spread"] == 0.0 and r["zeros"]["accuracy"] < 1.0  # units stay identical
    assert r["uniform(-1, 1)"]["hidden_weight_spread"] > 0.1 and r["uniform(-1, 1)"]["accuracy"] == 1.0


def test_polynomial_overfitting(monkeypatch, tmp_path):
    r = run("polynomial_overfitting", monkeypatch, out=tmp_path)
    assert r[15]["train"] < r[1]["train"]  # the polynomial fits the training points better...
    assert r[15]["validation"] > 2 * r[1]["validation"]  # ...and new points far worse
    assert (tmp_path / "polynomial_overfitting.png").stat().st_size > 1000


def test_receptive_field(monkeypatch):
    r = run("receptive_field", monkeypatch)
    assert r["formula"] == [(3, 3), (4, 4)] == r["backprop"]  # seed 000: 3x3, then 4x4


def test_metrics_roc(monkeypatch, tmp_path):
    from sklearn.metrics import roc_auc_score

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = run("metrics_roc", monkeypatch, out=tmp_path)
    assert r["tutorial_precision"] == pytest.approx(0.952, abs=5e-4) and r["tutorial_recall"] == 0.8
    assert r["roc_auc"] == pytest.approx(roc_auc_score(r["y_test"], r["score"]))  # independent reference
    assert r["accuracy"] > 0.8 and r["fpr"] < 0.3
    assert (tmp_path / "roc.png").exists() and (tmp_path / "pr.png").exists()


def test_lr_schedules(monkeypatch, tmp_path):
    r = run("lr_schedules", monkeypatch, out=tmp_path)
    assert len(r) == 13  # the twelve, with polynomial decay shown with and without cycle
    assert r["cosine"][2] == pytest.approx(0.05)  # step 50 of 100: halfway down the cosine
    assert r["step"] == pytest.approx([0.1, 0.1, 0.025, 0.0125])
    assert r["noam"][0] == 0.0 and r["noam"][1] == pytest.approx(0.1)  # peak at the end of the warm-up
    assert r["loss-adaptive"] == [0.05] * 4
    assert (tmp_path / "lr_schedules.png").exists()
