"""The public training state that the progress bar, History and callbacks read."""

from pathlib import Path

import numpy as np
import pytest

from nerve import Sequential
from nerve.callbacks import Callback
from nerve.layers import Dense
from nerve.optimizers import SGD
from nerve.training import TrainingState


class Snapshot(Callback):
    def __init__(self):
        super().__init__()
        self.batches, self.epochs = [], []

    def on_batch_end(self, batch, logs=None):
        s = self.model.training_state
        self.batches.append((s.epoch, s.step, s.global_step, dict(s.running_logs), dict(logs), s.samples))

    def on_epoch_end(self, epoch, logs=None):
        s = self.model.training_state
        self.epochs.append((epoch, s.epochs, s.steps_per_epoch, s.initial_epoch, dict(s.running_logs)))


def test_callbacks_see_epoch_step_and_running_averages_weighted_by_batch_size():
    model = Sequential([Dense(2)], input_shape=(2,))
    model.compile(SGD(0.1), "softmax_cross_entropy", ["accuracy"])
    x = np.random.default_rng(0).standard_normal((10, 2)).astype(np.float32)
    snap = Snapshot()
    model.fit(x, (x[:, 0] > 0).astype(int), epochs=3, initial_epoch=1, batch_size=4, verbose=0, callbacks=[snap])
    assert [b[:3] for b in snap.batches] == [(1, 1, 1), (1, 2, 2), (1, 3, 3), (2, 1, 4), (2, 2, 5), (2, 3, 6)]
    assert [b[5] for b in snap.batches[:3]] == [4, 8, 10]
    for start in (0, 3):  # the running average after each batch, from the batches' own logs
        epoch = snap.batches[start:start + 3]
        for i in range(3):
            sizes = [4, 4, 2][:i + 1]
            expected = sum(e[4]["loss"] * n for e, n in zip(epoch, sizes)) / sum(sizes)
            assert epoch[i][3]["loss"] == pytest.approx(expected)
    assert [e[:4] for e in snap.epochs] == [(1, 3, 3, 1), (2, 3, 3, 1)]
    assert snap.epochs[-1][4] == snap.batches[-1][3]
    assert model.history.history["loss"] == [e[4]["loss"] for e in snap.epochs]


def test_an_iterable_without_length_has_no_steps_per_epoch():
    def batches():
        for _ in range(3):
            yield np.ones((2, 2), np.float32), np.zeros(2, dtype=int)

    model = Sequential([Dense(2)], input_shape=(2,))
    model.compile(SGD(0.1), "softmax_cross_entropy")
    model.fit(batches(), verbose=1)
    state = model.training_state
    assert isinstance(state, TrainingState) and state.steps_per_epoch is None and state.step == 3


def test_fit_and_the_callbacks_use_no_private_field_of_the_model():
    root = Path(__file__).resolve().parents[2] / "nerve"
    sources = [*sorted((root / "training").glob("*.py")), *sorted((root / "callbacks").glob("*.py")),
               root / "lr_finder.py", *sorted((root / "cli").glob("*.py"))]
    offenders = [f"{p.name}: {line.strip()}" for p in sources for line in p.read_text().splitlines()
                 if "model._" in line]
    assert not offenders


def test_batch_hooks_run_for_every_way_of_defining_them_and_only_then():
    from nerve.callbacks import CallbackList, History

    seen = []

    class Subclass(Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("subclass begin", batch, logs["size"]))

    on_instance = Callback()
    on_instance.on_batch_end = lambda batch, logs=None: seen.append(("instance end", batch, sorted(logs)))
    model = Sequential([Dense(2)], input_shape=(2,))
    model.compile(SGD(0.1), "mse")
    x, y = np.zeros((5, 2), np.float32), np.zeros((5, 2), np.float32)
    model.fit(x, y, batch_size=3, epochs=1, verbose=0, callbacks=[Subclass(), on_instance])
    assert seen == [("subclass begin", 0, 3), ("instance end", 0, ["loss"]),
                    ("subclass begin", 1, 2), ("instance end", 1, ["loss"])]
    # fit skips the batch hooks when no callback defines them (History, the progress bar without output)
    assert not CallbackList([History(), Callback()]).overrides("on_batch_end")
    assert CallbackList([History(), on_instance]).overrides("on_batch_end")
    assert not CallbackList([on_instance]).overrides("on_batch_begin")
