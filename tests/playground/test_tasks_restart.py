"""Issue 17: a data change restarts the count with the new data's figures; one epoch obeys the time budget."""

from __future__ import annotations

import time

import numpy as np
import pytest

from nerve.playground import tasks
from nerve.playground.tasks import make_task
from nerve.playground.validation import parse_config

POINTS = [[-0.9, -0.5], [-0.6, 0.1], [-0.2, 0.3], [0.1, 0.2], [0.5, 0.6], [0.8, 0.4]]


@pytest.mark.parametrize("change", [{"dataset": "circles"}, {"noise": 0.3}, {"train_ratio": 0.8},
                                    {"n_samples": 200}, {"seed": 9}])
def test_a_data_change_shows_the_new_datas_figures_from_epoch_0(change):
    base = {"mode": "classification", "dataset": "xor", "n_samples": 300}
    task = make_task(parse_config(base))
    task.train(5)
    changed = parse_config({**base, **change})
    state = make_task(changed, previous=task).state()
    fresh = make_task(parse_config({**base, **change})).state()  # what a new tab with this setup shows
    assert state["epoch"] == 0
    assert state["loss"] == pytest.approx(fresh["loss"]) and state["test_loss"] == pytest.approx(fresh["test_loss"])
    assert state["accuracy"] == fresh["accuracy"]


def test_a_new_regression_point_keeps_the_fit_and_recomputes_the_loss():
    task = make_task(parse_config({"mode": "regression", "points": POINTS, "learning_rate": 0.5}))
    task.train(20)
    old_loss = task.state()["loss"]
    points = POINTS + [[0.9, -0.9]]
    state = make_task(parse_config({"mode": "regression", "points": points, "learning_rate": 0.5}),
                      previous=task).state()
    dense = task.model.layers[0]
    pts = np.array(points)
    expected = np.mean((pts[:, 0] * dense.params["W"][0, 0] + dense.params["b"][0] - pts[:, 1]) ** 2)
    assert state["epoch"] == 0 and state["loss"] == pytest.approx(expected, rel=1e-5)
    assert state["loss"] != pytest.approx(old_loss)


def test_one_long_epoch_is_cut_by_the_time_budget_and_resumed(monkeypatch):
    monkeypatch.setattr(tasks, "TIME_BUDGET_S", 0.02)
    task = make_task(parse_config({"mode": "classification", "n_samples": 2000, "train_ratio": 0.9,
                                   "batch_size": 1}))
    t0 = time.perf_counter()
    state = task.train(1)
    assert time.perf_counter() - t0 < 0.5  # one epoch here is 1,800 updates (~1 s)
    assert state["steps_done"] == 0 and state["epoch"] == 0 and 0 < state["epoch_progress"] < 1
    seen = state["epoch_progress"]
    for _ in range(500):
        state = task.train(1)
        if state["epoch"] == 1:
            break
        assert state["epoch_progress"] > seen
        seen = state["epoch_progress"]
    assert state["epoch"] == 1 and state["steps_done"] == 1 and len(state["new_losses"]) == 1
