"""A tiny classifier and data set shared by the callback tests."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.callbacks import Callback
from nerve.layers import Dense, ReLU
from nerve.optimizers import SGD


def make_model(lr=0.1, optimizer=None):
    nerve.seed(0)
    model = nerve.Sequential([Dense(8), ReLU(), Dense(2)], input_shape=(2,))
    model.compile(optimizer or SGD(lr=lr), "softmax_cross_entropy", metrics=["accuracy"])
    return model


@pytest.fixture
def data():
    gen = np.random.default_rng(0)
    x = gen.standard_normal((64, 2)).astype(np.float32)
    t = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    return x, t


@pytest.fixture
def model():
    return make_model()


@pytest.fixture
def model_factory():
    return make_model


class _Scripted(Callback):
    """Overwrites one value of each epoch's logs with a scripted sequence (placed before the callback tested)."""

    def __init__(self, key, values):
        super().__init__()
        self.key, self.values = key, list(values)

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]


@pytest.fixture
def scripted():
    """``scripted("val_loss", [1.0, 0.5, ...])``: a callback that makes the monitored values what a test needs."""
    return _Scripted


class _WeightRecorder(Callback):
    """Copies of the model's weights and state after every epoch (``when="epoch"``) or every batch (``"batch"``)."""

    def __init__(self, when="epoch"):
        super().__init__()
        self.weights = []
        setattr(self, f"on_{when}_end", self._record)

    def _record(self, step, logs=None):
        self.weights.append({k: v.copy() for k, v in {**self.model.params, **self.model.state}.items()})


@pytest.fixture
def weight_recorder():
    """``weight_recorder("batch")``: a callback whose ``weights`` lists the weights after each epoch/batch."""
    return _WeightRecorder
