"""Modules the `test` extra installs: a test needing one skips where it is missing, never under CI=true.

`make test` installs the `test` extra, so on CI a missing module is an error, not a quiet skip.
"""

from __future__ import annotations

import importlib
import os

import pytest

__all__ = ["require"]


def require(module: str):
    """``pytest.importorskip(module)``, except under CI=true, where the import must succeed."""
    if os.environ.get("CI", "").lower() == "true":
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"needs {module}: pip install -e '.[test]'")
