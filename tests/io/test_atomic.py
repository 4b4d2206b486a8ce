"""Atomic writes: permissions follow the umask, and leftovers of a crashed save are cleared by the next one."""

from __future__ import annotations

import os
import stat
import time

import numpy as np
import pytest

import nerve
from nerve.io.atomic import STALE_SECONDS
from nerve.layers import Dense


@pytest.fixture
def umask():
    """Set the umask for one test, then put the old one back."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_saved_models_and_figures_get_the_umask_permissions(tmp_path, umask, mask):
    umask(mask)
    model = nerve.Sequential([Dense(2)], input_shape=(3,))
    model.save(tmp_path / "model.npz")
    model.save_weights(tmp_path / "weights.npz")
    from nerve.plot import plot_history

    plot_history({"loss": [1.0, 0.5]}, path=tmp_path / "curves.png")
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    for name in ("model.npz", "weights.npz", "curves.png"):
        assert _mode(tmp_path / name) == _mode(plain) == 0o666 & ~mask, name


def test_a_crashed_saves_temporary_files_are_removed_by_the_next_save(tmp_path):
    model = nerve.Sequential([Dense(2)], input_shape=(3,))
    old = [tmp_path / f".model.npz.crash{i}.tmp" for i in range(3)]
    live = tmp_path / ".model.npz.writing.tmp"  # another process's save in progress: left alone
    other = tmp_path / ".other.npz.crash.tmp"
    for p in [*old, live, other]:
        p.write_bytes(b"half a file")
    stale = time.time() - STALE_SECONDS - 5
    for p in [*old, other]:
        os.utime(p, (stale, stale))
    model.save(tmp_path / "model.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".model.npz.writing.tmp", ".other.npz.crash.tmp",
                                                                "model.npz"])
    np.testing.assert_array_equal(nerve.load_model(tmp_path / "model.npz").params["dense_1/W"],
                                  model.params["dense_1/W"])
