"""Keras's ``keras.preprocessing``: ``image.ImageDataGenerator`` with channels-last batches."""

from __future__ import annotations

from . import image

__all__ = ["image"]
