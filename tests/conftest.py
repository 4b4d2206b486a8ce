"""Shared fixtures: every test starts from the same seed and the float32 default."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

import nerve


@pytest.fixture(autouse=True)
def _fresh_state():
    nerve.seed(0)
    nerve.set_default_dtype(np.float32)
    yield
    nerve.set_default_dtype(np.float32)


@pytest.fixture
def f64():
    """Build layers in float64 for gradient checks."""
    with nerve.default_dtype(np.float64):
        yield


# -- tests that need what pip cannot install -----------------------------------------------------------------
#: marker -> (is it here?, what it is, the command that installs it); .ci/system-deps installs them as root
SYSTEM_NEEDS = {
    "needs_chromium": (lambda: os.path.exists("/usr/bin/chromium") or shutil.which("chromium") is not None,
                       "Debian's Chromium (/usr/bin/chromium)", "sudo apt-get install chromium"),
    "needs_fashion_mnist": (lambda: os.path.isdir("/usr/share/datasets/fashion-mnist"),
                            "Debian's Fashion-MNIST (/usr/share/datasets/fashion-mnist)",
                            "sudo apt-get install dataset-fashion-mnist"),
}


def pytest_configure(config):
    # pytest-timeout (the test extra) enforces it; without the plugin the marker is known but not enforced
    config.addinivalue_line("markers", "timeout(seconds): fail the test if it runs longer (pytest-timeout)")
    for name, (_, what, _) in SYSTEM_NEEDS.items():
        config.addinivalue_line("markers", f"{name}: the test needs {what}; skipped where it is missing, "
                                           "except under CI=true, where it runs (and fails)")


def pytest_collection_modifyitems(config, items):
    """Skip tests whose system package is missing, with the command that installs it; never under CI=true."""
    in_ci = os.environ.get("CI", "").lower() == "true"
    pretend = os.environ.get("NERVE_TEST_PRETEND_MISSING", "").split(",")  # for the test of this hook
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):  # every test that drives the browser
            item.add_marker(pytest.mark.needs_chromium)
        for name, (present, what, command) in SYSTEM_NEEDS.items():
            if item.get_closest_marker(name) and not in_ci and (name in pretend or not present()):
                item.add_marker(pytest.mark.skip(reason=f"needs {what}: run `{command}` (or `make test` as root)"))
