"""Image filters: SciPy reference, the behaviour each kernel is known for, gray and RGB, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import correlate2d

from nerve import backend, filters


def _image(shape=(9, 11), seed=0):
    return np.random.default_rng(seed).random(shape)


@pytest.mark.parametrize("name", filters.names())
def test_gray_filter_matches_scipy_correlate2d(name):
    img = _image()
    with backend.default_dtype(np.float64):
        out = filters.apply_filter(img, name)
    expected = correlate2d(img, filters.get(name), mode="same", boundary="fill")
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-12)


def test_valid_padding_and_stride():
    img = _image((8, 10))
    with backend.default_dtype(np.float64):
        out = filters.apply_filter(img, filters.LAPLACIAN, padding=0, stride=2)
    np.testing.assert_allclose(out, correlate2d(img, filters.LAPLACIAN, mode="valid")[::2, ::2], atol=1e-12)


def test_rgb_filters_each_channel_on_its_own():
    img = _image((7, 8, 3), seed=1)
    out = filters.apply_filter(img, filters.SOBEL_Y)
    assert out.shape == (7, 8, 3) and out.dtype == np.float32
    for c in range(3):
        np.testing.assert_allclose(out[..., c], correlate2d(img[..., c], filters.SOBEL_Y, mode="same"), atol=1e-5)


def test_sobel_x_finds_vertical_edges_only():
    img = np.zeros((6, 8), dtype=np.uint8)
    img[:, 4:] = 255  # dark left half, bright right half
    gx = filters.apply_filter(img, "sobel_x")[1:-1]  # rows away from the zero padding
    gy = filters.apply_filter(img, "sobel_y")[1:-1, 1:-1]
    np.testing.assert_array_equal(gx[:, 3:5], 4 * 255)  # the two columns beside the edge: 1+2+1 = 4 steps
    assert (gx[:, :3] == 0).all() and (gx[:, 5:-1] == 0).all()
    assert (gy == 0).all()


def test_sobel_edges_is_the_gradient_magnitude():
    img = _image((6, 6), seed=2)
    gx, gy = filters.apply_filter(img, "sobel_x"), filters.apply_filter(img, "sobel_y")
    np.testing.assert_allclose(filters.sobel_edges(img), np.sqrt(gx ** 2 + gy ** 2), rtol=1e-6)


def test_laplacian_is_zero_on_a_linear_ramp():
    ramp = np.add.outer(np.arange(7.0), 2 * np.arange(9.0))
    assert np.abs(filters.apply_filter(ramp, "laplacian", padding=0)).max() < 1e-5


def test_blurs_and_sharpen_keep_a_flat_image_flat():
    flat = np.full((9, 9), 0.5)
    for kernel in (filters.box_blur(3), filters.gaussian_kernel(5, 1.2), filters.SHARPEN):
        assert np.allclose(filters.apply_filter(flat, kernel, padding=0), 0.5, atol=1e-6)


def test_gaussian_kernel_is_normalised_symmetric_and_peaked():
    g = filters.gaussian_kernel(5, 1.0)
    assert g.shape == (5, 5) and np.isclose(g.sum(), 1.0)
    np.testing.assert_allclose(g, g.T)
    np.testing.assert_allclose(g, g[::-1, ::-1])
    assert g.argmax() == 12
    np.testing.assert_allclose(filters.box_blur(2), np.full((2, 2), 0.25))


@pytest.mark.parametrize("image", [np.zeros(5), np.zeros((2, 3, 4, 5)), np.zeros((0, 3))])
def test_rejects_images_that_are_not_gray_or_color(image):
    with pytest.raises(ValueError, match="image"):
        filters.apply_filter(image, "sobel_x")


def test_rejects_bad_kernels_and_names():
    with pytest.raises(ValueError, match="2-D"):
        filters.apply_filter(np.zeros((4, 4)), np.ones(3))
    with pytest.raises(ValueError, match="emboss"):
        filters.get("emboss")
    with pytest.raises(ValueError, match="same"):
        filters.apply_filter(np.zeros((4, 4)), filters.box_blur(2))  # 'same' needs an odd kernel
    with pytest.raises(ValueError, match="sigma"):
        filters.gaussian_kernel(5, 0)
