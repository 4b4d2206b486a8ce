"""Keras's names on nerve's engine: ``from nerve.keras.models import Sequential`` and so on.

The seed's Keras listings run with ``keras`` replaced by ``nerve.keras``: ``models.Sequential``, ``layers``
(Conv2D, MaxPooling2D, AveragePooling2D, BatchNormalization, Activation, Dense, Dropout, Flatten),
``optimizers`` (SGD, Adam, RMSprop, Adagrad), ``losses`` (categorical_crossentropy, ...),
``preprocessing.image.ImageDataGenerator``, and the models' ``fit_generator``/``evaluate_generator``/
``predict_generator``. Images are channels-last at the model's input; nerve's layers compute channels-first.
"""

from __future__ import annotations

from . import layers, losses, models, optimizers, preprocessing
from .models import Sequential

__all__ = ["layers", "losses", "models", "optimizers", "preprocessing", "Sequential"]
