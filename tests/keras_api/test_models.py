"""nerve.keras models: Keras's compile names, generator methods, HDF5 weights, the loss/output check."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from pip_extras import require

import nerve
from nerve import losses as nloss
from nerve import optimizers as nopt
from nerve.keras import optimizers
from nerve.keras.layers import Activation, BatchNormalization, Conv2D, Dense, Flatten
from nerve.keras.models import Sequential
from nerve.keras.preprocessing.image import ImageDataGenerator


def _model(activation="softmax"):
    return Sequential([Conv2D(3, 3, strides=2, padding="same", activation="relu", input_shape=(6, 6, 2)),
                       BatchNormalization(), Flatten(), Dense(2), Activation(activation)])


def _data(n=8):
    rng = np.random.default_rng(0)
    x = rng.random((n, 6, 6, 2)).astype(np.float32)
    return x, np.eye(2, dtype=np.float32)[rng.integers(0, 2, n)]


def test_keras_optimizers_are_nerves_with_keras_defaults():
    assert type(optimizers.SGD()) is nopt.SGD and optimizers.SGD().lr == 0.01
    assert type(optimizers.SGD(learning_rate=0.1, momentum=0.9)) is nopt.Momentum
    nesterov = optimizers.SGD(momentum=0.5, nesterov=True)
    assert type(nesterov) is nopt.Nesterov and nesterov.momentum == 0.5
    assert optimizers.Adam(learning_rate=0.002).lr == 0.002 and optimizers.Adam(lr=0.003).lr == 0.003
    assert optimizers.get("rmsprop").lr == 0.001 and optimizers.get("adagrad").lr == 0.001
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=1.5)


@pytest.mark.parametrize("name,cls", [("categorical_crossentropy", nloss.CrossEntropy),
                                      ("sparse_categorical_crossentropy", nloss.CrossEntropy),
                                      ("binary_crossentropy", nloss.BinaryCrossEntropy)])
def test_losses_by_keras_names(name, cls):
    model = _model("sigmoid" if name.startswith("binary") else "softmax").compile("sgd", name)
    assert type(model.loss_fn) is cls


def test_sparse_labels_train():
    x, y = _data()
    model = _model().compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.evaluate(x, y.argmax(1))
    history = model.fit(x, y.argmax(1), epochs=3, verbose=0)
    assert history.history["loss"][-1] < loss and 0 <= acc <= 1


def test_logits_into_categorical_crossentropy_warns_once_clearly():
    with pytest.warns(UserWarning, match="expects probabilities.*Activation\\('softmax'\\)") as record:
        Sequential([Dense(2, input_shape=(3,))]).compile("sgd", "categorical_crossentropy")
    assert len(record) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _model().compile("sgd", "categorical_crossentropy")  # a softmax output: no warning
    with pytest.warns(UserWarning, match="applied twice"):
        nerve.Sequential([nerve.layers.Dense(2), nerve.layers.Softmax()]).compile(loss="softmax_cross_entropy")


def test_generators_fit_evaluate_predict():
    x, y = _data(10)
    flow = ImageDataGenerator(rotation_range=10, seed=1).flow(x, y, batch_size=4)
    first = next(flow)[0]
    assert first.shape == (4, 6, 6, 2)  # channels-last, as Keras yields them
    model = _model().compile("sgd", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit_generator(flow, steps_per_epoch=2, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    loss, acc = model.evaluate_generator(ImageDataGenerator().flow(x, y, batch_size=5, shuffle=False))
    np.testing.assert_allclose([loss, acc], model.evaluate(x, y), rtol=1e-5)
    out = model.predict_generator(ImageDataGenerator().flow(x, batch_size=4, shuffle=False))
    np.testing.assert_allclose(out, model.predict(x), rtol=1e-5, atol=1e-6)


def test_h5_weights_round_trip_in_keras_layout(tmp_path):
    h5py = require("h5py")
    x, y = _data()
    model = _model().compile("sgd", "categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5", "r") as f:
        conv = model.layers[1].name
        names = [n.decode() for n in f[conv].attrs["weight_names"]]
        assert names == [f"{conv}/kernel:0", f"{conv}/bias:0"]
        np.testing.assert_array_equal(f[conv][names[0]][...], model.layers[1].params["W"].transpose(2, 3, 1, 0))
        bn = model.layers[2].name
        assert [n.decode().split("/")[1] for n in f[bn].attrs["weight_names"]] == [
            "gamma:0", "beta:0", "moving_mean:0", "moving_variance:0"]
    other = _model()
    other.load_weights(tmp_path / "w.h5")
    np.testing.assert_allclose(other.predict(x), model.predict(x), rtol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        Sequential([Conv2D(4, 3, input_shape=(6, 6, 2)), BatchNormalization(), Flatten(), Dense(2)]
                   ).load_weights(tmp_path / "w.h5")


def test_h5_names_never_get_an_npz(tmp_path):
    model = _model()
    with pytest.raises(ValueError, match="npz"):
        model.save(tmp_path / "model.h5")
    with pytest.raises(ValueError, match="npz"):
        model.save_weights(tmp_path / "w.keras")
    assert not list(tmp_path.iterdir())


def test_fit_with_validation_data_logs_val_metrics():
    x, y = _data(10)
    model = _model().compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=5, validation_data=(x[:4], y[:4]), verbose=0)
    assert len(history.history["val_loss"]) == 2 and len(history.history["val_accuracy"]) == 2
    np.testing.assert_allclose(history.history["val_loss"][-1], model.evaluate(x[:4], y[:4])[0], rtol=1e-5)
    flow = ImageDataGenerator().flow(x, y, batch_size=5, shuffle=False)
    history = model.fit_generator(flow, steps_per_epoch=1, epochs=1, validation_data=flow, validation_steps=2,
                                  verbose=0)
    assert "val_loss" in history.history


def test_save_load_model_and_json_give_keras_models(tmp_path):
    from nerve.keras.models import load_model, model_from_json

    x, y = _data()
    model = _model().compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz")
    assert isinstance(loaded, Sequential) and loaded.count_params() == model.count_params()
    np.testing.assert_allclose(loaded.predict(x), model.predict(x), rtol=1e-6)
    np.testing.assert_allclose(loaded.evaluate(x, y), model.evaluate(x, y), rtol=1e-6)  # Keras's [loss, acc]
    twin = model_from_json(model.to_json())
    assert isinstance(twin, Sequential) and twin.summary(print_fn=None) == model.summary(print_fn=None)
    with pytest.raises(ValueError, match="npz"):
        load_model(tmp_path / "m.h5")
