"""The classifier view's datasets: shapes, label balance, range and reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.data.toy import make_moons, make_xor
from nerve.playground.datasets import BOARD, DATASET_NAMES, library_dataset, make_dataset, split


@pytest.mark.parametrize("name", ["xor", "circles", "gaussians", "moons", "spirals"])
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_datasets_have_two_balanced_classes_inside_the_square(name, noise):
    xy, labels = make_dataset(name, 400, noise, seed=3)
    assert xy.shape == (400, 2) and labels.shape == (400,)
    assert set(np.unique(labels)) == {0, 1}
    assert 0.3 < labels.mean() < 0.7
    assert np.abs(xy).max() <= 6.0


@pytest.mark.parametrize("name", ["xor", "circles", "gaussians", "moons", "spirals"])
def test_same_seed_same_points(name):
    a, b, c = (make_dataset(name, 100, 0.2, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


def test_noiseless_labels_follow_the_libraries_convention():
    xy, labels = make_dataset("xor", 500, 0.0, seed=0)
    np.testing.assert_array_equal(labels, (xy[:, 0] * xy[:, 1] < 0).astype(int))  # exactly one positive -> 1
    xy, labels = make_dataset("circles", 500, 0.0, seed=0)
    np.testing.assert_array_equal(labels, (np.hypot(xy[:, 0], xy[:, 1]) < 3.75).astype(int))  # inner -> 1
    xy, labels = make_dataset("moons", 500, 0.0, seed=0)
    assert xy[labels == 0, 1].mean() > xy[labels == 1, 1].mean()  # the upper moon is 0, as in scikit-learn
    xy, labels = make_dataset("gaussians", 500, 0.0, seed=0)
    assert np.allclose(xy[labels == 1].mean(axis=0), [2, 2], atol=0.2)


@pytest.mark.parametrize("name", DATASET_NAMES)
@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_playground_and_library_give_the_same_data_for_the_same_seed(name, noise):
    """One set of toy datasets: the board's points are the library's moved by BOARD, labels unchanged."""
    xy, labels = make_dataset(name, 150, noise, seed=11)
    x, y = library_dataset(name, 150, noise, seed=11)
    np.testing.assert_array_equal(labels, y)
    centre, scale = BOARD[name]
    np.testing.assert_allclose(xy, np.clip((x.astype(np.float64) - centre) * scale, -6, 6))


def test_board_datasets_are_the_library_makers():
    x, y = make_moons(120, noise=0.1, seed=4)
    xy, labels = make_dataset("moons", 120, 0.1, seed=4)
    np.testing.assert_array_equal(labels, y)
    np.testing.assert_allclose(xy, (x.astype(np.float64) - [0.5, 0.25]) * 3.0)
    x, y = make_xor(80, noise=0.0, seed=2)
    xy, labels = make_dataset("xor", 80, 0.0, seed=2)
    np.testing.assert_array_equal(labels, y)
    np.testing.assert_allclose(xy, 5.0 * x.astype(np.float64))


def test_split_keeps_every_point_once_and_both_sides_nonempty():
    xy, labels = make_dataset("moons", 50, 0.1, seed=0)
    (a, ya), (b, yb) = split(xy, labels, 0.9, seed=0)
    assert len(a) == 45 and len(b) == 5
    assert sorted(map(tuple, np.vstack([a, b]))) == sorted(map(tuple, xy))
    (a, _), (b, _) = split(xy[:2], labels[:2], 0.9, seed=0)
    assert len(a) == 1 and len(b) == 1


def test_unknown_dataset_is_refused():
    with pytest.raises(ValueError, match="unknown dataset"):
        make_dataset("swiss_roll", 10, 0.0, 0)
