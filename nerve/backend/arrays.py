"""The array module seam (DeZero's ``cuda.get_array_module``): NumPy for host arrays, CuPy for GPU arrays.

Kernels write ``xp = get_array_module(x)`` and call ``xp.<function>``, never ``np.<function>``, so the same code
runs on whichever device its inputs live on. CuPy is imported only when a CuPy array is seen or a CUDA device is
asked for. Other array libraries (the tests' strict stand-in for CuPy) plug in through
:func:`register_array_module`.
"""

from __future__ import annotations

import types

import numpy as np

__all__ = ["get_array_module", "register_array_module", "unregister_array_module", "registered_device_module",
           "registered_devices", "to_numpy", "import_cupy", "CUPY_INSTALL_HINT"]

CUPY_INSTALL_HINT = ("install CuPy for your CUDA version: `pip install cupy-cuda12x` (CUDA 12) or "
                     "`pip install cupy-cuda13x` (CUDA 13), or nerve's extras `pip install 'nerve[gpu-cuda12]'` / "
                     "`'nerve[gpu-cuda13]'`")

#: (array type, module, device name or None) in registration order; empty unless someone registers
_registered: list[tuple[type, types.ModuleType, str | None]] = []
#: array type -> its module, filled as types are met (cleared when registrations change)
_module_of_type: dict[type, types.ModuleType] = {np.ndarray: np}


def import_cupy() -> types.ModuleType:
    """The ``cupy`` module, or an ImportError that says what to install."""
    try:
        import cupy
    except ImportError as e:
        raise ImportError(f"nerve: GPU arrays need CuPy, which could not be imported ({e}); "
                          f"{CUPY_INSTALL_HINT}") from None
    return cupy


def get_array_module(*arrays) -> types.ModuleType:
    """The array module (``numpy``, ``cupy`` or a registered one) that computes on ``arrays``.

    NumPy arrays, Python scalars and anything unknown give ``numpy``; the first non-NumPy array decides.
    """
    for a in arrays:
        # NOTE: the hot path: one dict lookup per argument (types seen before), nothing imported
        xp = _module_of_type.get(type(a)) or _lookup(type(a))
        if xp is not np:
            return xp
    return np


def _lookup(cls: type) -> types.ModuleType:
    """The module of arrays of type ``cls`` (remembered): a registered one, cupy, or numpy for anything else."""
    xp = next((module for kind, module, _ in _registered if issubclass(cls, kind)), None)
    if xp is None:
        xp = import_cupy() if cls.__module__.split(".")[0] in ("cupy", "cupyx") else np
    _module_of_type[cls] = xp
    return xp


def register_array_module(array_type: type, module: types.ModuleType, device: str | None = None) -> None:
    """Make :func:`get_array_module` return ``module`` for instances of ``array_type``.

    With ``device`` (a name such as ``"strict"``), ``to_device(x, device)`` and ``model.to(device)`` move arrays
    there with ``module.asarray``; ``module.asnumpy`` brings them back. The tests register a strict stand-in for
    CuPy this way.
    """
    if not isinstance(array_type, type):
        raise TypeError(f"register_array_module: `array_type` must be a class, got {array_type!r}")
    if not hasattr(module, "asarray") or not hasattr(module, "asnumpy"):
        raise TypeError(f"register_array_module: `module` must provide asarray() and asnumpy(), got {module!r}")
    if device is not None and (not isinstance(device, str) or not device.isidentifier()
                               or device in ("cpu", "cuda", "gpu")):
        raise ValueError(f"register_array_module: `device` must be a new name such as 'strict', got {device!r}")
    unregister_array_module(module)
    _registered.append((array_type, module, device))
    _module_of_type.clear()
    _module_of_type[np.ndarray] = np


def unregister_array_module(module: types.ModuleType) -> None:
    """Undo :func:`register_array_module` for ``module`` (no error if it was not registered)."""
    _registered[:] = [entry for entry in _registered if entry[1] is not module]
    _module_of_type.clear()
    _module_of_type[np.ndarray] = np


def registered_device_module(name: str) -> types.ModuleType | None:
    """The module registered for device ``name``, or None."""
    for _, module, device in _registered:
        if device == name:
            return module
    return None


def registered_devices() -> dict[str, types.ModuleType]:
    """Registered device names and their modules."""
    return {device: module for _, module, device in _registered if device is not None}


def to_numpy(array) -> np.ndarray:
    """A host (NumPy) array of ``array``: a copy of a device array; a NumPy array itself is returned as is."""
    if type(array) is np.ndarray:
        return array
    xp = get_array_module(array)
    if xp is not np:
        return xp.asnumpy(array)
    return np.asarray(array)
