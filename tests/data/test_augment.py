"""ImageDataGenerator and flow(): augmentation semantics, rescale, endless epochs, seeds, errors."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.data.affine import affine_transform, random_affine_matrices
from nerve.datasets import DataLoader, ImageDataGenerator


def _images(n=6, c=3, h=8, w=10, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, c, h, w)).astype(np.float32)


def test_no_augmentation_only_rescales_and_never_touches_input():
    x = _images()
    keep = x.copy()
    out = ImageDataGenerator(rescale=1 / 255)(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x / 255, rtol=1e-6)
    np.testing.assert_array_equal(x, keep)
    np.testing.assert_array_equal(ImageDataGenerator(rescale=0)(x), x)  # Keras: 0 means no rescaling


def test_flips_are_exact_and_both_outcomes_occur():
    x = _images(n=40)
    out = ImageDataGenerator(horizontal_flip=True, seed=0).random_transform(x)
    same = np.all(out == x, axis=(1, 2, 3))
    flipped = np.all(out == x[..., ::-1], axis=(1, 2, 3))
    assert np.all(same | flipped) and same.any() and flipped.any()
    out = ImageDataGenerator(vertical_flip=True, seed=0).random_transform(x)
    assert np.all(np.all(out == x, axis=(1, 2, 3)) | np.all(out == x[:, :, ::-1], axis=(1, 2, 3)))


def test_random_transform_is_one_affine_resample_per_batch():
    x = _images()
    kw = dict(rotation_range=30, width_shift_range=0.1, height_shift_range=2, shear_range=10, zoom_range=0.2)
    out = ImageDataGenerator(fill_mode="reflect", seed=7, **kw).random_transform(x)
    m = random_affine_matrices(np.random.default_rng(7), 6, 8, 10, rotation_range=30, height_shift=2,
                               width_shift=0.1, shear_range=10, zoom_range=(0.8, 1.2))
    np.testing.assert_allclose(out, affine_transform(x, m, "reflect"), rtol=1e-6)
    assert not np.allclose(out[0], x[0])


def test_fixed_zoom_in_magnifies_about_the_centre():
    x = np.zeros((1, 1, 9, 9), np.float32)
    x[0, 0, 3:6, 3:6] = 1  # a 3x3 square in the middle
    out = ImageDataGenerator(zoom_range=(0.5, 0.5), fill_mode="constant").random_transform(x)
    assert out[0, 0, 4, 4] == 1 and out[0, 0, 2:7, 2:7].min() == 1  # grown to 5x5 (zoom 0.5 = 2x larger)
    assert out[0, 0, 0, 0] == 0


def test_seeded_generators_repeat_and_differ_between_calls():
    x = _images()
    a = ImageDataGenerator(rotation_range=40, seed=3)
    b = ImageDataGenerator(rotation_range=40, seed=3)
    first = a.random_transform(x)
    np.testing.assert_array_equal(first, b.random_transform(x))
    assert not np.allclose(first, a.random_transform(x))


def test_flow_batches_endless_epochs_and_pairing():
    x = np.arange(7, dtype=np.float32)[:, None, None, None] * np.ones((1, 1, 2, 2), np.float32)
    y = np.arange(7)
    it = ImageDataGenerator(rescale=2.0).flow(x, y, batch_size=3, seed=0)
    assert len(it) == 3
    sizes, seen = [], []
    for _ in range(6):  # two epochs, and it keeps going
        xb, yb = next(it)
        sizes.append(len(yb))
        seen.append(yb)
        np.testing.assert_array_equal(xb[:, 0, 0, 0], 2.0 * yb)
    assert sizes == [3, 3, 1, 3, 3, 1]
    np.testing.assert_array_equal(np.sort(np.concatenate(seen[:3])), y)
    assert not np.array_equal(np.concatenate(seen[:3]), np.concatenate(seen[3:]))
    assert it.epoch == 1
    xb = next(ImageDataGenerator().flow(x, batch_size=4, shuffle=False))
    assert xb.shape == (4, 1, 2, 2)


def test_flow_same_seed_same_batches():
    x, y = _images(n=10), np.arange(10)
    a = ImageDataGenerator(rotation_range=20, seed=1).flow(x, y, batch_size=4, seed=2)
    b = ImageDataGenerator(rotation_range=20, seed=1).flow(x, y, batch_size=4, seed=2)
    for _ in range(4):
        (xa, ya), (xb, yb) = next(a), next(b)
        np.testing.assert_array_equal(ya, yb)
        np.testing.assert_array_equal(xa, xb)


def test_generator_as_dataloader_transform():
    x, y = _images(n=5), np.arange(5)
    loader = DataLoader(x, y, batch_size=5, shuffle=False, transform=ImageDataGenerator(rescale=0.5))
    xb, _ = next(iter(loader))
    np.testing.assert_allclose(xb, x * 0.5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(fill_mode="mirror"), "fill_mode"),
        (dict(rotation_range=-1), "rotation_range"),
        (dict(zoom_range=(1.2, 0.8)), "zoom"),
        (dict(zoom_range="big"), "zoom_range"),
        (dict(rescale="1/255"), "rescale"),
    ],
)
def test_generator_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ImageDataGenerator(**kwargs)


def test_flow_bad_input_is_named():
    gen = ImageDataGenerator()
    with pytest.raises(ValueError, match=r"x\[:, None\]"):
        gen.flow(np.zeros((4, 8, 8)))
    with pytest.raises(ValueError, match="same number of samples"):
        gen.flow(np.zeros((4, 1, 8, 8)), np.zeros(3))
    with pytest.raises(ValueError, match="batch_size"):
        gen.flow(np.zeros((4, 1, 8, 8)), batch_size=0)
