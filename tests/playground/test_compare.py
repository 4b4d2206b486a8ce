"""Optimizers side by side: the book's paths come from nerve's optimizers; the race differs only by optimizer."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.playground.compare import BOOK_RATES, surface_paths


def test_surface_paths_follow_each_optimizers_update_rule():
    paths = surface_paths(steps=3)["paths"]
    assert set(paths) == {"sgd", "momentum", "adagrad", "adam"}
    x, y = -7.0, 2.0
    for _ in range(3):  # plain SGD by hand: x -= lr * x / 10, y -= lr * 2y
        x, y = x - BOOK_RATES["sgd"] * x / 10, y - BOOK_RATES["sgd"] * 2 * y
    assert paths["sgd"][-1] == pytest.approx([x, y], abs=1e-5)
    g = np.array([-0.7, 4.0])  # AdaGrad's first step: lr * g / sqrt(g²) = lr * sign(g)
    assert paths["adagrad"][1] == pytest.approx(list(np.array([-7.0, 2.0]) - BOOK_RATES["adagrad"] * np.sign(g)),
                                                abs=1e-4)
    assert all(len(p) == 4 for p in paths.values())
    final = {k: np.hypot(*p[-1]) for k, p in surface_paths(steps=30)["paths"].items()}
    assert max(final.values()) < 7.3  # every optimizer heads to the minimum at (0, 0)


def test_the_race_starts_every_optimizer_from_the_same_weights(client):
    sid = client.new_session({"mode": "classification", "dataset": "circles", "learning_rate": 0.03})
    status, reply = client.post("/api/race", {"session": sid, "epochs": 3})
    assert status == 200 and set(reply["racers"]) == {"sgd", "momentum", "adagrad", "adam"}
    first = {name: r["losses"][0] for name, r in reply["racers"].items()}
    assert all(r["epoch"] == 3 and len(r["losses"]) == 3 for r in reply["racers"].values())
    assert len(set(np.round(list(first.values()), 6))) == 4  # same start, different updates
    status, reply = client.post("/api/race", {"session": sid, "epochs": 2})
    assert all(r["epoch"] == 5 for r in reply["racers"].values())
    status, reply = client.post("/api/race", {"session": sid, "epochs": 1, "restart": True})
    assert all(r["epoch"] == 1 for r in reply["racers"].values())
    assert client.post("/api/race", {"session": sid, "epochs": 21})[0] == 400


def test_race_weights_are_identical_at_the_start():
    from nerve.playground.compare import OptimizerRace
    from nerve.playground.tasks import ClassificationTask
    from nerve.playground.validation import parse_config

    race = OptimizerRace(parse_config({"mode": "classification", "hidden": [3]}), ClassificationTask)
    weights = [t.model.params["dense_1/W"] for t in race.tasks.values()]
    assert all(np.array_equal(weights[0], w) for w in weights[1:])
    assert [type(t.model.optimizer).__name__ for t in race.tasks.values()] == ["SGD", "Momentum", "AdaGrad", "Adam"]


def test_surface_is_served(client):
    status, _, reply = client.request("GET", "/api/surface")
    assert status == 200 and reply["function"].startswith("f(x, y)") and len(reply["paths"]["adam"]) == 31


def test_the_race_shares_one_requests_time_budget(monkeypatch):
    import time

    from nerve.playground import tasks
    from nerve.playground.compare import OptimizerRace
    from nerve.playground.tasks import ClassificationTask
    from nerve.playground.validation import parse_config

    monkeypatch.setattr(tasks, "TIME_BUDGET_S", 0.4)
    race = OptimizerRace(parse_config({"mode": "classification", "n_samples": 2000, "train_ratio": 0.9,
                                       "batch_size": 1}), ClassificationTask)
    t0 = time.perf_counter()
    race.train(20)
    assert time.perf_counter() - t0 < 0.4 + 0.5  # four optimizers share one budget (1.6 s if each had it)
