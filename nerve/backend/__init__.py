"""The engine's bottom layer: default dtype, random generator (both context-local), array modules and devices.

One concept per file: ``dtype`` (float32 by default), ``random`` (the seeded generator), ``arrays``
(``get_array_module``: NumPy or CuPy from the arrays themselves) and ``device`` ("cpu", "cuda:1", moving arrays).
"""

from __future__ import annotations

from .arrays import (
    get_array_module,
    register_array_module,
    registered_device_module,
    registered_devices,
    to_numpy,
    unregister_array_module,
)
from .device import CPU, Device, array_module_of, device_of, parse_device, to_device
from .dtype import default_dtype, floatx, set_default_dtype
from .random import get_rng_state, rng, seed, set_rng_state
from .shard import BatchShard, batch_shard, current_shard, random_for_batch

__all__ = ["floatx", "set_default_dtype", "default_dtype", "seed", "rng", "get_rng_state", "set_rng_state",
           "get_array_module", "register_array_module", "unregister_array_module", "registered_device_module",
           "registered_devices", "to_numpy", "Device", "CPU", "parse_device", "device_of", "to_device",
           "array_module_of", "BatchShard", "batch_shard", "current_shard", "random_for_batch"]
