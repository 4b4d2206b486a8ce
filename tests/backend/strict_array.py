"""A strict stand-in for CuPy on machines without a GPU, to catch host (NumPy) leaks in kernels.

``StrictArray`` wraps a NumPy array but, like a CuPy array, refuses to become one implicitly: ``np.asarray(s)``,
``np.exp(s)``, ``np.sum(s)`` and mixing it with a host array in an operator all raise TypeError. The only way to
compute on it is through its own methods and operators or through ``strict_xp``, the array module that
``nerve.backend.get_array_module`` returns for it once :func:`install` registered it (device name "strict").
Like CuPy, reductions give 0-d arrays, not NumPy scalars, and ``strict_xp.asarray``/``asnumpy`` are the
explicit transfers.
"""

from __future__ import annotations

import types

import numpy as np

from nerve import backend

__all__ = ["StrictArray", "strict_xp", "install", "uninstall", "HostLeak"]


class HostLeak(TypeError):
    """A device array met NumPy: the kernel named ``np`` (or a host array) where it should use ``xp``."""


def _unwrap(value, where):
    if type(value) is StrictArray:
        return value._a
    if isinstance(value, np.ndarray):
        if value.ndim == 0:  # a NumPy scalar in array clothing: CuPy accepts it like a Python number
            return value
        raise HostLeak(f"{where}: got a host NumPy array of shape {value.shape} next to device arrays "
                       "(move it with xp.asarray or create it with xp)")
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v, where) for v in value)
    if isinstance(value, dict):
        return {k: _unwrap(v, where) for k, v in value.items()}
    return value


def _wrap(value):
    if isinstance(value, np.ndarray):
        return StrictArray(value)
    if isinstance(value, np.generic):  # CuPy's reductions return 0-d device arrays, never NumPy scalars
        return StrictArray(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(_wrap(v) for v in value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _call(fn, where):
    def call(*args, **kwargs):
        return _wrap(fn(*_unwrap(args, where), **_unwrap(kwargs, where)))

    call.__name__ = getattr(fn, "__name__", where)
    return call


class StrictArray:
    """A device array of the stand-in device: computes only through its own methods or ``strict_xp``."""

    __slots__ = ("_a",)
    __array_ufunc__ = None  # np.exp(s) and ndarray + s refuse (the latter defers to s.__radd__, which checks)
    __hash__ = None

    def __init__(self, a: np.ndarray):
        self._a = a

    def __array__(self, *args, **kwargs):
        raise HostLeak("StrictArray: implicit conversion to a NumPy array (np.asarray, np.array, ...) is not "
                       "allowed, as with CuPy; use nerve.backend.to_numpy or xp.asnumpy")

    def __array_function__(self, func, types_, args, kwargs):
        raise HostLeak(f"StrictArray: numpy.{func.__name__}() was called on a device array; "
                       f"use xp.{func.__name__} with xp = get_array_module(...)")

    def __getattr__(self, name):
        if name.startswith("__"):  # NOTE: forwarding __array_interface__ would let NumPy read the data
            raise AttributeError(name)
        value = getattr(self._a, name)
        return _call(value, f"StrictArray.{name}") if callable(value) else _wrap(value)

    def __getitem__(self, index):
        return _wrap(self._a[_unwrap(index, "StrictArray[...]")])

    def __setitem__(self, index, value):
        self._a[_unwrap(index, "StrictArray[...] =")] = _unwrap(value, "StrictArray[...] =")

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_wrap(row) for row in self._a)

    def __float__(self):
        return float(self._a)

    def __int__(self):
        return int(self._a)

    def __bool__(self):
        return bool(self._a)

    def __index__(self):
        return self._a.__index__()

    def get(self) -> np.ndarray:
        """CuPy's device-to-host copy."""
        return self._a.copy()

    def __repr__(self):
        return f"StrictArray({self._a!r})"


def _binary(name):
    def op(self, other):
        result = getattr(self._a, name)(_unwrap(other, f"StrictArray.{name}"))
        return result if result is NotImplemented else _wrap(result)

    return op


def _inplace(name):
    def op(self, other):
        getattr(self._a, name)(_unwrap(other, f"StrictArray.{name}"))
        return self

    return op


def _unary(name):
    return lambda self: _wrap(getattr(self._a, name)())


for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor"):
    setattr(StrictArray, f"__{_op}__", _binary(f"__{_op}__"))
    setattr(StrictArray, f"__r{_op}__", _binary(f"__r{_op}__"))
    setattr(StrictArray, f"__i{_op}__", _inplace(f"__i{_op}__"))
for _op in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(StrictArray, f"__{_op}__", _binary(f"__{_op}__"))
for _op in ("neg", "pos", "abs", "invert"):
    setattr(StrictArray, f"__{_op}__", _unary(f"__{_op}__"))


class _Namespace(types.ModuleType):
    """NumPy's names, computing on StrictArrays: the stand-in's ``cupy`` (and its submodules)."""

    def __init__(self, name, source):
        super().__init__(name)
        self._source = source

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "random":
            raise HostLeak("strict_xp.random: nerve draws random numbers on the host with nerve's generator")
        value = getattr(self._source, name)
        if isinstance(value, types.ModuleType):
            return _Namespace(f"{self.__name__}.{name}", value)
        if isinstance(value, type) or not callable(value):
            return value  # dtypes (xp.float32), constants (xp.inf, xp.newaxis)
        return _call(value, f"{self.__name__}.{name}")


def _asarray(a, dtype=None):
    """Explicit host -> device transfer (CuPy's ``asarray``)."""
    if type(a) is StrictArray:
        return a if dtype is None or a.dtype == np.dtype(dtype) else a.astype(dtype)
    return StrictArray(np.array(a, dtype=dtype, copy=True))


def _asnumpy(a):
    """Explicit device -> host copy (CuPy's ``asnumpy``)."""
    return a.get() if type(a) is StrictArray else np.asarray(a)


strict_xp = _Namespace("strict_xp", np)
strict_xp.asarray = _asarray
strict_xp.array = lambda a, dtype=None, copy=True, order="K": _asarray(a, dtype) if not copy else StrictArray(
    np.array(a._a if type(a) is StrictArray else a, dtype=dtype, copy=True, order=order))  # CuPy's signature
strict_xp.asnumpy = _asnumpy
strict_xp.ndarray = StrictArray


def install() -> None:
    """Register the stand-in: ``get_array_module`` knows StrictArray and ``to_device(x, "strict")`` works."""
    backend.register_array_module(StrictArray, strict_xp, device="strict")


def uninstall() -> None:
    backend.unregister_array_module(strict_xp)
