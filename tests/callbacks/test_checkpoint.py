"""ModelCheckpoint: every epoch, best only, weights only, file-name templates, atomic files."""

from __future__ import annotations

import os

import numpy as np
import pytest

import nerve
from nerve.callbacks import Callback, ModelCheckpoint


def test_saves_every_epoch_with_templated_names(model, data, tmp_path):
    x, t = data
    ckpt = ModelCheckpoint(tmp_path / "ckpt" / "m-{epoch:02d}-{loss:.3f}.npz", monitor="loss")
    history = model.fit(x, t, epochs=3, verbose=0, callbacks=[ckpt])
    names = sorted(os.listdir(tmp_path / "ckpt"))
    assert [n[:4] for n in names] == ["m-01", "m-02", "m-03"]
    assert names[-1] == f"m-03-{history.history['loss'][-1]:.3f}.npz"
    loaded = nerve.load_model(ckpt.last_path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_save_best_only_keeps_the_best_epoch(model, data, tmp_path, scripted):
    x, t = data
    weights_at = {}

    class _Weights(Callback):
        def on_epoch_end(self, epoch, logs=None):
            weights_at[epoch] = {k: v.copy() for k, v in self.model.params.items()}

    path = tmp_path / "best.npz"
    ckpt = ModelCheckpoint(path, monitor="val_accuracy", save_best_only=True)
    model.fit(x, t, epochs=4, verbose=0,
              callbacks=[scripted("val_accuracy", [0.5, 0.7, 0.6, 0.7]), _Weights(), ckpt])
    assert ckpt._monitor.mode == "max" and ckpt.best == 0.7
    reloaded = nerve.load_model(path)
    for key, value in reloaded.params.items():  # epoch 1 was the best (epoch 3 only tied it)
        np.testing.assert_array_equal(value, weights_at[1][key])
        assert not np.array_equal(value, weights_at[3][key])


def test_save_weights_only_writes_a_weights_file(model, model_factory, data, tmp_path):
    x, t = data
    path = tmp_path / "w.npz"
    model.fit(x, t, epochs=1, verbose=0, callbacks=[ModelCheckpoint(path, monitor="loss", save_weights_only=True)])
    other = model_factory()
    other.load_weights(path)
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    with pytest.raises(ValueError):
        nerve.load_model(path)  # a weights file has no architecture


def test_a_failed_save_leaves_the_previous_file_intact(model, data, tmp_path, monkeypatch):
    x, t = data
    path = tmp_path / "m.npz"
    model.fit(x, t, epochs=1, verbose=0, callbacks=[ModelCheckpoint(path, monitor="loss")])
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        model.fit(x, t, epochs=1, verbose=0, callbacks=[ModelCheckpoint(path, monitor="loss")])
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.npz"]  # no temporary file left behind


def test_unknown_template_key_is_a_clear_error(model, data, tmp_path):
    x, t = data
    with pytest.raises(ValueError, match="val_loss"):
        model.fit(x, t, epochs=1, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "{val_loss:.2f}.npz")])
