"""get_array_module, to_numpy and the registration seam for other array modules."""

from __future__ import annotations

import subprocess
import sys
import types

import numpy as np
import pytest

from nerve import backend


class _Marked(np.ndarray):
    """An array type that a registered module claims."""


def _module(name):
    return types.SimpleNamespace(__name__=name, asarray=lambda a: np.asarray(a).view(_Marked),
                                 asnumpy=lambda a: np.asarray(a.view(np.ndarray)).copy())


def test_get_array_module_is_numpy_for_host_arrays_scalars_and_no_arrays():
    assert backend.get_array_module() is np
    assert backend.get_array_module(np.zeros(3), 1.5, None, [1, 2]) is np


def test_a_registered_array_type_selects_its_module_wherever_it_appears():
    mod = _module("marked")
    backend.register_array_module(_Marked, mod, device="marked")
    try:
        x = np.zeros(2).view(_Marked)
        assert backend.get_array_module(x) is mod
        assert backend.get_array_module(np.zeros(2), 3.0, x) is mod
        assert backend.registered_devices() == {"marked": mod}
    finally:
        backend.unregister_array_module(mod)
    assert backend.get_array_module(x) is np
    assert backend.registered_devices() == {}


def test_register_array_module_names_what_was_wrong():
    with pytest.raises(TypeError, match="array_type"):
        backend.register_array_module("ndarray", _module("m"))
    with pytest.raises(TypeError, match="asarray"):
        backend.register_array_module(_Marked, types.SimpleNamespace())
    with pytest.raises(ValueError, match="'cuda'"):
        backend.register_array_module(_Marked, _module("m"), device="cuda")


def test_to_numpy_returns_host_arrays_as_they_are_and_copies_device_arrays():
    a = np.arange(3.0)
    assert backend.to_numpy(a) is a
    assert isinstance(backend.to_numpy([1, 2]), np.ndarray)
    mod = _module("marked")
    backend.register_array_module(_Marked, mod, device="marked")
    try:
        host = backend.to_numpy(a.view(_Marked))
    finally:
        backend.unregister_array_module(mod)
    assert type(host) is np.ndarray and host is not a
    np.testing.assert_array_equal(host, a)


def test_get_array_module_never_imports_cupy_for_numpy_work():
    code = ("import sys, numpy as np, nerve\nfrom nerve.backend import get_array_module\n"
            "get_array_module(np.zeros(1), 2.0)\nnerve.Sequential\nprint('cupy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
