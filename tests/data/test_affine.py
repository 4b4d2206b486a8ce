"""affine_transform against scipy.ndimage, and the random matrices behind ImageDataGenerator."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage as ndimage

from nerve.data.affine import affine_transform, random_affine_matrices

SCIPY_MODE = {"nearest": "nearest", "constant": "grid-constant", "reflect": "reflect", "wrap": "grid-wrap"}


def _scipy(x, m, mode, cval):
    return np.stack([
        np.stack([ndimage.affine_transform(img, mi[:, :2], offset=mi[:, 2], order=1, mode=SCIPY_MODE[mode],
                                           cval=cval) for img in xi])
        for xi, mi in zip(x, m)
    ])


@pytest.mark.parametrize("mode", list(SCIPY_MODE))
def test_affine_matches_scipy_bilinear(mode):
    gen = np.random.default_rng(0)
    x = gen.random((4, 2, 9, 11))
    m = random_affine_matrices(gen, 4, 9, 11, rotation_range=45, height_shift=0.3, width_shift=2,
                               shear_range=25, zoom_range=(0.6, 1.4), horizontal_flip=True, vertical_flip=True)
    np.testing.assert_allclose(affine_transform(x, m, mode, cval=0.25), _scipy(x, m, mode, 0.25), atol=1e-12)


def test_affine_identity_and_flips_are_exact():
    x = np.random.default_rng(1).random((2, 3, 5, 6)).astype(np.float32)
    eye = np.tile(np.array([[1.0, 0, 0], [0, 1, 0]]), (2, 1, 1))
    out = affine_transform(x, eye)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, x)
    flip = np.tile(np.array([[1.0, 0, 0], [0, -1, 5]]), (2, 1, 1))  # col -> 5 - col
    np.testing.assert_array_equal(affine_transform(x, flip), x[..., ::-1])


def test_affine_integer_images_become_float32():
    x = np.arange(16, dtype=np.uint8).reshape(1, 1, 4, 4)
    eye = np.array([[[1.0, 0, 0], [0, 1, 0]]])
    out = affine_transform(x, eye)
    assert out.dtype == np.float32 and np.array_equal(out, x)


def test_random_matrices_identity_is_none_and_seeded():
    gen = np.random.default_rng(0)
    assert random_affine_matrices(gen, 3, 8, 8) is None
    a = random_affine_matrices(np.random.default_rng(5), 3, 8, 8, rotation_range=30)
    b = random_affine_matrices(np.random.default_rng(5), 3, 8, 8, rotation_range=30)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (3, 2, 3) and not np.allclose(a[0], a[1])


def test_rotation_keeps_the_centre_pixel_fixed():
    m = random_affine_matrices(np.random.default_rng(2), 5, 7, 9, rotation_range=90, zoom_range=(0.5, 2.0))
    centre = np.array([3.0, 4.0, 1.0])
    np.testing.assert_allclose(m @ centre, np.tile([3.0, 4.0], (5, 1)), atol=1e-12)


def test_affine_bad_input_is_named():
    with pytest.raises(ValueError, match="fill_mode"):
        affine_transform(np.zeros((1, 1, 2, 2)), np.zeros((1, 2, 3)), "mirror")
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        affine_transform(np.zeros((2, 2)), np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match="matrices of shape"):
        affine_transform(np.zeros((2, 1, 2, 2)), np.zeros((1, 2, 3)))
