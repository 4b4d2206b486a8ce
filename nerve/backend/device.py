"""Devices: "cpu", "cuda" / "cuda:<n>" (CuPy) or a registered name; parsing them and moving arrays there."""

from __future__ import annotations

import types
from dataclasses import dataclass

import numpy as np

from .arrays import (
    CUPY_INSTALL_HINT,
    get_array_module,
    import_cupy,
    registered_device_module,
    registered_devices,
    to_numpy,
)

__all__ = ["Device", "CPU", "parse_device", "device_of", "to_device", "array_module_of"]


@dataclass(frozen=True)
class Device:
    """Where arrays live: ``kind`` is "cpu", "cuda" or a registered name; ``index`` numbers CUDA devices."""

    kind: str
    index: int = 0

    def __str__(self) -> str:
        return f"cuda:{self.index}" if self.kind == "cuda" else self.kind


CPU = Device("cpu")


def parse_device(spec) -> Device:
    """A Device from "cpu", "cuda", "cuda:1", "gpu" (= "cuda"), a registered name or a Device."""
    if isinstance(spec, Device):
        return spec
    if isinstance(spec, str):
        name = spec.strip().lower()
        kind, _, index = name.partition(":")
        if kind == "gpu":
            kind = "cuda"
        if kind == "cpu" and not index:
            return CPU
        if kind == "cuda" and (not index or index.isdigit()):
            return Device("cuda", int(index or 0))
        if not index and registered_device_module(kind) is not None:
            return Device(kind)
    raise ValueError(f"device: expected 'cpu', 'cuda' or 'cuda:<index>', got {spec!r}")


def array_module_of(device) -> types.ModuleType:
    """The array module of ``device``; for CUDA, checks that CuPy is installed and sees that GPU."""
    device = parse_device(device)
    if device.kind == "cpu":
        return np
    if device.kind != "cuda":
        return registered_device_module(device.kind)
    try:
        cupy = import_cupy()
    except ImportError as e:
        raise RuntimeError(f"device {str(device)!r}: {e}") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount() if cupy.is_available() else 0
    except Exception:  # noqa: BLE001 -- a broken driver shows up as any CUDA error; report it in our words
        count = 0
    if count == 0:
        raise RuntimeError(f"device {str(device)!r}: CuPy is installed but finds no usable CUDA GPU (check the "
                           f"driver and that the CuPy package matches its CUDA version); {CUPY_INSTALL_HINT}")
    if device.index >= count:
        raise RuntimeError(f"device {str(device)!r}: there are {count} CUDA device(s), numbered 0..{count - 1}")
    return cupy


def device_of(array) -> Device:
    """The device an array lives on (CPU for NumPy arrays and anything that is not a device array)."""
    xp = get_array_module(array)
    if xp is np:
        return CPU
    if xp.__name__ == "cupy":
        return Device("cuda", int(array.device.id))
    for name, module in registered_devices().items():
        if module is xp:
            return Device(name)
    raise ValueError(f"device_of: arrays of {type(array).__name__} have no registered device")


def to_device(array, device):
    """``array`` on ``device`` (copied there unless it is already there); None stays None."""
    if array is None:
        return None
    device = parse_device(device)
    if device.kind == "cpu":
        return to_numpy(array)
    xp = array_module_of(device)
    if device.kind != "cuda":
        return array if get_array_module(array) is xp else xp.asarray(to_numpy(array))
    with xp.cuda.Device(device.index):
        if get_array_module(array) is xp:
            return array if array.device.id == device.index else xp.array(array, copy=True)
        return xp.asarray(array)
