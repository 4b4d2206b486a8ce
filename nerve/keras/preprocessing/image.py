"""Keras's ``keras.preprocessing.image``: ImageDataGenerator, load_img, img_to_array, channels-last.

nerve's :class:`nerve.data.ImageDataGenerator` augments channels-first batches; this one takes and yields
(batch, height, width, channels) like Keras. The batches it yields are transposed *views* of nerve's
channels-first arrays, so a nerve.keras model, which turns them channels-first again, copies nothing.
"""

from __future__ import annotations

import numpy as np

from ...data.augment import ImageDataGenerator as NerveImageDataGenerator
from ...data.folder import load_image
from ..base import data_format_of

__all__ = ["ImageDataGenerator", "ChannelsLastIterator", "load_img", "img_to_array"]


def _to_last(x: np.ndarray) -> np.ndarray:
    return x.transpose(0, 2, 3, 1)  # (N, C, H, W) -> (N, H, W, C), a view


class ChannelsLastIterator:
    """An endless nerve batch iterator whose image batches come out channels-last.

    Everything else (``class_indices``, ``samples``, ``filenames``, ``len()``, ``reset()``) is the wrapped
    iterator's.
    """

    def __init__(self, iterator):
        self.iterator = iterator

    def _convert(self, batch):
        if isinstance(batch, tuple):
            return (_to_last(batch[0]), *batch[1:])
        return _to_last(batch)

    def __iter__(self):
        return self

    def __next__(self):
        return self._convert(next(self.iterator))

    next = __next__

    def __len__(self) -> int:
        return len(self.iterator)

    def __getitem__(self, i: int):
        return self._convert(self.iterator[i])

    def __getattr__(self, name):
        if name == "iterator":  # not set yet (copy/unpickle): no recursion
            raise AttributeError(name)
        return getattr(self.iterator, name)

    def __repr__(self) -> str:
        return f"ChannelsLastIterator({self.iterator!r})"


class ImageDataGenerator(NerveImageDataGenerator):
    """Keras's ImageDataGenerator: the same arguments as nerve's, plus ``data_format`` ("channels_last").

    ``flow(x, y)`` takes (N, H, W, C) arrays; ``flow`` and ``flow_from_directory`` yield channels-last batches.
    """

    def __init__(self, *args, data_format=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_format = data_format_of(data_format, "ImageDataGenerator")

    def _last(self) -> bool:
        return self.data_format == "channels_last"

    def random_transform(self, x: np.ndarray) -> np.ndarray:
        """Augment one image (H, W, C) or a batch (N, H, W, C) (channels-first with data_format='channels_first')."""
        x = np.asarray(x)
        single = x.ndim == 3
        batch = x[None] if single else x
        if self._last():
            batch = batch.transpose(0, 3, 1, 2)  # (N, H, W, C) -> (N, C, H, W)
        out = super().random_transform(batch)
        if self._last():
            out = _to_last(out)
        return out[0] if single else out

    def flow(self, x, y=None, batch_size: int = 32, shuffle: bool = True, seed: int | None = None):
        x = np.asarray(x)
        if self._last():
            if x.ndim != 4:
                raise ValueError(f"ImageDataGenerator.flow: expected images (N, height, width, channels), "
                                 f"got shape {x.shape}")
            return ChannelsLastIterator(super().flow(x.transpose(0, 3, 1, 2), y, batch_size, shuffle, seed))
        return super().flow(x, y, batch_size, shuffle, seed)

    def flow_from_directory(self, directory, *args, **kwargs):
        iterator = super().flow_from_directory(directory, *args, **kwargs)
        return ChannelsLastIterator(iterator) if self._last() else iterator


def load_img(path, target_size=None, color_mode: str = "rgb", interpolation: str = "nearest"):
    """One image file as a PIL image (converted to ``color_mode``, resized to ``target_size`` = (h, w))."""
    from PIL import Image

    x = load_image(path, target_size=target_size, color_mode=color_mode, interpolation=interpolation)
    arr = x.astype(np.uint8).transpose(1, 2, 0)  # (C, H, W) -> (H, W, C)
    return Image.fromarray(arr[:, :, 0] if arr.shape[2] == 1 else arr)


def img_to_array(img, data_format=None, dtype="float32") -> np.ndarray:
    """A PIL image as a float array (H, W, C) (or (C, H, W) with data_format='channels_first')."""
    arr = np.asarray(img, dtype=dtype)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return arr.transpose(2, 0, 1) if data_format_of(data_format, "img_to_array") == "channels_first" else arr
