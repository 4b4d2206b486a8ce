"""Model files: one .npz holding a JSON document and every array, read with ``allow_pickle=False``.

``save_model`` / ``load_model`` keep everything needed to predict and to go on training (architecture,
weights, compile settings, optimizer state, class names, preprocessing); ``save_weights`` / ``load_weights``
only the arrays. Writes are atomic; reads check every name, shape and declared size before touching a model.
"""

from __future__ import annotations

from .model_file import FORMAT_VERSION, load_model, load_weights, read_document, save_model, save_weights
from .npz import atomic_savez, read_npz

__all__ = ["save_model", "load_model", "save_weights", "load_weights", "read_document", "FORMAT_VERSION",
           "atomic_savez", "read_npz"]
