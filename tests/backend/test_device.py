"""Device specs and moving arrays; without CuPy, CUDA requests explain what to install."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from nerve import backend
from nerve.backend import Device, parse_device

HAS_CUPY = importlib.util.find_spec("cupy") is not None


@pytest.mark.parametrize("spec, expected", [("cpu", Device("cpu")), ("CPU", Device("cpu")),
                                            ("cuda", Device("cuda", 0)), ("cuda:1", Device("cuda", 1)),
                                            ("gpu", Device("cuda", 0)), (Device("cuda", 2), Device("cuda", 2))])
def test_parse_device_accepts_cpu_cuda_and_indices(spec, expected):
    assert parse_device(spec) == expected


@pytest.mark.parametrize("spec", ["tpu", "cuda:x", "cpu:0", "", None, 0, "cuda:-1"])
def test_parse_device_names_the_bad_spec(spec):
    with pytest.raises(ValueError, match=f"got {spec!r}".replace("(", r"\(").replace(")", r"\)")):
        parse_device(spec)


def test_device_str_is_the_spec():
    assert str(parse_device("cuda")) == "cuda:0" and str(backend.CPU) == "cpu"


def test_to_device_cpu_keeps_host_arrays_and_none():
    a = np.ones(3)
    assert backend.to_device(a, "cpu") is a
    assert backend.to_device(None, "cuda") is None
    assert backend.device_of(a) == backend.CPU


@pytest.mark.skipif(HAS_CUPY, reason="checks the message shown when CuPy is missing")
def test_cuda_without_cupy_says_what_to_install():
    with pytest.raises(RuntimeError) as info:
        backend.to_device(np.ones(2), "cuda")
    message = str(info.value)
    assert "'cuda:0'" in message and "cupy-cuda12x" in message and "cupy-cuda13x" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.skipif(HAS_CUPY, reason="checks the message shown when CuPy is missing")
def test_model_to_cuda_without_cupy_says_what_to_install_and_moves_nothing():
    import nerve
    from nerve import layers

    model = nerve.Sequential([layers.Dense(2)], input_shape=(3,))
    with pytest.raises(RuntimeError, match="cupy-cuda12x"):
        model.to("cuda")
    assert model.device == backend.CPU and type(model.params["dense_1/W"]) is np.ndarray
    with pytest.raises(RuntimeError, match="cupy-cuda13x"):
        model.to("cuda:1")
