"""Training callbacks."""

from __future__ import annotations

from .averaging import ExponentialMovingAverage
from .base import Callback, CallbackList, History
from .checkpoint import ModelCheckpoint
from .csv_logger import CSVLogger
from .doctor import Doctor, diagnose
from .early_stopping import EarlyStopping
from .lr import LearningRateScheduler, ReduceLROnPlateau
from .nan import TerminateOnNaN
from .progress import ProgressBar

__all__ = [
    "Callback", "CallbackList", "History", "ProgressBar", "EarlyStopping", "ModelCheckpoint",
    "LearningRateScheduler", "ReduceLROnPlateau", "CSVLogger", "TerminateOnNaN", "ExponentialMovingAverage",
    "Doctor", "diagnose",
]
