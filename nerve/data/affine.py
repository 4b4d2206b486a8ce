"""Batched affine resampling of NCHW images: one bilinear gather per batch, no per-pixel Python loops."""

from __future__ import annotations

import numpy as np

from ..validation import Interval, Options, Real, validate_params

__all__ = ["FILL_MODES", "affine_transform", "random_affine_matrices"]

FILL_MODES = ("nearest", "constant", "reflect", "wrap")


def _fold(idx: np.ndarray, size: int, mode: str) -> np.ndarray:
    """Map integer indices outside [0, size) back inside, as ``mode`` extends the image."""
    if mode == "wrap":  # a b c d | a b c d
        return np.mod(idx, size)
    if mode == "reflect":  # d c b a | a b c d | d c b a (scipy's half-sample "reflect")
        m = np.mod(idx, 2 * size)
        return np.where(m >= size, 2 * size - 1 - m, m)
    return np.clip(idx, 0, size - 1)  # "nearest", and "constant" (masked separately)


@validate_params({"fill_mode": [Options(FILL_MODES)], "cval": [Interval(Real, None, None)]})
def affine_transform(x: np.ndarray, matrices: np.ndarray, fill_mode: str = "nearest",
                     cval: float = 0.0) -> np.ndarray:
    """Resample each image of ``x`` (N, C, H, W) through its own affine map, with bilinear interpolation.

    ``matrices`` (N, 2, 3) map an output pixel's (row, col, 1) to the input position it samples, as in
    ``scipy.ndimage.affine_transform`` (order=1). ``fill_mode`` says what lies outside the image: "nearest"
    (edge pixels), "constant" (``cval``; scipy's "grid-constant"), "reflect" or "wrap" ("grid-wrap").
    """
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"affine_transform: expected images (N, C, H, W), got shape {x.shape}")
    n, c, h, w = x.shape
    matrices = np.asarray(matrices, dtype=np.float64)
    if matrices.shape != (n, 2, 3):
        raise ValueError(f"affine_transform: expected matrices of shape {(n, 2, 3)}, got {matrices.shape}")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    rows, cols = np.mgrid[0:h, 0:w]
    grid = np.stack([rows.ravel(), cols.ravel(), np.ones(h * w)])  # (3, H*W)
    src = matrices @ grid  # (N, 2, 3) @ (3, H*W) -> (N, 2, H*W): input (row, col) of every output pixel
    r0 = np.floor(src[:, 0])
    c0 = np.floor(src[:, 1])
    fr = (src[:, 0] - r0).astype(dtype)[:, None]  # (N, 1, H*W): broadcasts over channels
    fc = (src[:, 1] - c0).astype(dtype)[:, None]
    r0, c0 = r0.astype(np.int64), c0.astype(np.int64)
    flat = x.reshape(n, c, h * w)  # (N, C, H, W) -> (N, C, H*W)
    out = np.zeros((n, c, h * w), dtype=dtype)
    outside = np.zeros((n, 1, h * w), dtype=dtype) if fill_mode == "constant" else None
    for dr, dc, weight in ((0, 0, (1 - fr) * (1 - fc)), (0, 1, (1 - fr) * fc),
                           (1, 0, fr * (1 - fc)), (1, 1, fr * fc)):  # the four bilinear neighbours
        r, cc = r0 + dr, c0 + dc
        idx = (_fold(r, h, fill_mode) * w + _fold(cc, w, fill_mode))[:, None]  # (N, 1, H*W)
        if outside is not None:
            off = ((r < 0) | (r >= h) | (cc < 0) | (cc >= w))[:, None]
            outside += np.where(off, weight, 0)
            weight = np.where(off, 0, weight)
        out += weight * np.take_along_axis(flat, idx, axis=2)
    if outside is not None:
        out += outside * dtype.type(cval)
    return out.reshape(n, c, h, w)


def random_affine_matrices(gen: np.random.Generator, n: int, height: int, width: int, *,
                           rotation_range: float = 0.0, height_shift: float = 0.0, width_shift: float = 0.0,
                           shear_range: float = 0.0, zoom_range=(1.0, 1.0), horizontal_flip: bool = False,
                           vertical_flip: bool = False) -> np.ndarray | None:
    """Draw ``n`` random Keras-style augmentations -> matrices (n, 2, 3) for :func:`affine_transform`.

    Angles are in degrees; shifts are fractions of the size when < 1, else pixels; zoom factors are drawn
    from ``zoom_range`` (lo, hi). Rotation, shear and zoom act about the image centre. None if identity.
    """
    def uniform(limit):
        return gen.uniform(-limit, limit, n) if limit else np.zeros(n)

    theta = np.deg2rad(uniform(rotation_range))
    shear = np.deg2rad(uniform(shear_range))
    tx = uniform(height_shift) * (height if 0 < height_shift < 1 else 1)  # rows
    ty = uniform(width_shift) * (width if 0 < width_shift < 1 else 1)  # cols
    lo, hi = zoom_range
    zx, zy = (gen.uniform(lo, hi, (2, n)) if (lo, hi) != (1.0, 1.0) else np.ones((2, n)))
    flip_h = gen.random(n) < 0.5 if horizontal_flip else np.zeros(n, bool)
    flip_v = gen.random(n) < 0.5 if vertical_flip else np.zeros(n, bool)
    if not (theta.any() or shear.any() or tx.any() or ty.any() or (zx != 1).any() or (zy != 1).any()
            or flip_h.any() or flip_v.any()):
        return None
    one, zero = np.ones(n), np.zeros(n)

    def mat(*rows):  # rows of length-n arrays -> (n, 3, 3)
        return np.stack([np.stack(r, axis=-1) for r in rows], axis=1)

    cos, sin = np.cos(theta), np.sin(theta)
    rotate = mat((cos, -sin, zero), (sin, cos, zero), (zero, zero, one))
    shift = mat((one, zero, tx), (zero, one, ty), (zero, zero, one))
    shear_m = mat((one, -np.sin(shear), zero), (zero, np.cos(shear), zero), (zero, zero, one))
    zoom = mat((zx, zero, zero), (zero, zy, zero), (zero, zero, one))
    oh, ow = (height - 1) / 2, (width - 1) / 2
    to_centre = mat((one, zero, -oh * one), (zero, one, -ow * one), (zero, zero, one))
    from_centre = mat((one, zero, oh * one), (zero, one, ow * one), (zero, zero, one))
    # Flips act on the output grid first: row -> H-1-row, col -> W-1-col (exact, no interpolation).
    sv, sh = np.where(flip_v, -1.0, 1.0), np.where(flip_h, -1.0, 1.0)
    flip = mat((sv, zero, np.where(flip_v, height - 1.0, 0)), (zero, sh, np.where(flip_h, width - 1.0, 0)),
               (zero, zero, one))
    m = from_centre @ rotate @ shift @ shear_m @ zoom @ to_centre @ flip  # (n, 3, 3)
    return m[:, :2]
