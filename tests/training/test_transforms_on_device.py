"""Clipping, a FlatBuffer and a clipped fit on the strict stand-in device (it refuses NumPy, as CuPy does)."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))
from strict_array import StrictArray, install, uninstall  # noqa: E402

import nerve  # noqa: E402
from nerve import Sequential  # noqa: E402
from nerve.backend import to_device, to_numpy  # noqa: E402
from nerve.layers import Dense, ReLU  # noqa: E402
from nerve.optimizers import Adam  # noqa: E402
from nerve.training import ClipByGlobalNorm, ClipByNorm, ClipByValue, FlatBuffer  # noqa: E402


@pytest.fixture(autouse=True)
def strict_device():
    install()
    yield
    uninstall()


def _grads():
    rng = np.random.default_rng(0)
    return {"a/W": (rng.standard_normal((3, 4)) * 4).astype(np.float32), "a/b": rng.standard_normal(4),
            "b/W": (rng.standard_normal((4, 2)) * 2).astype(np.float32)}


@pytest.mark.parametrize("transform", [ClipByValue(0.5), ClipByNorm(1.0), ClipByGlobalNorm(2.0)], ids=repr)
def test_clipping_stays_on_the_device_and_matches_the_host(transform):
    host = _grads()
    device = {k: to_device(g, "strict") for k, g in host.items()}
    transform(host, {})
    transform(device, {})
    for k, g in device.items():
        assert type(g) is StrictArray
        np.testing.assert_allclose(to_numpy(g), host[k], rtol=1e-6)


def test_flat_buffer_packs_device_arrays_into_device_buffers():
    device = {k: to_device(g, "strict") for k, g in _grads().items()}
    buffer = FlatBuffer()
    flats = buffer.pack(device)
    assert all(type(f) is StrictArray for f in flats.values()) and len(flats) == 2
    for f in flats.values():
        f *= 2
    buffer.unpack(device)
    for k, g in _grads().items():
        np.testing.assert_allclose(to_numpy(device[k]), 2 * g, rtol=1e-6)


def test_a_clipped_fit_on_the_device_equals_the_one_on_the_host():
    x = np.random.default_rng(2).standard_normal((16, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int)
    weights = {}
    for device in ("cpu", "strict"):
        nerve.seed(0)
        model = Sequential([Dense(8), ReLU(), Dense(2)], input_shape=(3,)).to(device)
        model.compile(Adam(0.05, global_clipnorm=0.1, clipvalue=0.05), "softmax_cross_entropy", l2=0.01)
        model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        weights[device] = {k: to_numpy(v) for k, v in model.params.items()}
    for k, w in weights["cpu"].items():
        np.testing.assert_allclose(weights["strict"][k], w, rtol=1e-5, atol=1e-6)
