"""Every seed 001 listing that uses the book's ``common``/``dataset`` packages runs with nerve.book in their place
(examples/book/, typed as the tutorial prints them; iteration counts shortened here, Fashion-MNIST for MNIST)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from nerve.book.gradient import numerical_gradient

BOOK = Path(__file__).resolve().parents[2] / "examples" / "book"
LISTINGS = {"gradient_field", "two_layer_net", "train_neuralnet", "two_layer_net_bp", "train_neuralnet_bp",
            "simple_convnet"}
#: our own listings in the book's API, for chapters 5-7 (the book's scripts themselves are not copied here)
OWN = {"buy_apple_orange", "optimizer_compare", "batch_norm", "train_convnet"}


@pytest.fixture
def listing(monkeypatch):
    """``run(name, **replace)``: exec examples/book/<name>.py as __main__ after replacing text; returns globals."""
    monkeypatch.syspath_prepend(str(BOOK))
    np.random.seed(0)  # the listings draw with np.random, as the tutorial does

    def run(name, **replace):
        text = (BOOK / f"{name}.py").read_text(encoding="utf-8")
        for old, new in replace.items():
            assert old in text, f"{name}.py no longer contains {old!r}"
            text = text.replace(old, new)
        namespace = {"__name__": "__main__", "__file__": str(BOOK / f"{name}.py")}
        exec(compile(text, str(BOOK / f"{name}.py"), "exec"), namespace)
        return namespace

    yield run
    for name in LISTINGS | OWN:
        sys.modules.pop(name, None)


def test_every_listing_is_tested():
    assert {p.stem for p in BOOK.glob("*.py")} == LISTINGS | OWN


def test_gradient_field(listing, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda: None)
    g = listing("gradient_field")
    X, Y = g["X"], g["Y"]
    np.testing.assert_allclose(g["grad"], 2 * np.array([X, Y]), atol=1e-6)  # ∇(x0² + x1²) = (2x0, 2x1)
    assert len(plt.gca().collections) == 1  # the quiver
    plt.close("all")


def test_numerical_two_layer_net_trains(listing, book_data):
    # hidden 2 and batches of 10: the tutorial's 50 and 100 would take minutes per step (as it warns)
    g = listing("train_neuralnet", **{"iters_num = 10000": "iters_num = 1", "hidden_size=50": "hidden_size=2",
                                      "batch_size = 100": "batch_size = 10"})
    network, grad, x, t = g["network"], g["grad"], g["x_batch"], g["t_batch"]
    assert len(g["train_loss_list"]) == 1 and np.isfinite(g["train_loss_list"][0])
    for key in ("W1", "b1", "W2", "b2"):  # undo the step: the loss was higher before it
        network.params[key] += 0.1 * grad[key]
    assert network.loss(x, t) > g["train_loss_list"][0]


def test_backprop_two_layer_net_trains(listing, book_data):
    g = listing("train_neuralnet_bp", **{"iters_num = 10000": "iters_num = 150"})
    losses = g["train_loss_list"]
    assert len(losses) == 150 and np.mean(losses[-20:]) < 0.8 * np.mean(losses[:20])
    net, x, t = g["network"], g["x_batch"][:3, :6], g["t_batch"][:3]
    # its gradient is the numerical one (a small copy of the listing's network, float64)
    small = type(net)(input_size=6, hidden_size=4, output_size=10, weight_init_std=0.5)
    for key in small.params:
        small.params[key] += 0.1 * np.random.default_rng(0).standard_normal(small.params[key].shape)
    grads = small.gradient(x, t)
    for key, p in small.params.items():
        np.testing.assert_allclose(grads[key], numerical_gradient(lambda _: small.loss(x, t), p), atol=1e-7)


def test_simple_convnet_listing(listing, book_data):
    SimpleConvNet = listing("simple_convnet")["SimpleConvNet"]
    from nerve.book.mnist import load_mnist

    (x_train, t_train), _ = load_mnist(flatten=False)
    net = SimpleConvNet()  # the tutorial's MNIST sizes: 30 filters of 5x5, 100 hidden units
    assert net.params["W2"].shape == (4320, 100)
    x, t = x_train[:20], t_train[:20]
    before = net.loss(x, t)
    for _ in range(6):
        grads = net.gradient(x, t)
        for key in net.params:
            net.params[key] -= 0.1 * grads[key]
    assert net.loss(x, t) < before
    small = SimpleConvNet(input_dim=(1, 6, 6), conv_param={"filter_num": 2, "filter_size": 3, "pad": 0,
                                                            "stride": 1}, hidden_size=3, output_size=10,
                          weight_init_std=0.5)
    xs = np.random.default_rng(1).standard_normal((2, 1, 6, 6))
    for key in small.params:
        small.params[key] += 0.1 * np.random.default_rng(2).standard_normal(small.params[key].shape)
    grads = small.gradient(xs, t[:2])
    for key, p in small.params.items():
        np.testing.assert_allclose(grads[key], numerical_gradient(lambda _: small.loss(xs, t[:2]), p), atol=1e-7)


@pytest.fixture
def no_show(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda: None)
    yield plt
    plt.close("all")


def test_buy_apple_orange(listing, capsys):
    listing("buy_apple_orange")
    out = capsys.readouterr().out.splitlines()
    # the book's printed values: 715; 2.2, 110, 3.3, 165, 650
    assert out[0] == "price: 715" and out[2] == "dApple_num: 110" and out[4] == "dOrange_num: 165"
    assert float(out[1].split()[1]) == pytest.approx(2.2) and float(out[3].split()[1]) == pytest.approx(3.3)
    assert float(out[5].split()[1]) == pytest.approx(650)


def test_optimizer_compare(listing, book_data, no_show):
    g = listing("optimizer_compare", **{"max_iterations = 2000": "max_iterations = 60"})
    last = {key: np.mean(losses[-10:]) for key, losses in g["train_loss"].items()}
    assert all(last[key] < np.mean(g["train_loss"][key][:10]) for key in last)
    assert last["SGD"] == max(last.values())  # the book's figure: plain SGD is the slowest
    assert len(no_show.gca().lines) == 4


def test_batch_norm(listing, book_data):
    g = listing("batch_norm", **{"max_epochs = 20": "max_epochs = 4"})
    assert len(g["bn_train_acc_list"]) == 4
    assert g["bn_train_acc_list"][-1] > g["train_acc_list"][-1] + 0.2  # BatchNorm learns where the plain net stalls


def test_train_convnet(listing, book_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    g = listing("train_convnet", **{"x_train[:5000], t_train[:5000]": "x_train[:200], t_train[:200]",
                                    "x_test[:1000], t_test[:1000]": "x_test[:50], t_test[:50]",
                                    "max_epochs = 20": "max_epochs = 2"})
    trainer = g["trainer"]
    assert len(trainer.test_acc_list) == 2 and trainer.train_loss_list[-1] < trainer.train_loss_list[0]
    assert (tmp_path / "params.pkl").read_bytes()[:2] == b"PK"  # an .npz (zip) archive, not a pickle
    acc = g["network"].accuracy(g["x_test"], g["t_test"])
    assert g["restored"].accuracy(g["x_test"], g["t_test"]) == acc
