"""ImageDataGenerator: Keras-style random augmentation of NCHW image batches, with flow and flow_from_directory."""

from __future__ import annotations

import numpy as np

from ..backend import floatx, rng
from ..validation import Boolean, Integral, Interval, Options, Real, Satisfies, validate_params
from .affine import FILL_MODES, affine_transform, random_affine_matrices

__all__ = ["ImageDataGenerator"]


_NON_NEGATIVE = [Interval(Real, 0, None)]
_FINITE = Interval(Real, None, None)
_ZOOM_PAIR = Satisfies(lambda z: isinstance(z, (tuple, list)) and len(z) == 2 and all(map(_FINITE.is_satisfied_by, z))
                       and 0 < z[0] <= z[1], "a pair (lo, hi) with 0 < lo <= hi")


class ImageDataGenerator:
    """Random rotations, shifts, shears, zooms and flips of image batches, as in Keras, but NCHW.

    Each batch gets one vectorised affine resample (bilinear, see :func:`nerve.data.affine.affine_transform`),
    then ``rescale``. Batches come from :meth:`flow` (arrays) or :meth:`flow_from_directory` (folders of
    images); both iterate forever, like Keras, so pass ``steps_per_epoch`` to ``fit`` (``len(iterator)`` is
    the number of batches per epoch).

    Args:
        rescale: factor multiplied into every pixel after augmentation (e.g. 1/255); None or 0: none.
        rotation_range: maximum rotation in degrees (drawn uniformly in [-r, r]).
        width_shift_range, height_shift_range: maximum shift, a fraction of the size if < 1, else pixels.
        shear_range: maximum shear angle in degrees.
        zoom_range: a float z (zoom drawn in [1 - z, 1 + z]) or a pair (lo, hi).
        horizontal_flip, vertical_flip: flip half of the images at random.
        fill_mode: "nearest", "constant", "reflect" or "wrap": what lies outside the input.
        cval: value outside the input for fill_mode="constant".
        seed: seed of the generator's own random stream (else ``nerve.seed``'s).
    Input shape: (batch, channels, height, width). Output shape: the same, float32.
    """

    @validate_params({
        "rescale": [None, Interval(Real, None, None)], "rotation_range": _NON_NEGATIVE,
        "width_shift_range": _NON_NEGATIVE, "height_shift_range": _NON_NEGATIVE, "shear_range": _NON_NEGATIVE,
        "zoom_range": [Interval(Real, 0, 1, closed="left"), _ZOOM_PAIR], "horizontal_flip": [Boolean],
        "vertical_flip": [Boolean], "fill_mode": [Options(FILL_MODES)], "cval": [Interval(Real, None, None)],
        "seed": [None, Interval(Integral, 0, None)],
    })
    def __init__(self, rescale=None, rotation_range=0.0, width_shift_range=0.0, height_shift_range=0.0,
                 shear_range=0.0, zoom_range=0.0, horizontal_flip: bool = False, vertical_flip: bool = False,
                 fill_mode: str = "nearest", cval: float = 0.0, seed: int | None = None):
        self.rescale = rescale
        self.rotation_range = float(rotation_range)
        self.width_shift_range = float(width_shift_range)
        self.height_shift_range = float(height_shift_range)
        self.shear_range = float(shear_range)
        if isinstance(zoom_range, (tuple, list)):
            self.zoom_range = (float(zoom_range[0]), float(zoom_range[1]))
        else:
            self.zoom_range = (1.0 - zoom_range, 1.0 + zoom_range)
        self.horizontal_flip = bool(horizontal_flip)
        self.vertical_flip = bool(vertical_flip)
        self.fill_mode = fill_mode
        self.cval = float(cval)
        self.seed = seed
        self._gen = np.random.default_rng(seed) if seed is not None else None

    def random_transform(self, x: np.ndarray) -> np.ndarray:
        """Augment a batch (N, C, H, W) with fresh random parameters per image -> float32 (N, C, H, W)."""
        x = np.asarray(x)
        if x.ndim != 4:
            raise ValueError(
                f"ImageDataGenerator: expected a batch of images (N, C, H, W), got shape {x.shape}"
            )
        n, _, h, w = x.shape
        m = random_affine_matrices(
            self._gen or rng(), n, h, w, rotation_range=self.rotation_range,
            height_shift=self.height_shift_range, width_shift=self.width_shift_range,
            shear_range=self.shear_range, zoom_range=self.zoom_range, horizontal_flip=self.horizontal_flip,
            vertical_flip=self.vertical_flip,
        )
        if m is None:
            return x.astype(floatx())
        return affine_transform(x.astype(floatx(), copy=False), m, self.fill_mode, self.cval)

    def standardize(self, x: np.ndarray) -> np.ndarray:
        """Apply ``rescale`` (in place on float arrays) and return ``x``."""
        if self.rescale:  # None or 0: no rescaling, as in Keras
            x *= x.dtype.type(self.rescale)
        return x

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Augment and rescale a batch; usable as ``DataLoader(transform=generator)``."""
        return self.standardize(self.random_transform(x))

    def flow(self, x, y=None, batch_size: int = 32, shuffle: bool = True, seed: int | None = None):
        """Endless augmented batches ``(x_batch, y_batch)`` (or ``x_batch`` when ``y`` is None) from arrays.

        ``x`` is (N, C, H, W). ``len(iterator)`` batches make one epoch; the order is reshuffled each epoch.
        """
        from .iterators import NumpyArrayIterator

        return NumpyArrayIterator(self, x, y, batch_size=batch_size, shuffle=shuffle, seed=seed)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode: str = "rgb", classes=None,
                            class_mode: str | None = "categorical", batch_size: int = 32, shuffle: bool = True,
                            seed: int | None = None, interpolation: str = "nearest",
                            skip_invalid: bool = False):
        """Endless augmented batches from ``directory/<class name>/<image files>``.

        Labels follow ``class_mode``: "categorical" (one-hot rows), "binary" (float 0/1), "sparse"
        (int indices) or None (images only). ``color_mode`` is "rgb", "rgba" or "grayscale"; images are
        resized to ``target_size`` (height, width). ``.class_indices`` maps folder names to labels.
        """
        from .folder import DirectoryIterator

        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            interpolation=interpolation, skip_invalid=skip_invalid,
        )

    def __repr__(self) -> str:
        active = {k: v for k, v in vars(self).items() if not k.startswith("_") and v not in (0.0, False, None)}
        active.pop("fill_mode", None)
        if self.zoom_range == (1.0, 1.0):
            active.pop("zoom_range", None)
        return "ImageDataGenerator(" + ", ".join(f"{k}={v!r}" for k, v in active.items()) + ")"
