"""TensorFlow Playground parity on the server side: 2-D regression problems, edits, previews, biases."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from nerve.playground.regression_data import gaussians_target, make_regression_dataset, plane_target
from nerve.playground.tasks import HEATMAP_SIZE, make_task
from nerve.playground.validation import RequestError, parse_config


def test_regression_targets_follow_their_definitions():
    xy = np.array([[0.0, 0.0], [5.0, 5.0], [-4.0, 2.5], [0.0, 2.5], [-3.0, 2.5], [6.0, 6.0]])
    np.testing.assert_allclose(plane_target(xy[:2]), [0.0, 1.0])
    np.testing.assert_allclose(gaussians_target(xy[2:]), [1.0, -1.0, 0.5, 0.0])
    points, targets = make_regression_dataset("multi_gaussian", 300, 0.0, seed=3)
    assert points.shape == (300, 2) and np.abs(points).max() <= 6 and np.abs(targets).max() <= 1
    np.testing.assert_array_equal(make_regression_dataset("plane", 50, 0.2, 4)[1],
                                  make_regression_dataset("plane", 50, 0.2, 4)[1])


def test_the_regression_problem_trains_with_mse_and_a_signed_heat_map():
    task = make_task(parse_config({"mode": "classification", "problem": "regression", "dataset": "plane",
                                   "hidden": [], "learning_rate": 0.03}))
    first = task.state(include_data=True)
    assert first["accuracy"] == {"train": None, "test": None} and first["problem"] == "regression"
    assert {round(abs(p[2]), 3) for p in first["data"]["train"]} != {0.0, 1.0}  # real-valued targets
    while task.epoch < 40:
        state = task.train(40 - task.epoch)
    assert state["loss"] < 0.1 * first["loss"]
    heat = np.frombuffer(base64.b64decode(state["heatmap"]), np.uint8).reshape(HEATMAP_SIZE, HEATMAP_SIZE)
    assert heat[0, -1] > 200 and heat[-1, 0] < 55  # top right (x1 + x2 > 0) high, bottom left low


def test_a_dataset_of_the_other_problem_type_is_refused():
    with pytest.raises(RequestError, match="not a regression dataset"):
        parse_config({"mode": "classification", "problem": "regression", "dataset": "xor"})
    assert parse_config({"mode": "classification", "problem": "regression"})["dataset"] == "plane"


def test_heat_map_is_at_least_100_by_100_and_biases_are_sent():
    state = make_task(parse_config({"mode": "classification", "hidden": [3, 2]})).state()
    assert state["heatmap_size"] >= 100
    assert [len(b) for b in state["biases"]] == [3, 2, 1]


def test_editing_a_weight_and_a_bias_changes_the_model(client):
    sid = client.new_session({"mode": "classification", "hidden": [3]})
    status, state = client.post("/api/edit", {"session": sid, "layer": 0, "kind": "W", "row": 1, "col": 2,
                                              "value": 1.25})
    assert status == 200 and state["weights"][0][1][2] == 1.25
    status, state = client.post("/api/edit", {"session": sid, "layer": 1, "kind": "b", "row": 0, "value": -0.5})
    assert status == 200 and state["biases"][1] == [-0.5]
    status, reply = client.post("/api/edit", {"session": sid, "layer": 0, "kind": "W", "row": 2, "col": 0,
                                              "value": 1.0})
    assert status == 400 and "row" in reply["error"]  # two inputs: rows 0..1


def test_previews_cover_every_dataset_but_custom(client):
    status, _, previews = client.request("GET", "/api/previews")
    assert status == 200
    assert set(previews) == {"xor", "circles", "gaussians", "moons", "spirals", "plane", "multi_gaussian"}
    assert all(len(points) >= 100 and len(points[0]) == 3 for points in previews.values())


def test_polynomial_fit_reports_its_coefficients():
    points = [[x, 0.2 - 0.5 * x + 0.25 * x * x] for x in np.linspace(-1, 1, 9).round(3).tolist()]
    task = make_task(parse_config({"mode": "regression", "model": "polynomial", "degree": 2, "points": points,
                                   "optimizer": "adam", "learning_rate": 0.05}))
    while task.epoch < 2000:
        state = task.train(2000 - task.epoch)
    np.testing.assert_allclose(state["coefficients"]["polynomial"], [0.2, -0.5, 0.25], atol=5e-3)
    mlp = make_task(parse_config({"mode": "regression", "model": "mlp", "hidden": [3, 3], "points": points}))
    layers = mlp.state()["coefficients"]["layers"]
    assert [np.shape(layer["W"]) for layer in layers] == [(1, 3), (3, 3), (3, 1)]


def test_each_step_carries_the_training_doctors_report(client):
    sid = client.new_session({"mode": "classification", "hidden": [4, 3], "activation": "relu"})
    state = client.post("/api/step", {"session": sid, "steps": 1})[1]
    report = state["doctor"]
    assert [r["name"] for r in report["layers"]] == ["dense_1", "dense_2", "dense_3"]
    assert all(r["grad_norm"] > 0 and r["update_ratio"] > 0 for r in report["layers"])
    for unit in range(4):  # plant dead ReLUs: the first layer's biases far below zero
        client.post("/api/edit", {"session": sid, "layer": 0, "kind": "b", "row": unit, "value": -100})
    report = client.post("/api/step", {"session": sid, "steps": 1})[1]["doctor"]
    assert report["units"][0]["dead"] == 4 and any("dead" in h for h in report["hints"])
