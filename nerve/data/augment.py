"""ImageDataGenerator: Keras-style random augmentation of NCHW image batches, with flow and flow_from_directory."""

from __future__ import annotations

import numbers

import numpy as np

from ..backend import floatx, rng
from .affine import FILL_MODES, affine_transform, random_affine_matrices

__all__ = ["ImageDataGenerator"]


def _non_negative(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"ImageDataGenerator: `{name}` must be a number >= 0, got {value!r}")
    return float(value)


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

    def __init__(self, rescale=None, rotation_range=0.0, width_shift_range=0.0, height_shift_range=0.0,
                 shear_range=0.0, zoom_range=0.0, horizontal_flip: bool = False, vertical_flip: bool = False,
                 fill_mode: str = "nearest", cval: float = 0.0, seed: int | None = None):
        if rescale is not None and (isinstance(rescale, bool) or not isinstance(rescale, numbers.Real)):
            raise ValueError(f"ImageDataGenerator: `rescale` must be a number or None, got {rescale!r}")
        self.rescale = rescale
        self.rotation_range = _non_negative(rotation_range, "rotation_range")
        self.width_shift_range = _non_negative(width_shift_range, "width_shift_range")
        self.height_shift_range = _non_negative(height_shift_range, "height_shift_range")
        self.shear_range = _non_negative(shear_range, "shear_range")
        if isinstance(zoom_range, numbers.Real) and not isinstance(zoom_range, bool):
            z = _non_negative(zoom_range, "zoom_range")
            zoom = (1.0 - z, 1.0 + z)
        elif isinstance(zoom_range, (tuple, list)) and len(zoom_range) == 2:
            zoom = (float(zoom_range[0]), float(zoom_range[1]))
        else:
            raise ValueError(f"ImageDataGenerator: `zoom_range` must be a float or a pair, got {zoom_range!r}")
        if not 0 < zoom[0] <= zoom[1]:
            raise ValueError(f"ImageDataGenerator: zoom factors must satisfy 0 < lo <= hi, got {zoom}")
        self.zoom_range = zoom
        self.horizontal_flip = bool(horizontal_flip)
        self.vertical_flip = bool(vertical_flip)
        if fill_mode not in FILL_MODES:
            raise ValueError(f"ImageDataGenerator: `fill_mode` must be one of {FILL_MODES}, got {fill_mode!r}")
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
