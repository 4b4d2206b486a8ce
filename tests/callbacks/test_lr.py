"""LearningRateScheduler and ReduceLROnPlateau set the optimizer's rate."""

from __future__ import annotations

import pytest

from nerve import schedules
from nerve.callbacks import Callback, LearningRateScheduler, ReduceLROnPlateau


class _RecordLR(Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_batch_begin(self, batch, logs=None):
        if batch == 0:
            self.seen.append(self.model.optimizer.current_lr)




def test_scheduler_sets_lr_per_epoch_from_a_schedule(model, data):
    x, t = data
    record = _RecordLR()
    cb = LearningRateScheduler(schedules.StepDecay(0.4, step_size=2, gamma=0.5))
    model.fit(x, t, epochs=5, batch_size=16, verbose=0, callbacks=[cb, record])
    assert record.seen == pytest.approx([0.4, 0.4, 0.2, 0.2, 0.1])


def test_scheduler_accepts_keras_two_argument_functions(model, data):
    x, t = data
    record = _RecordLR()
    cb = LearningRateScheduler(lambda epoch, lr: lr if epoch < 1 else lr * 0.5)
    model.fit(x, t, epochs=3, verbose=0, callbacks=[cb, record])
    assert record.seen == pytest.approx([0.1, 0.05, 0.025])


def test_scheduler_writes_lr_into_the_epoch_logs(model, data):
    x, t = data
    logged = []

    class _Read(Callback):
        def on_epoch_end(self, epoch, logs=None):
            logged.append(logs["lr"])

    model.fit(x, t, epochs=2, verbose=0, callbacks=[LearningRateScheduler(lambda e: 0.1 / (e + 1)), _Read()])
    assert logged == pytest.approx([0.1, 0.05])


def test_scheduler_rejects_a_bad_rate(model, data):
    x, t = data
    with pytest.raises(ValueError, match="epoch 0"):
        model.fit(x, t, epochs=1, verbose=0, callbacks=[LearningRateScheduler(lambda e: float("nan"))])


def test_reduce_on_plateau_cuts_the_float_rate(model, data, scripted):
    x, t = data
    record = _RecordLR()
    cb = ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, min_delta=0.0)
    val_loss = scripted("val_loss", [1.0, 1.0, 1.0, 0.5, 0.5, 0.5])
    model.fit(x, t, epochs=6, verbose=0, callbacks=[val_loss, cb, record])
    # bad epochs 1, 2 -> cut after epoch 2; epoch 3 improves; 4, 5 bad -> cut after epoch 5
    assert record.seen == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05])
    assert model.optimizer.lr == pytest.approx(0.025)


def test_reduce_on_plateau_steps_a_plateau_schedule_given_to_the_optimizer(model_factory, data, scripted):
    from nerve.optimizers import SGD

    x, t = data
    plateau = schedules.ReduceOnPlateau(0.2, factor=0.1, patience=0)
    model = model_factory(optimizer=SGD(lr=plateau))
    model.fit(x, t, epochs=3, verbose=0,
              callbacks=[scripted("val_loss", [1.0, 2.0, 3.0]), ReduceLROnPlateau(patience=5)])
    assert model.optimizer.lr is plateau  # the schedule's own patience (0) applies
    assert plateau.last_lr == pytest.approx(0.002)


def test_reduce_on_plateau_refuses_other_schedules(model_factory, data):
    from nerve.optimizers import SGD

    x, t = data
    model = model_factory(optimizer=SGD(lr=schedules.ExponentialDecay(0.1, 0.9)))
    with pytest.raises(ValueError, match="float"):
        model.fit(x, t, epochs=1, verbose=0, callbacks=[ReduceLROnPlateau(monitor="loss")])


def test_reduce_on_plateau_validates_arguments():
    with pytest.raises(ValueError, match="factor"):
        ReduceLROnPlateau(factor=2.0)
