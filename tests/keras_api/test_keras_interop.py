"""Where Keras itself is installed: nerve.keras's .h5 weights load into Keras and predict the same (both ways).

(tests/keras_api, not tests/keras: a folder named keras on sys.path would shadow the real Keras package.)

Skipped without Keras (it is not a dependency). Checked by hand with Keras 3.15.1 on the torch backend: the
largest difference of the predictions below was 6e-8.
"""

from __future__ import annotations

import numpy as np
import pytest

from nerve.keras import layers as L
from nerve.keras.models import Sequential


def _stack(layers):
    """The same layers from nerve.keras.layers or keras.layers."""
    return [layers.Conv2D(4, 3, strides=2, padding="same", activation="relu"), layers.BatchNormalization(),
            layers.MaxPooling2D(2, padding="same"), layers.Conv2D(3, 2, strides=2, padding="same"),
            layers.AveragePooling2D(2, strides=1, padding="same"), layers.Flatten(),
            layers.Dense(5, activation="relu"), layers.Dense(2), layers.Activation("softmax")]


def test_keras_loads_our_h5_and_we_load_keras(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "torch")  # the backend the CPU venv has; read when keras is imported
    keras = pytest.importorskip("keras")
    h5py = pytest.importorskip("h5py")
    from keras.src.legacy.saving import legacy_h5_format

    ours = Sequential(_stack(L))
    ours.build((9, 9, 2))
    theirs = keras.Sequential([keras.Input((9, 9, 2)), *_stack(keras.layers)])
    x = np.random.default_rng(0).random((6, 9, 9, 2)).astype(np.float32)
    y = np.eye(2, dtype=np.float32)[[0, 1, 0, 1, 1, 0]]
    ours.compile("sgd", "categorical_crossentropy").fit(x, y, epochs=3, verbose=0)  # moves the BN statistics
    ours.save_weights(tmp_path / "ours.h5")
    theirs.load_weights(str(tmp_path / "ours.h5"))
    assert ours.count_params() == theirs.count_params()
    np.testing.assert_allclose(theirs.predict(x, verbose=0), ours.predict(x), atol=1e-6)

    fresh = keras.Sequential([keras.Input((9, 9, 2)), *_stack(keras.layers)])
    with h5py.File(tmp_path / "theirs.h5", "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, fresh)
    ours.load_weights(tmp_path / "theirs.h5")
    np.testing.assert_allclose(ours.predict(x), fresh.predict(x, verbose=0), atol=1e-6)
