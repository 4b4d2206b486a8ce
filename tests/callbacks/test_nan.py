"""TerminateOnNaN stops a run whose logged values stop being finite."""

from __future__ import annotations

from nerve.callbacks import Callback, TerminateOnNaN


def test_nan_validation_loss_stops_training(model, data, capsys):
    x, t = data

    class _Poison(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                logs["val_loss"] = float("nan")

    stop = TerminateOnNaN()
    history = model.fit(x, t, epochs=5, verbose=0, callbacks=[_Poison(), stop])
    assert len(history.epoch) == 2 and stop.terminated_at == (1, "val_loss")
    assert "val_loss is nan" in capsys.readouterr().out


def test_inf_batch_loss_requests_a_stop(model, data):
    x, t = data

    class _Poison(Callback):
        def on_batch_end(self, batch, logs=None):
            logs["loss"] = float("inf")

    stop = TerminateOnNaN(verbose=0)
    history = model.fit(x, t, epochs=3, batch_size=16, verbose=0, callbacks=[_Poison(), stop])
    assert model.stop_training and stop.terminated_at[1] == "loss"
    assert len(history.epoch) == 1


def test_finite_values_do_not_stop(model, data):
    x, t = data
    stop = TerminateOnNaN()
    history = model.fit(x, t, epochs=2, verbose=0, validation_data=(x, t), callbacks=[stop])
    assert len(history.epoch) == 2 and stop.terminated_at is None
