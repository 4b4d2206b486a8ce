"""Images from disk: ``load_image`` for one file, ``DirectoryIterator`` for class folders (Keras-style)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from ..backend import floatx
from ..validation import Integral, Interval, ListOf, Options, check_param, check_params
from .iterators import BatchIterator
from .split import one_hot

__all__ = ["IMAGE_EXTENSIONS", "load_image", "DirectoryIterator"]

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".ppm", ".pgm", ".pbm", ".tif", ".tiff", ".webp")
_COLOR_MODES = {"rgb": ("RGB", 3), "rgba": ("RGBA", 4), "grayscale": ("L", 1)}
_CLASS_MODES = ("categorical", "binary", "sparse", None)


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("reading images needs Pillow: pip install 'nerve[images]'") from None
    return Image


_IMAGE_OPTIONS = {
    "color_mode": [Options(tuple(_COLOR_MODES))],
    "interpolation": [Options(("nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"))],
    "target_size": [None, ListOf(Interval(Integral, 1, None), length=2)],
}


def _check_options(owner: str, color_mode: str, interpolation: str, target_size) -> tuple | None:
    check_params(owner, _IMAGE_OPTIONS,
                 {"color_mode": color_mode, "interpolation": interpolation, "target_size": target_size})
    return None if target_size is None else (int(target_size[0]), int(target_size[1]))


def _decode(path, target_size, color_mode: str, interpolation: str) -> np.ndarray:
    """One image file -> uint8 (C, H, W), converted and resized; a clear error naming a bad file."""
    image = _pil()
    mode, _ = _COLOR_MODES[color_mode]
    try:
        with image.open(path) as img:
            img = img.convert(mode)
            if target_size is not None and img.size != (target_size[1], target_size[0]):
                resample = getattr(image.Resampling, interpolation.upper())
                img = img.resize((target_size[1], target_size[0]), resample)
            arr = np.asarray(img, dtype=np.uint8)
    except (OSError, SyntaxError, ValueError, image.DecompressionBombError) as e:
        raise ValueError(f"{path}: not a readable image file ({type(e).__name__}: {e})") from None
    return arr[None] if arr.ndim == 2 else arr.transpose(2, 0, 1)  # (H, W, C) -> (C, H, W)


def load_image(path, target_size=None, color_mode: str = "rgb", interpolation: str = "nearest",
               rescale: float | None = None) -> np.ndarray:
    """Read one image for prediction -> float32 (C, H, W), pixels 0..255 times ``rescale``.

    ``target_size`` is (height, width) or None to keep the file's size; add the batch axis with ``x[None]``.
    """
    size = _check_options("load_image", color_mode, interpolation, target_size)
    if not Path(path).is_file():
        raise FileNotFoundError(f"load_image: no such file: {path}")
    x = _decode(path, size, color_mode, interpolation).astype(floatx())
    if rescale is not None:
        x *= x.dtype.type(rescale)
    return x


def _scan(directory: Path, classes: list[str], skip_invalid: bool) -> tuple[list[str], list[int]]:
    """Relative paths and labels of every image under ``directory/<class>``, sorted; bad files per policy."""
    image = _pil()
    files, labels = [], []
    for label, name in enumerate(classes):
        for root, dirs, names in os.walk(directory / name):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for fname in sorted(n for n in names if not n.startswith(".")):
                path = Path(root) / fname
                problem = None
                if path.suffix.lower() not in IMAGE_EXTENSIONS:
                    problem = f"not an image file (extension {path.suffix or 'none'!r})"
                else:
                    try:
                        with image.open(path) as img:
                            if skip_invalid:
                                img.verify()  # full check only when the user asked to skip bad files
                    except Exception as e:  # PIL raises many types for bad data
                        problem = f"not a readable image file ({type(e).__name__}: {e})"
                if problem is not None:
                    if not skip_invalid:
                        raise ValueError(f"{path}: {problem}; remove it or pass skip_invalid=True")
                    warnings.warn(f"{path}: {problem}; skipped", stacklevel=4)
                    continue
                files.append(str(path.relative_to(directory)))
                labels.append(label)
    return files, labels


class DirectoryIterator(BatchIterator):
    """Endless augmented batches from ``directory/<class>/<image>``; see ImageDataGenerator.flow_from_directory.

    Attributes: ``class_indices`` ({'cat': 0, 'dog': 1}, folder names sorted), ``classes`` (label of each
    file), ``filenames`` (relative paths), ``samples``, ``num_classes``, ``image_shape`` (C, H, W).
    ``len(it)`` is the number of batches per epoch.
    """

    def __init__(self, directory, generator=None, target_size=(256, 256), color_mode: str = "rgb",
                 classes=None, class_mode: str | None = "categorical", batch_size: int = 32,
                 shuffle: bool = True, seed: int | None = None, interpolation: str = "nearest",
                 skip_invalid: bool = False):
        owner = "flow_from_directory"
        self.target_size = _check_options(owner, color_mode, interpolation, target_size)
        if self.target_size is None:
            raise ValueError(f"{owner}: `target_size` is required so that images can be batched")
        check_param(owner, "class_mode", class_mode, Options(_CLASS_MODES))
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise FileNotFoundError(f"{owner}: no such directory: {self.directory}")
        if classes is None:
            classes = sorted(p.name for p in self.directory.iterdir() if p.is_dir() and not p.name.startswith("."))
        missing = [c for c in classes if not (self.directory / c).is_dir()]
        if missing or not classes:
            raise ValueError(
                f"{owner}: expected one subfolder per class in {self.directory}, "
                + (f"missing {missing}" if missing else "found none")
            )
        if class_mode == "binary" and len(classes) != 2:
            raise ValueError(f"{owner}: class_mode='binary' needs exactly 2 classes, found {list(classes)}")
        self.color_mode, self.class_mode, self.interpolation = color_mode, class_mode, interpolation
        self.class_indices = {name: i for i, name in enumerate(classes)}
        self.num_classes = len(classes)
        self.filenames, labels = _scan(self.directory, list(classes), skip_invalid)
        self.classes = np.asarray(labels, dtype=np.int64)
        self.samples = len(self.filenames)
        self.image_shape = (_COLOR_MODES[color_mode][1], *self.target_size)
        self.generator = generator
        if self.samples == 0:
            raise ValueError(f"{owner}: found no images in {self.directory} (classes {list(classes)})")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self) -> list[str]:
        """Full paths of the images, in the order of ``filenames``."""
        return [str(self.directory / f) for f in self.filenames]

    def _get_batch(self, idx):
        x = np.empty((len(idx), *self.image_shape), dtype=np.uint8)
        for row, i in enumerate(idx):  # decoding is per file; the math below is per batch
            x[row] = _decode(self.directory / self.filenames[i], self.target_size, self.color_mode,
                             self.interpolation)
        if self.generator is not None:
            xb = self.generator.standardize(self.generator.random_transform(x))
        else:
            xb = x.astype(floatx())
        labels = self.classes[idx]
        if self.class_mode is None:
            return xb
        if self.class_mode == "categorical":
            return xb, one_hot(labels, self.num_classes)
        if self.class_mode == "binary":
            return xb, labels.astype(floatx())
        return xb, labels

    def __repr__(self) -> str:
        return (f"DirectoryIterator({self.samples} images, {self.num_classes} classes, "
                f"batch_size={self.batch_size}, image_shape={self.image_shape})")
