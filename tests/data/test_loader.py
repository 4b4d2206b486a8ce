"""DataLoader: batch counts, coverage, per-epoch shuffles, seeds, transforms, errors."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.datasets import DataLoader


def _epoch(loader):
    return [(xb.copy(), yb.copy()) for xb, yb in loader]


def test_loader_batches_cover_every_sample_once_per_epoch():
    x = np.arange(23, dtype=np.float32).reshape(23, 1) * np.ones((1, 3), np.float32)
    y = np.arange(23)
    loader = DataLoader(x, y, batch_size=5, seed=0)
    assert len(loader) == 5
    batches = _epoch(loader)
    assert [len(b[1]) for b in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([b[1] for b in batches])
    np.testing.assert_array_equal(np.sort(seen), y)
    for xb, yb in batches:  # x and y stay paired
        np.testing.assert_array_equal(xb[:, 0], yb)


def test_loader_new_order_each_epoch_repeatable_with_seed():
    x, y = np.arange(50).reshape(50, 1), np.arange(50)
    a = DataLoader(x, y, batch_size=10, seed=42)
    b = DataLoader(x, y, batch_size=10, seed=42)
    ea1, ea2 = _epoch(a), _epoch(a)
    eb1, eb2 = _epoch(b), _epoch(b)
    assert not np.array_equal(ea1[0][1], ea2[0][1])
    for p, q in zip(ea1 + ea2, eb1 + eb2):
        np.testing.assert_array_equal(p[1], q[1])


def test_loader_without_seed_follows_nerve_seed():
    x = np.arange(30)
    nerve.backend.seed(5)
    first = np.concatenate(list(DataLoader(x, batch_size=7)))
    nerve.backend.seed(5)
    np.testing.assert_array_equal(first, np.concatenate(list(DataLoader(x, batch_size=7))))
    assert not np.array_equal(first, x)


def test_loader_no_shuffle_drop_last_and_transform():
    x = np.arange(10, dtype=np.float32)
    loader = DataLoader(x, batch_size=4, shuffle=False, drop_last=True, transform=lambda b: b * 2)
    assert len(loader) == 2
    out = list(loader)
    np.testing.assert_array_equal(np.concatenate(out), np.arange(8) * 2)
    np.testing.assert_array_equal(x, np.arange(10))  # the transform saw a copy-producing op, data untouched


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=np.zeros((4, 2)), y=np.zeros(3)), "same number of samples"),
        (dict(x=np.zeros((4, 2)), batch_size=0), "batch_size"),
        (dict(x=np.zeros((0, 2))), "at least one sample"),
        (dict(x=np.zeros((4, 2)), batch_size=5, drop_last=True), "no batch"),
        (dict(x=np.zeros((4, 2)), transform=3), "callable"),
    ],
)
def test_loader_bad_arguments_are_named(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        DataLoader(**kwargs)
