"""NumPy vs CuPy: every layer, loss and optimizer, float64 gradient checks on the GPU, one SimpleConvNet epoch.

Runs only where ``cupy`` imports and sees a GPU (``pip install 'nerve[gpu-cuda12]'``); CPU CI skips the module.
The same code paths are checked on CPU CI with the strict stand-in (tests/backend/test_strict_device.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

cupy = pytest.importorskip("cupy")
if not cupy.is_available():
    pytest.skip("CuPy finds no CUDA GPU", allow_module_level=True)

import nerve  # noqa: E402
from nerve import losses, optimizers, zoo  # noqa: E402
from nerve.backend import to_device, to_numpy  # noqa: E402
from nerve.gradcheck import check_gradients  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "layers"))
from harness import registered_layers, spec_for  # noqa: E402

#: float32 on two BLAS libraries: same math, different summation order
RTOL32, ATOL32 = 1e-4, 1e-5


def _gpu(value, where):
    assert isinstance(value, cupy.ndarray), f"{where}: a {type(value).__name__} came back, not a CuPy array"
    return to_numpy(value)


def _close(gpu_value, host_value, where, rtol=RTOL32, atol=ATOL32):
    np.testing.assert_allclose(_gpu(gpu_value, where), host_value, rtol=rtol, atol=atol, err_msg=where)


@pytest.mark.parametrize("cls", registered_layers(), ids=lambda c: c.__name__)
def test_every_layer_matches_numpy_on_the_gpu(cls):
    spec = spec_for(cls)
    x = spec.sample(np.float32)
    dout = np.random.default_rng(1).standard_normal(cls(**spec.kwargs).forward(x).shape).astype(np.float32)
    runs = {}
    for device in ("cpu", "cuda"):
        nerve.seed(0)
        layer = cls(**spec.kwargs)
        y = layer.forward(to_device(x, device), training=True)
        dx = layer.backward(to_device(dout, device))
        runs[device] = (layer, y, dx, layer.forward(to_device(x, device), training=False))
    (host, y, dx, infer), (gpu, y_g, dx_g, infer_g) = runs["cpu"], runs["cuda"]
    _close(y_g, y, f"{cls.__name__}.forward")
    _close(dx_g, dx, f"{cls.__name__}.backward")
    _close(infer_g, infer, f"{cls.__name__}.forward(training=False)")
    for store in ("params", "grads", "state"):
        for key, value in getattr(host, store).items():
            _close(getattr(gpu, store)[key], value, f"{cls.__name__}.{store}[{key!r}]")


@pytest.mark.parametrize("cls", [c for c in registered_layers() if spec_for(c).gradcheck], ids=lambda c: c.__name__)
def test_every_layer_passes_a_float64_gradient_check_on_the_gpu(cls):
    spec = spec_for(cls)
    with nerve.default_dtype(np.float64):
        layer = cls(**spec.kwargs)
        x = to_device(spec.sample(np.float64), "cuda")
        layer.forward(x, training=True)
        for p in layer.params.values():
            p += cupy.asarray(np.random.default_rng(1).uniform(0.1, 0.5, p.shape))
        worst, errors = check_gradients(layer, x, return_details=True)
    assert worst < spec.tolerance, f"{cls.__name__}: {errors}"


_LOSSES = [(losses.MSE(), "regression"), (losses.MAE(), "regression"), (losses.BalancedL1(), "regression"),
           (losses.CrossEntropy(), "labels"), (losses.SoftmaxCrossEntropy(), "labels"),
           (losses.SoftmaxCrossEntropy(), "onehot"), (losses.BinaryCrossEntropy(), "binary"),
           (losses.BinaryCrossEntropy(from_logits=True), "binary")]


def _loss_data(kind, dtype):
    gen = np.random.default_rng(2)
    shape = (6, 1) if kind == "binary" else (6, 4)
    y = gen.uniform(0.05, 0.95, shape).astype(dtype)
    if kind == "regression":
        return y, gen.standard_normal(shape).astype(dtype)
    if kind == "binary":
        return y, gen.integers(0, 2, shape).astype(dtype)
    labels = gen.integers(0, shape[1], shape[0])
    return y, (np.eye(shape[1], dtype=dtype)[labels] if kind == "onehot" else labels)


@pytest.mark.parametrize("loss, kind", _LOSSES, ids=lambda v: repr(v) if not isinstance(v, str) else v)
def test_every_loss_matches_numpy_and_passes_a_gradient_check_on_the_gpu(loss, kind):
    y, t = _loss_data(kind, np.float32)
    expected, dy = loss.forward(y, t), loss.backward()
    assert loss.forward(to_device(y, "cuda"), t) == pytest.approx(expected, rel=1e-5)
    _close(loss.backward(), dy, f"{loss} backward")
    with nerve.default_dtype(np.float64):
        y64, t64 = _loss_data(kind, np.float64)
        assert check_gradients(loss, to_device(y64, "cuda"), t64) < 1e-6


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
def test_every_optimizer_matches_numpy_on_the_gpu(name):
    gen = np.random.default_rng(3)
    params = {"a/W": gen.standard_normal((5, 4)).astype(np.float32), "a/b": gen.standard_normal(4).astype(np.float32)}
    steps = [{k: gen.standard_normal(v.shape).astype(np.float32) for k, v in params.items()} for _ in range(3)]
    host, gpu = optimizers.get(name, clipnorm=1.0), optimizers.get(name, clipnorm=1.0)
    host_params = {k: v.copy() for k, v in params.items()}
    gpu_params = {k: to_device(v, "cuda") for k, v in params.items()}
    for g in steps:
        host.update(host_params, {k: v.copy() for k, v in g.items()})
        gpu.update(gpu_params, {k: to_device(v, "cuda") for k, v in g.items()})
    for key, value in host_params.items():
        _close(gpu_params[key], value, f"{name} {key}", rtol=1e-5, atol=1e-6)


def test_one_epoch_of_simple_conv_net_matches_numpy_and_comes_home():
    from nerve.data.digits import load_digits

    (x, t), _ = load_digits(flatten=False)
    x, t = x[:256], t[:256]
    runs = {}
    for device in ("cpu", "cuda"):
        nerve.seed(0)
        model = zoo.SimpleConvNet(input_shape=x.shape[1:], num_classes=10).to(device)
        model.compile("adam", "softmax_cross_entropy", metrics=["accuracy"])
        history = model.fit(x, t, epochs=1, batch_size=32, verbose=0)
        runs[device] = (model, history.history["loss"][0], model.predict(x[:64]))
    (host, loss, pred), (gpu, loss_g, pred_g) = runs["cpu"], runs["cuda"]
    assert type(pred_g) is np.ndarray
    assert loss_g == pytest.approx(loss, rel=1e-3)
    np.testing.assert_allclose(pred_g, pred, rtol=1e-2, atol=1e-3)
    assert all(isinstance(v, cupy.ndarray) for v in gpu.params.values())
    for key, value in host.params.items():
        _close(gpu.params[key], value, key, rtol=1e-2, atol=1e-3)
    gpu.to("cpu")
    assert all(type(v) is np.ndarray for v in gpu.params.values())
