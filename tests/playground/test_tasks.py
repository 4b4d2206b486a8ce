"""Training tasks: they train nerve models to the answers an independent solver gives."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.layers import Dense
from nerve.losses import BinaryCrossEntropy
from nerve.model import Sequential
from nerve.playground import tasks
from nerve.playground.tasks import ClassificationTask, RegressionTask, make_task
from nerve.playground.validation import RequestError, parse_config

POINTS = [[-0.9, -0.5], [-0.6, 0.1], [-0.2, 0.3], [0.1, 0.2], [0.5, 0.6], [0.8, 0.4]]


def _train(task, epochs):
    while task.epoch < epochs:
        task.train(epochs - task.epoch)
    return task.state()


def test_line_converges_to_the_least_squares_line():
    task = make_task(parse_config({"mode": "regression", "points": POINTS, "learning_rate": 0.5}))
    assert isinstance(task, RegressionTask) and isinstance(task.model, Sequential)
    state = _train(task, 1000)
    pts = np.array(POINTS)
    a, b = np.polyfit(pts[:, 0], pts[:, 1], 1)
    assert state["line"]["a"] == pytest.approx(a, abs=1e-4)
    assert state["line"]["b"] == pytest.approx(b, abs=1e-4)
    assert isinstance(task.model.layers[0], Dense)


def test_polynomial_converges_to_numpys_polyfit():
    config = parse_config({"mode": "regression", "model": "polynomial", "degree": 2, "points": POINTS,
                           "optimizer": "adam", "learning_rate": 0.05})
    state = _train(make_task(config), 3000)
    pts = np.array(POINTS)
    expected = np.polyval(np.polyfit(pts[:, 0], pts[:, 1], 2), np.linspace(-1, 1, 121))
    np.testing.assert_allclose(state["curve"], expected, atol=2e-3)


def test_mlp_regression_reduces_the_loss():
    task = make_task(parse_config({"mode": "regression", "model": "mlp", "hidden": [8], "points": POINTS}))
    first = task.train(1)["loss"]
    assert _train(task, 300)["loss"] < 0.5 * first


@pytest.mark.parametrize("dataset", ["xor", "circles", "gaussians", "moons"])
def test_classifier_learns_the_easy_datasets(dataset):
    config = parse_config({"mode": "classification", "dataset": dataset, "n_samples": 200, "hidden": [6, 4]})
    task = make_task(config)
    assert isinstance(task.model.loss_fn, BinaryCrossEntropy) and task.model.loss_fn.from_logits
    state = _train(task, 60)
    assert state["accuracy"]["test"] >= 0.9, state["accuracy"]


def test_feature_crosses_make_xor_linear():
    config = parse_config({"mode": "classification", "dataset": "xor", "hidden": [], "features": ["x1*x2"],
                           "n_samples": 200})
    state = _train(make_task(config), 30)
    assert state["accuracy"]["test"] >= 0.95


def test_regularization_rates_reach_compile():
    config = parse_config({"mode": "classification", "regularization": "l2", "regularization_rate": 0.03})
    task = make_task(config)
    assert task.model.l2 == 0.03 and task.model.l1 == 0.0


def test_custom_points_are_split_and_trained():
    pts = [[x, y, int(x > 0)] for x in (-4, -2, 2, 4) for y in (-3, 0, 3)]
    task = make_task(parse_config({"mode": "classification", "dataset": "custom", "points": pts,
                                   "train_ratio": 0.5, "batch_size": 2}))
    assert task.n_train == 6 and len(task.y_test) == 6
    assert _train(task, 50)["accuracy"]["train"] == 1.0


def test_too_few_custom_points_refuse_training():
    task = make_task(parse_config({"mode": "classification", "dataset": "custom", "points": [[1, 1, 1]]}))
    with pytest.raises(RequestError) as err:
        task.train(1)
    assert err.value.status == 409


def test_learning_rate_change_keeps_weights_and_updates_the_optimizer():
    config = parse_config({"mode": "classification"})
    task = make_task(config)
    task.train(2)
    W = task.model.layers[0].params["W"].copy()
    same = make_task(parse_config({"mode": "classification", "learning_rate": 0.3}), previous=task)
    assert same is task and task.epoch == 2 and task.model.optimizer.lr == 0.3
    np.testing.assert_array_equal(task.model.layers[0].params["W"], W)
    rebuilt = make_task(parse_config({"mode": "classification", "activation": "relu"}), previous=task)
    assert rebuilt.epoch == 0


def test_same_seed_gives_the_same_data_and_weights():
    config = parse_config({"mode": "classification", "dataset": "spirals", "seed": 5})
    a, b = ClassificationTask(config), ClassificationTask(dict(config))
    np.testing.assert_array_equal(a.xy_train, b.xy_train)
    np.testing.assert_array_equal(a.model.layers[0].params["W"], b.model.layers[0].params["W"])
    a.reset()
    assert not np.array_equal(a.model.layers[0].params["W"], b.model.layers[0].params["W"])


def test_time_budget_cuts_long_requests(monkeypatch):
    monkeypatch.setattr(tasks, "TIME_BUDGET_S", 0.0)
    task = make_task(parse_config({"mode": "regression", "points": POINTS}))
    state = task.train(1000)
    assert state["steps_done"] == 1 and state["epoch"] == 1


def test_neuron_images_follow_the_network_shape():
    config = parse_config({"mode": "classification", "hidden": [5, 3, 2], "activation": "relu",
                           "features": ["x1", "x2", "sin_x1", "x1*x2"]})
    state = make_task(config).state()
    assert len(state["inputs"]) == 4
    assert [len(layer) for layer in state["neurons"]] == [5, 3, 2]
    assert [np.shape(W) for W in state["weights"]] == [(4, 5), (5, 3), (3, 2), (2, 1)]
