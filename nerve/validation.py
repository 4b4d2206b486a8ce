"""Declarative argument validation: each owner states its arguments' constraints once, one function checks them.

Modelled on scikit-learn's ``_parameter_constraints`` / ``validate_params``, with Keras's message::

    Dense: received an invalid value for `units`, expected an integer >= 1. Received: units=0

A constraint list for one argument holds any of: an :class:`Interval` (``Integral`` or ``Real``), an
:class:`Options` set, :data:`Boolean`, :class:`Pair`, :class:`ListOf`, :class:`Satisfies`, a type (``str``,
``np.ndarray``), the builtin ``callable``, or ``None`` (the value ``None``). A value is valid when it satisfies
one entry. Booleans are never numbers: ``Interval(Real, 0, None)`` refuses ``True`` as scikit-learn does.

This checks hyper-parameters (arguments given once). Data (arrays, labels, targets) is checked where it is
used, e.g. :func:`nerve.errors.as_float_array` and the metrics' label checks.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "InvalidParameterError", "Constraint", "Interval", "Options", "Boolean", "Pair", "ListOf", "Satisfies",
    "FILE_PATH", "Integral", "Real", "check_param", "check_params", "validate_params", "make_constraint",
]


class InvalidParameterError(ValueError, TypeError):
    """An argument has the wrong type or value (both a ValueError and a TypeError, as in scikit-learn)."""


class Constraint:
    """One acceptable kind of value: ``is_satisfied_by(value)`` and a description for the message."""

    def is_satisfied_by(self, value) -> bool:
        raise NotImplementedError

    def __str__(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"


def _is_number(value, kind) -> bool:
    """``value`` is an instance of ``kind`` (Integral or Real) and not a bool."""
    return isinstance(value, kind) and not isinstance(value, (bool, np.bool_))


class Interval(Constraint):
    """A finite number of ``kind`` (``Integral`` or ``Real``) between ``left`` and ``right`` (None: unbounded).

    ``closed`` is "both", "left", "right" or "neither" and says which given bounds are included. A ``Real``
    interval accepts integers too; neither accepts booleans, NaN or infinities.
    """

    def __init__(self, kind, left, right, *, closed: str = "both"):
        if kind not in (Integral, Real):
            raise ValueError(f"Interval: `kind` must be numbers.Integral or numbers.Real, got {kind!r}")
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"Interval: `closed` must be 'both', 'left', 'right' or 'neither', got {closed!r}")
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def is_satisfied_by(self, value) -> bool:
        if not _is_number(value, self.kind) or not math.isfinite(value):
            return False
        left_in = self.closed in ("both", "left")
        right_in = self.closed in ("both", "right")
        if self.left is not None and not (value >= self.left if left_in else value > self.left):
            return False
        return self.right is None or (value <= self.right if right_in else value < self.right)

    def __str__(self) -> str:
        noun = "an integer" if self.kind is Integral else "a number"
        left_in = self.closed in ("both", "left")
        right_in = self.closed in ("both", "right")
        if self.left is None and self.right is None:
            return noun
        if self.right is None:
            return f"{noun} {'>=' if left_in else '>'} {self.left}"
        if self.left is None:
            return f"{noun} {'<=' if right_in else '<'} {self.right}"
        return f"{noun} in {'[' if left_in else '('}{self.left}, {self.right}{']' if right_in else ')'}"


class Options(Constraint):
    """One of a fixed set of values (compared by equality; a bool never matches 0 or 1)."""

    def __init__(self, options):
        self.options = tuple(options)

    def is_satisfied_by(self, value) -> bool:
        for option in self.options:
            if isinstance(option, (bool, np.bool_)) != isinstance(value, (bool, np.bool_)):
                continue
            if isinstance(option, str) != isinstance(value, str):
                continue
            try:
                if bool(option == value):
                    return True
            except (TypeError, ValueError):  # arrays and odd objects are never options
                continue
        return False

    def __str__(self) -> str:
        return "one of {" + ", ".join(sorted(repr(o) for o in self.options)) + "}"


class _BooleanConstraint(Constraint):
    """True or False (a Python or NumPy bool, never 0 or 1)."""

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, (bool, np.bool_))

    def __str__(self) -> str:
        return "a bool"

    def __repr__(self) -> str:
        return "Boolean"


#: the constraint "a bool"
Boolean = _BooleanConstraint()


class Pair(Constraint):
    """A value satisfying ``inner``, or a tuple/list of two such values (kernel sizes, strides)."""

    def __init__(self, inner: Constraint):
        self.inner = inner

    def is_satisfied_by(self, value) -> bool:
        items = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
        return len(items) == 2 and all(self.inner.is_satisfied_by(v) for v in items)

    def __str__(self) -> str:
        return f"{self.inner} or a pair of them (h, w)"


class ListOf(Constraint):
    """A tuple or list whose items all satisfy ``inner``: exactly ``length`` of them, else ``min_length`` or more."""

    def __init__(self, inner: Constraint, length: int | None = None, min_length: int = 1):
        self.inner, self.length, self.min_length = inner, length, min_length

    def is_satisfied_by(self, value) -> bool:
        if not isinstance(value, (tuple, list)):
            return False
        count_ok = len(value) == self.length if self.length is not None else len(value) >= self.min_length
        return count_ok and all(self.inner.is_satisfied_by(v) for v in value)

    def __str__(self) -> str:
        count = f"{self.length}" if self.length is not None else f"{self.min_length} or more"
        return f"a list of {count} values, each {self.inner}"


class Satisfies(Constraint):
    """Any value for which ``predicate(value)`` is true; ``description`` completes "expected ..."."""

    def __init__(self, predicate: Callable[[Any], bool], description: str):
        self.predicate, self.description = predicate, description

    def is_satisfied_by(self, value) -> bool:
        try:
            return bool(self.predicate(value))
        except Exception:  # noqa: BLE001 - a predicate that cannot judge a value rejects it
            return False

    def __str__(self) -> str:
        return self.description


#: a non-empty ``str`` or ``os.PathLike`` (files the library writes)
FILE_PATH = Satisfies(lambda p: isinstance(p, (str, os.PathLike)) and str(p) != "", "a file path")


class _NoneConstraint(Constraint):
    def is_satisfied_by(self, value) -> bool:
        return value is None

    def __str__(self) -> str:
        return "None"


class _CallableConstraint(Constraint):
    def is_satisfied_by(self, value) -> bool:
        return callable(value)

    def __str__(self) -> str:
        return "a callable"


class _TypeConstraint(Constraint):
    def __init__(self, kind: type):
        self.kind = kind

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, self.kind)

    def __str__(self) -> str:
        names = {str: "a string", dict: "a dict", list: "a list", tuple: "a tuple"}
        return names.get(self.kind, f"an instance of {self.kind.__name__}")


def make_constraint(spec) -> Constraint:
    """The :class:`Constraint` a declaration entry stands for (a Constraint, None, ``callable`` or a type)."""
    if isinstance(spec, Constraint):
        return spec
    if spec is None:
        return _NoneConstraint()
    if spec is callable:
        return _CallableConstraint()
    if isinstance(spec, type):
        if spec in (Integral, Real):
            return Interval(spec, None, None)
        return _TypeConstraint(spec)
    raise TypeError(f"make_constraint: cannot interpret constraint {spec!r}")


def _owner_name(owner) -> str:
    return owner if isinstance(owner, str) else type(owner).__name__


def check_param(owner, name: str, value, constraints) -> Any:
    """``value`` unchanged if it satisfies one of ``constraints``, else :class:`InvalidParameterError`.

    ``owner`` is the class or function name the message starts with (or an instance: its class name).
    """
    if not isinstance(constraints, (list, tuple)):
        constraints = [constraints]
    made = [make_constraint(c) for c in constraints]
    if any(c.is_satisfied_by(value) for c in made):
        return value
    expected = " or ".join(str(c) for c in made)
    raise InvalidParameterError(
        f"{_owner_name(owner)}: received an invalid value for `{name}`, expected {expected}. "
        f"Received: {name}={value!r}"
    )


def check_params(owner, constraints: dict, values: dict) -> None:
    """Check every ``values[name]`` that has an entry in ``constraints`` (the estimators' ``fit`` uses this)."""
    for name, value in values.items():
        if name in constraints:
            check_param(owner, name, value, constraints[name])


def validate_params(constraints: dict):
    """Decorator: check the named arguments of each call against ``constraints`` before running the function.

    The message names the function, or for ``__init__`` the class of the instance being built (so a subclass
    is named as itself). ``inspect.signature`` still shows the wrapped function's arguments.
    """

    def decorate(func):
        signature = inspect.signature(func)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"validate_params: {func.__qualname__} has no argument(s) {sorted(unknown)}")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            owner = type(args[0]).__name__ if func.__name__ == "__init__" and args else func.__name__
            check_params(owner, constraints, bound.arguments)
            return func(*args, **kwargs)

        wrapper.parameter_constraints = constraints
        return wrapper

    return decorate

