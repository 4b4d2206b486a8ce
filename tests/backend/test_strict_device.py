"""Every layer, loss and optimizer, and a whole fit, on the strict stand-in device: no host (NumPy) leaks.

CuPy cannot run in CPU CI, so the kernels run on ``StrictArray`` (tests/backend/strict_array.py), which refuses
NumPy as CuPy does, and their results are compared with the same computation on NumPy arrays.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from strict_array import StrictArray, install, strict_xp, uninstall

import nerve
from nerve import backend, layers, losses, optimizers
from nerve.backend import to_device, to_numpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers"))
from harness import registered_layers, spec_for  # noqa: E402


@pytest.fixture(autouse=True)
def strict_device():
    install()
    yield
    uninstall()


def _on_device(value, where):
    assert type(value) is StrictArray, f"{where}: a {type(value).__name__} came back, not a device array"
    return to_numpy(value)


def _close(device_value, host_value, where):
    np.testing.assert_allclose(_on_device(device_value, where), host_value, rtol=1e-6, atol=1e-7, err_msg=where)


@pytest.mark.parametrize("cls", registered_layers(), ids=lambda c: c.__name__)
def test_every_layer_runs_forward_and_backward_on_the_device_like_on_the_host(cls):
    spec = spec_for(cls)
    x = spec.sample(np.float32)
    dout_rng = np.random.default_rng(1)
    runs = {}
    for device in ("cpu", "strict"):
        nerve.seed(0)
        layer = cls(**spec.kwargs)
        y = layer.forward(to_device(x, device), training=True)  # built on the host, moved to x's device
        dout = dout_rng.standard_normal(to_numpy(y).shape).astype(np.float32)
        dx = layer.backward(to_device(dout, device))
        infer = layer.forward(to_device(x, device), training=False)
        runs[device] = (layer, y, dx, infer)
        dout_rng = np.random.default_rng(1)
    (host, y, dx, infer), (dev, y_d, dx_d, infer_d) = runs["cpu"], runs["strict"]
    name = cls.__name__
    _close(y_d, y, f"{name}.forward")
    _close(dx_d, dx, f"{name}.backward dx")
    _close(infer_d, infer, f"{name}.forward(training=False)")
    for store in ("params", "grads", "state"):
        for key, value in getattr(host, store).items():
            _close(getattr(dev, store)[key], value, f"{name}.{store}[{key!r}]")


def test_graph_nodes_run_on_the_device():
    a, b = np.arange(6.0).reshape(2, 3), np.full((1, 3), 2.0)
    for node in (layers.Add(), layers.Multiply()):
        out = node.forward(to_device(a, "strict"), to_device(b, "strict"))
        da, db = node.backward(to_device(np.ones((2, 3)), "strict"))
        ref = type(node)()
        _close(out, ref.forward(a, b), f"{node} forward")
        ra, rb = ref.backward(np.ones((2, 3)))
        _close(da, ra, f"{node} da")
        _close(db, rb, f"{node} db")


_LOSS_CASES = [
    (losses.MSE(), (4, 3), "regression"), (losses.MAE(), (4, 3), "regression"),
    (losses.BalancedL1(), (4, 3), "regression"), (losses.CrossEntropy(), (4, 3), "labels"),
    (losses.CrossEntropy(), (4, 3), "onehot"), (losses.SoftmaxCrossEntropy(), (4, 3), "labels"),
    (losses.SoftmaxCrossEntropy(), (4, 3), "onehot"), (losses.BinaryCrossEntropy(), (4, 1), "binary"),
    (losses.BinaryCrossEntropy(from_logits=True), (4, 1), "binary"),
]


@pytest.mark.parametrize("loss, shape, targets", _LOSS_CASES, ids=lambda v: repr(v) if not isinstance(v, tuple)
                         else str(v))
def test_every_loss_runs_on_the_device_with_host_targets(loss, shape, targets):
    gen = np.random.default_rng(2)
    y = gen.uniform(0.05, 0.95, shape).astype(np.float32)
    if targets == "regression":
        t = gen.standard_normal(shape).astype(np.float32)
    elif targets == "binary":
        t = gen.integers(0, 2, shape).astype(np.float32)
    else:
        t = gen.integers(0, shape[1], shape[0])
        t = np.eye(shape[1], dtype=np.float32)[t] if targets == "onehot" else t
    expected = loss.forward(y, t)
    dy = loss.backward()
    got = loss.forward(to_device(y, "strict"), t)  # targets stay on the host: the loss moves them
    assert isinstance(got, float) and got == pytest.approx(expected, rel=1e-6)
    _close(loss.backward(), dy, f"{loss} backward")


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
@pytest.mark.parametrize("clip", [{}, {"global_clipnorm": 0.5}])
def test_every_optimizer_updates_device_arrays_like_host_arrays(name, clip):
    gen = np.random.default_rng(3)
    params = {"a/W": gen.standard_normal((3, 4)).astype(np.float32), "a/b": gen.standard_normal(4).astype(np.float32)}
    grads = [{k: gen.standard_normal(v.shape).astype(np.float32) for k, v in params.items()} for _ in range(3)]
    host, dev = optimizers.get(name, **clip), optimizers.get(name, **clip)
    host_params = {k: v.copy() for k, v in params.items()}
    dev_params = {k: to_device(v, "strict") for k, v in params.items()}
    for g in grads:
        host.update(host_params, {k: v.copy() for k, v in g.items()})
        dev.update(dev_params, {k: to_device(v, "strict") for k, v in g.items()})
    for key, value in host_params.items():
        _close(dev_params[key], value, f"{name} {key}")
    for slot, arrays in dev.slots.items():
        for key, value in arrays.items():
            _close(value, host.slots[slot][key], f"{name} slot {slot}/{key}")


def _small_model():
    return nerve.Sequential([layers.Conv2D(3, 3, padding=1), layers.BatchNorm(), layers.ReLU(), layers.MaxPool2D(2),
                             layers.Flatten(), layers.Dropout(0.2), layers.Dense(3)])


def test_a_model_moved_to_the_device_fits_evaluates_predicts_and_saves_like_on_the_host(tmp_path):
    gen = np.random.default_rng(4)
    x = gen.standard_normal((24, 1, 6, 6)).astype(np.float32)
    y = gen.integers(0, 3, 24)
    results = {}
    for device in ("cpu", "strict"):
        nerve.seed(0)
        model = _small_model().to(device)  # moved before it is built: layers follow when fit builds them
        model.compile("adam", "softmax_cross_entropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
        results[device] = (model, history.history, model.evaluate(x, y), model.predict(x))
    (host, h_hist, h_eval, h_pred), (dev, d_hist, d_eval, d_pred) = results["cpu"], results["strict"]
    assert type(d_pred) is np.ndarray  # predict brings outputs home
    np.testing.assert_allclose(d_pred, h_pred, rtol=1e-5, atol=1e-6)
    assert d_eval == pytest.approx(h_eval, rel=1e-5) and d_hist["loss"] == pytest.approx(h_hist["loss"], rel=1e-5)
    for key, value in host.params.items():
        _close(dev.params[key], value, key)
    assert all(type(v) is StrictArray for a in dev.optimizer.slots.values() for v in a.values())

    dev.save(tmp_path / "m.npz")  # saving brings arrays to the host
    loaded = nerve.load_model(tmp_path / "m.npz", device="strict")
    assert type(next(iter(loaded.params.values()))) is StrictArray
    np.testing.assert_allclose(loaded.predict(x), d_pred, rtol=1e-6)
    loaded.fit(x, y, epochs=1, batch_size=8, verbose=0)  # the loaded optimizer state lives there too

    dev.to("cpu")
    assert all(type(v) is np.ndarray for v in [*dev.params.values(), *dev.grads.values(), *dev.state.values()])
    dev.fit(x, y, epochs=1, batch_size=8, verbose=0)


def test_a_kernel_that_calls_numpy_fails_on_the_stand_in(monkeypatch):
    """The stand-in catches what the source walk cannot see, e.g. NumPy reached through another name."""
    numpy_module = np

    def leaky_forward(self, x, training=False):
        self.y = numpy_module.tanh(self._prepare(x))  # the planted bug: NumPy, not xp
        return self.y

    monkeypatch.setattr(layers.Tanh, "forward", leaky_forward)
    with pytest.raises(TypeError):  # ufuncs refuse with TypeError, other numpy functions with HostLeak
        layers.Tanh().forward(to_device(np.ones((2, 3), np.float32), "strict"))


def test_the_stand_in_refuses_numpy_like_cupy():
    s = to_device(np.ones((2, 2)), "strict")
    for leak in (lambda: np.asarray(s), lambda: np.exp(s), lambda: np.sum(s), lambda: s + np.ones((2, 2)),
                 lambda: np.ones((2, 2)) * s):
        with pytest.raises(TypeError):
            leak()
    assert backend.get_array_module(s) is strict_xp and backend.device_of(s) == backend.Device("strict")


def test_float64_gradient_checks_run_on_the_device(f64):
    from nerve.gradcheck import check_gradients

    gen = np.random.default_rng(5)
    model = nerve.Sequential([layers.Dense(4), layers.Tanh(), layers.Dense(3)], input_shape=(5,)).to("strict")
    model.compile("sgd", "softmax_cross_entropy")
    assert check_gradients(model, gen.standard_normal((4, 5)), gen.integers(0, 3, 4)) < 1e-6
    conv = layers.Conv2D(2, 3, padding=1)
    x = to_device(gen.standard_normal((2, 2, 5, 5)), "strict")
    conv.forward(x)
    assert type(conv.params["W"]) is StrictArray and check_gradients(conv, x) < 1e-6
