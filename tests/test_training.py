import signal

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.callbacks import Callback
from nerve.errors import TrainingDivergedError
from nerve.layers import Dense, Dropout, Layer, ReLU
from nerve.optimizers import SGD


class Recorder(Layer):
    """Identity that remembers the first feature of every training batch (the sample ids)."""

    def __init__(self):
        super().__init__()
        self.seen, self.modes = [], []

    def forward(self, x, training=False):
        x = self._prepare(x)
        self.modes.append(training)
        if training:
            self.seen.append(x[:, 0].copy())
        return x

    def backward(self, dout):
        return dout


def _model(*extra):
    model = Sequential([*extra, Dense(2)], input_shape=(2,))
    model.compile(SGD(0.01), "softmax_cross_entropy", ["accuracy"])
    return model


def test_an_epoch_is_one_permutation_including_the_last_partial_batch():
    rec = Recorder()
    model = _model(rec)
    x = np.stack([np.arange(23), np.zeros(23)], axis=1).astype(np.float32)
    model.fit(x, np.zeros(23, dtype=int), epochs=2, batch_size=5, verbose=0)
    assert [len(b) for b in rec.seen] == [5, 5, 5, 5, 3] * 2
    first, second = np.concatenate(rec.seen[:5]), np.concatenate(rec.seen[5:])
    assert sorted(first) == list(range(23)) and sorted(second) == list(range(23))
    assert not np.array_equal(first, second)


def test_evaluate_and_predict_count_every_sample_in_inference_mode():
    rec = Recorder()
    model = _model(rec, Dropout(0.9))
    x = np.random.default_rng(0).standard_normal((1001, 2)).astype(np.float32)
    t = np.arange(1001) % 2
    rec.modes.clear()
    result = model.evaluate(x, t, batch_size=100)
    assert not any(rec.modes)
    manual = nerve.losses.SoftmaxCrossEntropy().forward(model.forward(x), t)
    assert result["loss"] == pytest.approx(manual, rel=1e-5)
    assert model.predict(x, batch_size=64).shape == (1001, 2)
    np.testing.assert_allclose(model.predict(x, batch_size=64), model.forward(x), rtol=1e-6)


def test_history_holds_per_epoch_loss_metrics_and_validation():
    model = _model()
    x = np.random.default_rng(0).standard_normal((40, 2)).astype(np.float32)
    t = (x[:, 0] > 0).astype(int)
    hist = model.fit(x, t, epochs=3, batch_size=8, validation_data=(x, t), verbose=0)
    assert set(hist.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in hist.history.values()) and hist.epoch == [0, 1, 2]


def test_fit_accepts_an_iterable_of_batches_with_steps_per_epoch():
    rng = np.random.default_rng(0)

    def batches():
        while True:
            x = rng.standard_normal((16, 2)).astype(np.float32)
            yield x, (x[:, 0] > 0).astype(int)

    model = _model()
    model.compile(SGD(0.5), "softmax_cross_entropy", ["accuracy"])
    hist = model.fit(batches(), epochs=4, steps_per_epoch=10, verbose=0)
    assert len(hist.history["loss"]) == 4
    assert hist.history["loss"][-1] < hist.history["loss"][0]


def test_diverging_loss_stops_with_epoch_batch_and_keeps_the_weights():
    class Explode(Callback):
        def on_batch_begin(self, batch, logs=None):
            if batch == 2:
                self.saved = {k: v.copy() for k, v in self.model.params.items()}
                self.model.layers[0].params["W"][0, 0] = np.inf

    cb = Explode()
    model = _model()
    x = np.ones((40, 2), dtype=np.float32)
    with pytest.raises(TrainingDivergedError, match=r"epoch 1, batch 3.*lower learning rate"):
        model.fit(x, np.zeros(40, dtype=int), epochs=1, batch_size=8, verbose=0, callbacks=[cb])
    np.testing.assert_array_equal(model.params["dense_1/b"], cb.saved["dense_1/b"])


def test_ctrl_c_stops_after_the_current_batch_and_keeps_history():
    class PressCtrlC(Callback):
        def on_batch_begin(self, batch, logs=None):
            if batch == 3:
                signal.raise_signal(signal.SIGINT)

    ended = []

    class End(Callback):
        def on_train_end(self, logs=None):
            ended.append(True)

    model = _model()
    x = np.random.default_rng(0).standard_normal((80, 2)).astype(np.float32)
    hist = model.fit(x, np.zeros(80, dtype=int), epochs=5, batch_size=8, verbose=0, callbacks=[PressCtrlC(), End()])
    assert hist.interrupted and ended == [True]
    assert len(hist.history["loss"]) == 1
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("x, y, match", [
    (np.array([[np.nan, 1.0]]), np.array([0]), "NaN or inf"),
    (np.zeros((0, 2)), np.zeros(0, dtype=int), "empty"),
    (np.zeros((3, 2)), np.zeros(2, dtype=int), "3 samples but y has 2"),
    (np.zeros((3, 3)), np.zeros(3, dtype=int), r"expected samples of shape \(2,\)"),
    (np.zeros((3, 2)), np.array([0, 1, 5]), r"labels must be in \[0, 1\]"),
    ([["a", "b"]], np.array([0]), "numeric array"),
])
def test_fit_rejects_bad_input_before_training(x, y, match):
    model = _model()
    before = model.params["dense_1/W"].copy()
    with pytest.raises((ValueError, TypeError), match=match):
        model.fit(x, y, verbose=0)
    np.testing.assert_array_equal(model.params["dense_1/W"], before)


def test_fit_before_compile_is_a_clear_error():
    with pytest.raises(RuntimeError, match="compile"):
        Sequential([Dense(2)]).fit(np.zeros((2, 2)), np.zeros(2, dtype=int), verbose=0)


def test_fit_shows_a_progress_bar_with_loss_and_metrics(capsys):
    model = _model()
    model.fit(np.zeros((10, 2), np.float32), np.zeros(10, dtype=int), epochs=1, batch_size=5, verbose=1)
    err = capsys.readouterr().err
    assert "epoch 1/1" in err and "loss" in err and "accuracy" in err


def test_train_on_batch_returns_loss_and_metrics_and_updates():
    model = _model(Dense(4), ReLU())
    before = model.params["dense_1/W"].copy()
    logs = model.train_on_batch(np.ones((4, 2)), np.array([0, 1, 0, 1]))
    assert set(logs) == {"loss", "accuracy"}
    assert not np.array_equal(before, model.params["dense_1/W"])


def test_fit_reads_an_endless_iterator_that_knows_its_length_one_epoch_at_a_time():
    class Endless:
        def __init__(self):
            self.rng, self.served = np.random.default_rng(0), 0

        def __iter__(self):
            return self

        def __len__(self):
            return 3

        def __next__(self):
            self.served += 1
            x = self.rng.standard_normal((4, 2)).astype(np.float32)
            return x, (x[:, 0] > 0).astype(int)

    data, val = Endless(), Endless()
    model = _model()
    hist = model.fit(data, epochs=2, validation_data=val, verbose=0)
    assert data.served == 6 and val.served == 6
    assert len(hist.history["val_loss"]) == 2
    model.evaluate(val, steps=1)
    assert val.served == 7


def test_stop_training_set_in_a_batch_stops_after_that_batch_and_history_sees_callback_logs():
    class StopAtThird(Callback):
        def on_batch_end(self, batch, logs=None):
            self.batches = batch + 1
            if batch == 2:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            logs["lr"] = 0.01

    cb = StopAtThird()
    model = _model()
    hist = model.fit(np.zeros((80, 2), np.float32), np.zeros(80, dtype=int), epochs=3, batch_size=8, verbose=0,
                     callbacks=[cb])
    assert cb.batches == 3 and hist.epoch == [0]
    assert hist.history["lr"] == [0.01]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_an_update_that_overflows_the_weights_is_undone(optimizer):
    model = Sequential([Dense(3)], input_shape=(2,))
    model.compile(optimizer, "softmax_cross_entropy")
    x, t = np.ones((4, 2), dtype=np.float32), np.array([0, 1, 2, 0])
    model.train_on_batch(x, t)
    params = {k: v.copy() for k, v in model.params.items()}
    state = model.optimizer.state_dict()
    slots = {s: {k: v.copy() for k, v in a.items()} for s, a in state["slots"].items()}
    model.optimizer.lr = 1e39  # finite as a Python float, inf once it meets float32 weights
    with pytest.raises(TrainingDivergedError, match="NaN or inf"):
        model.train_on_batch(x, t)
    for key, value in params.items():
        np.testing.assert_array_equal(model.params[key], value)
    assert model.optimizer.iterations == state["iterations"] == 1
    for s, per in slots.items():
        for key, value in per.items():
            np.testing.assert_array_equal(model.optimizer.state_dict()["slots"][s][key], value)
    model.optimizer.lr = 0.01  # training goes on from the restored state
    model.train_on_batch(x, t)
    assert all(np.isfinite(v).all() for v in model.params.values())


def test_huge_but_finite_weights_are_not_taken_for_a_divergence():
    # the check's fast path (Σw² is finite) overflows for |w| > 1.8e19 in float32: those weights are still finite
    model = Sequential([Dense(3)], input_shape=(2,))
    model.compile("sgd", "softmax_cross_entropy")
    model.params["dense_1/W"][...] = 1e20
    x, t = np.ones((4, 2), dtype=np.float32) * 1e-30, np.array([0, 1, 2, 0])
    with np.errstate(over="ignore", invalid="ignore"):
        model.train_on_batch(x, t)
    assert np.isfinite(model.params["dense_1/W"]).all() and model.optimizer.iterations == 1


def test_a_checkpoint_records_the_epochs_trained_so_far(tmp_path):
    from nerve.callbacks import ModelCheckpoint

    class Record(Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.saved = nerve.load_model(tmp_path / f"m{epoch + 1}.npz").epochs_trained

    model, rec = _model(), Record()
    x = np.ones((8, 2), dtype=np.float32)
    model.fit(x, np.zeros(8, dtype=int), epochs=3, verbose=0,
              callbacks=[ModelCheckpoint(tmp_path / "m{epoch}.npz"), rec])
    assert [nerve.load_model(tmp_path / f"m{e}.npz").epochs_trained for e in (1, 2, 3)] == [1, 2, 3]
    assert rec.saved == 3 and model.epochs_trained == 3


@pytest.mark.parametrize("channels", [1, 2])  # im2col's patches; the grid kernel's stacked grids
def test_fit_releases_the_layers_work_buffers_when_it_ends(channels):
    from nerve.layers import Conv2D, Flatten

    class Watch(Callback):  # the conv layer's patch buffers exist while training
        held = 0

        def on_epoch_end(self, epoch, logs=None):
            Watch.held = self.model.work_bytes()

    model = Sequential([Conv2D(3, 3, padding=1), ReLU(), Flatten(), Dense(2)], input_shape=(channels, 5, 5))
    model.compile(SGD(0.01), "softmax_cross_entropy")
    x = np.random.default_rng(0).standard_normal((8, channels, 5, 5)).astype(np.float32)
    model.fit(x, np.arange(8) % 2, epochs=1, batch_size=4, verbose=0, callbacks=[Watch()])
    assert Watch.held > 0
    assert model.work_bytes() == 0
    model.train_on_batch(x, np.arange(8) % 2)  # and the next step makes them again
    assert model.work_bytes() > 0
    model.release_buffers()
    assert model.work_bytes() == 0


def test_a_layer_used_twice_has_both_uses_buffers_counted_and_released():
    # the second use runs through a twin with caches of its own (Conv2D keeps each use's patches)
    from nerve.backend.workspace import workspace_bytes
    from nerve.layers import Conv2D, Flatten

    class Watch(Callback):
        kept = 0

        def on_batch_end(self, batch, logs=None):
            Watch.kept = self.model.work_bytes() - workspace_bytes()

    conv = Conv2D(1, 3, padding=1)  # one channel in and out, so it can follow itself
    model = Sequential([conv, conv, Flatten(), Dense(2)], input_shape=(1, 6, 6))
    model.compile(SGD(0.01), "softmax_cross_entropy")
    x = np.random.default_rng(1).standard_normal((8, 1, 6, 6)).astype(np.float32)
    model.fit(x, np.arange(8) % 2, epochs=1, batch_size=8, verbose=0, callbacks=[Watch()])
    per_use = (9 + 1) * 8 * 36 * 4  # 3x3 patches and the bias's row of ones, float32, for 8 images of 6x6
    assert Watch.kept == 2 * per_use
    assert model.work_bytes() == 0
