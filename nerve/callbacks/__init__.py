"""Training callbacks."""

from __future__ import annotations

from .base import Callback, CallbackList, History
from .progress import ProgressBar

__all__ = ["Callback", "CallbackList", "History", "ProgressBar"]
