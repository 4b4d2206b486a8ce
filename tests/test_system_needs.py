"""Tests that need Chromium or Debian's Fashion-MNIST: skipped with the installing command, but never under CI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

TARGET = "tests/data/test_mnist.py::test_debian_fashion_mnist_copy_matches_the_real_checksums"


def _pytest(**env):
    full = {k: v for k, v in os.environ.items() if k != "CI"}
    full.update(env, NERVE_TEST_PRETEND_MISSING="needs_fashion_mnist")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", TARGET],
                          capture_output=True, text=True, env=full, timeout=300,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_a_missing_system_package_skips_with_the_command_that_installs_it():
    out = _pytest().stdout
    assert "1 skipped" in out and "sudo apt-get install dataset-fashion-mnist" in out, out


@pytest.mark.needs_fashion_mnist
def test_under_ci_the_test_runs_instead_of_skipping():
    out = _pytest(CI="true").stdout
    assert "skipped" not in out and "1 passed" in out, out


def test_every_browser_test_is_marked_as_needing_chromium():
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                          "-m", "needs_chromium", "tests/playground/test_browser.py"], capture_output=True, text=True,
                         timeout=300, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))).stdout
    assert "test_line_fit_and_xor_classifier_in_the_browser" in out, out
