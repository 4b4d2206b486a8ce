"""Backprop step by step: the numbers /api/backprop shows are nerve's own layer outputs and gradients."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.playground.backprop import trace
from nerve.playground.models import feature_matrix
from nerve.playground.tasks import make_task
from nerve.playground.validation import parse_config

SEED_004 = {"mode": "classification", "hidden": [2], "activation": "sigmoid", "features": ["x1", "x2"]}


def _seed_004_weights(client, sid):
    """Seed 004's network: every neuron has w = [0, 1] and b = 0."""
    for layer, rows, cols in [(0, 2, 2), (1, 2, 1)]:
        for i in range(rows):
            for j in range(cols):
                client.post("/api/edit", {"session": sid, "layer": layer, "kind": "W", "row": i, "col": j,
                                          "value": float(i == 1)})
        for j in range(cols):
            client.post("/api/edit", {"session": sid, "layer": layer, "kind": "b", "row": j, "value": 0.0})


def test_seed_004s_2_2_1_network_gives_the_tutorials_numbers(client):
    sid = client.new_session(SEED_004)
    _seed_004_weights(client, sid)
    status, reply = client.post("/api/backprop", {"session": sid, "point": [2, 3], "label": 1})
    assert status == 200
    hidden = reply["layers"][1]["output"]  # sigmoid(0 * 2 + 1 * 3) for both hidden neurons
    np.testing.assert_allclose(hidden, [0.9525741268224334] * 2, rtol=1e-6)
    assert reply["prediction"] == pytest.approx(0.7216325609518421, rel=1e-6)  # the tutorial's 2-2-1 output
    assert reply["layers"][-1]["dout"] == pytest.approx([0.7216325609518421 - 1], rel=1e-5)  # dL/dz = p - t


def test_trace_equals_the_layers_forward_and_the_models_gradient():
    task = make_task(parse_config({"mode": "classification", "hidden": [3, 2], "activation": "tanh",
                                   "features": ["x1", "x2", "x1*x2"]}))
    point, label = [1.5, -2.0], 1.0
    reply = trace(task.model, task.config["features"], point, label)
    x = feature_matrix(np.array([point]), task.config["features"])
    out = x
    for layer, row in zip(task.model.layers, reply["layers"]):
        out = layer.forward(out)
        np.testing.assert_allclose(row["output"], out[0], rtol=1e-6)
    grads = task.model.gradient(x, np.array([[label]], dtype=np.float32))
    for layer, row in zip(task.model.layers, reply["layers"]):
        for key, g in row["grads"].items():
            np.testing.assert_allclose(g, grads[f"{layer.name}/{key}"], rtol=1e-5, atol=1e-7)
    assert reply["loss"] == pytest.approx(float(task.model.loss(x, np.array([[label]], np.float32), training=False)),
                                          rel=1e-5)


def test_backprop_refuses_a_bad_point_and_the_regression_view(client):
    sid = client.new_session(SEED_004)
    status, reply = client.post("/api/backprop", {"session": sid, "point": [2, 30], "label": 1})
    assert status == 400 and "point[1]" in reply["error"]
    status, reply = client.post("/api/backprop", {"session": sid, "point": [2, 3], "label": 2})
    assert status == 400 and "label" in reply["error"]
    sid = client.new_session({"mode": "regression", "points": [[0, 0]]})
    assert client.post("/api/backprop", {"session": sid, "point": [0, 0], "label": 1})[0] == 409
