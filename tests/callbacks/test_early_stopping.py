"""EarlyStopping: patience counting, min_delta, mode and restoring the best weights."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.callbacks import EarlyStopping


def _run(model, data, scripted, values, epochs=None, **kwargs):
    x, t = data
    stopper = EarlyStopping(monitor="loss", **kwargs)
    history = model.fit(x, t, epochs=epochs or len(values), batch_size=32, verbose=0,
                        callbacks=[scripted("loss", values), stopper])
    return stopper, history


def test_stops_after_patience_epochs_without_improvement(model, data, scripted):
    stopper, history = _run(model, data, scripted, [1.0, 0.8, 0.9, 0.85, 0.81, 0.7, 0.6], patience=3)
    assert stopper.stopped_epoch == 4  # epochs 2, 3, 4 did not beat 0.8
    assert stopper.best == 0.8 and stopper.best_epoch == 1
    assert len(history.epoch) == 5


def test_patience_zero_stops_at_the_first_bad_epoch(model, data, scripted):
    stopper, _ = _run(model, data, scripted, [1.0, 0.9, 0.95, 0.5], patience=0)
    assert stopper.stopped_epoch == 2


def test_min_delta_ignores_small_improvements(model, data, scripted):
    stopper, _ = _run(model, data, scripted, [1.0, 0.99, 0.98, 0.97, 0.5], patience=2, min_delta=0.05)
    assert stopper.stopped_epoch == 2


def test_max_mode_is_picked_for_accuracy(data, model, scripted):
    x, t = data
    stopper = EarlyStopping(monitor="accuracy", patience=1)
    model.fit(x, t, epochs=4, verbose=0, callbacks=[scripted("accuracy", [0.5, 0.6, 0.55, 0.58]), stopper])
    assert stopper._monitor.mode == "max" and stopper.stopped_epoch == 2 and stopper.best == 0.6


def test_runs_all_epochs_while_improving(model, data, scripted):
    stopper, history = _run(model, data, scripted, [1.0, 0.9, 0.8, 0.7], patience=0)
    assert stopper.stopped_epoch is None and len(history.epoch) == 4


def test_restore_best_weights_puts_back_the_best_epoch_and_batchnorm_statistics(data, scripted, weight_recorder):
    import nerve
    from nerve.layers import BatchNorm, Dense, ReLU

    x, t = data
    model = nerve.Sequential([Dense(8), BatchNorm(), ReLU(), Dense(2)], input_shape=(2,))
    model.compile("sgd", "softmax_cross_entropy")
    recorder = weight_recorder("epoch")
    stopper = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    model.fit(x, t, epochs=6, verbose=0, callbacks=[scripted("loss", [1.0, 0.5, 0.7, 0.8, 0.9, 1.0]),
                                                     recorder, stopper])
    assert stopper.best_epoch == 1 and stopper.stopped_epoch == 3
    assert set(model.state) <= set(recorder.weights[1])  # running mean and variance are recorded too
    for key, value in {**model.params, **model.state}.items():
        np.testing.assert_array_equal(value, recorder.weights[1][key])
        assert not np.array_equal(value, recorder.weights[3][key])


def test_missing_monitor_warns_once_and_never_stops(model, data):
    x, t = data
    stopper = EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match="val_loss") as record:
        history = model.fit(x, t, epochs=3, verbose=0, callbacks=[stopper])
    assert len([w for w in record if "val_loss" in str(w.message)]) == 1
    assert len(history.epoch) == 3 and stopper.stopped_epoch is None


def test_stops_on_real_validation_loss(model, data):
    x, t = data
    stopper = EarlyStopping(monitor="val_loss", patience=1, min_delta=10.0)  # nothing improves by 10
    history = model.fit(x, t, epochs=10, verbose=0, validation_data=(x, t), callbacks=[stopper])
    assert stopper.stopped_epoch == 1 and len(history.history["val_loss"]) == 2


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"patience": -1}, "patience"), ({"mode": "lowest"}, "mode"), ({"min_delta": -0.1}, "min_delta"),
    ({"monitor": ""}, "monitor"),
])
def test_bad_arguments_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kwargs)
