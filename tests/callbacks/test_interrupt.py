"""Ctrl-C during fit stops after the current batch, keeps History, and lets callbacks save."""

from __future__ import annotations

import signal

import nerve
from nerve.callbacks import Callback, ModelCheckpoint


class _CtrlC(Callback):
    """Sends SIGINT to this process at the start of one batch."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.at, self.epoch = (epoch, batch), None
        self.batches_done = 0
        self.train_ended = False

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_begin(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            signal.raise_signal(signal.SIGINT)

    def on_batch_end(self, batch, logs=None):
        self.batches_done += 1

    def on_train_end(self, logs=None):
        self.train_ended = True


def test_ctrl_c_finishes_the_batch_and_keeps_history(model, data, tmp_path):
    x, t = data  # 64 samples, batch 16 -> 4 batches per epoch
    ctrl_c = _CtrlC(epoch=1, batch=2)
    path = tmp_path / "interrupted.npz"
    history = model.fit(x, t, epochs=5, batch_size=16, verbose=0,
                        callbacks=[ctrl_c, ModelCheckpoint(path, monitor="loss")])
    assert ctrl_c.batches_done == 4 + 3  # the interrupted batch still ran
    assert model.optimizer.iterations == 7
    assert history.interrupted and history.epoch == [0, 1] and len(history.history["loss"]) == 2
    assert ctrl_c.train_ended
    restored = nerve.load_model(path)  # the checkpoint saved the weights at the interruption
    for key, value in model.params.items():
        assert (restored.params[key] == value).all()


def test_handler_is_restored_after_fit(model, data):
    x, t = data
    before = signal.getsignal(signal.SIGINT)
    model.fit(x, t, epochs=1, verbose=0, callbacks=[_CtrlC(0, 0)])
    assert signal.getsignal(signal.SIGINT) is before
