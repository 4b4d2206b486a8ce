"""What one session trains: the regression task (clicked points) or the classification task (2-D datasets).

A task owns its data, a nerve ``Sequential`` and counters; ``train(steps)`` runs whole epochs through
``model.train_on_batch`` and ``state()`` renders what the page draws (curve, a and b, heat map, neuron
images, losses). A step request stops early after ``TIME_BUDGET_S`` so no request holds the server long.
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np

from ..callbacks import diagnose
from ..errors import TrainingDivergedError
from ..layers import Dense
from .datasets import make_dataset, split
from .models import build_network, encode_image, feature_matrix, regression_features
from .regression_data import make_regression_dataset
from .validation import RequestError

__all__ = ["RegressionTask", "ClassificationTask", "make_task", "TIME_BUDGET_S"]

TIME_BUDGET_S = 0.5
CURVE_POINTS = 121  # regression curve samples over x in [-1, 1]
HEATMAP_SIZE = 100  # decision-boundary heat map, pixels per side (smooth on spirals once scaled up)
NEURON_SIZE = 24  # each neuron's small image, pixels per side
_DATA_KEYS = {"points", "dataset", "noise", "train_ratio", "n_samples"}  # changed: new data, same weights
_SOFT_KEYS = {"learning_rate"}  # changed in place, weights kept


def _finite(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


@functools.lru_cache(maxsize=64)
def _grid_features(size: int, features: tuple[str, ...]) -> np.ndarray:
    """The features of a size x size grid over [-6, 6]², row by row from the top (x2 = 6) as on the canvas.

    The same for every request with these features, so computed once (read-only).
    """
    axis = np.linspace(-6.0, 6.0, size)
    gx, gy = np.meshgrid(axis, axis[::-1])
    x = feature_matrix(np.stack([gx.ravel(), gy.ravel()], axis=1), list(features))
    x.flags.writeable = False
    return x


class _Task:
    """Shared plumbing: building, reset, the epoch loop with its time budget and divergence guard."""

    mode = ""
    empty_message = ""

    def __init__(self, config: dict):
        self.config = config
        self.resets = 0
        self.set_data(config)
        self.build()

    rebuild_on_new_data = False
    updates = 0  # optimizer steps in the last train() call

    def build(self) -> None:
        self.model = self._network()
        self.diverged = False
        self.restart()

    def reset(self) -> None:
        """Fresh random weights (a new draw each time), same configuration and data."""
        self.resets += 1
        self.build()

    def update(self, config: dict) -> bool:
        """Take a new configuration; True when the network was rebuilt.

        A learning-rate change keeps everything. A data change starts the count again (epoch 0, figures
        of the new data, empty chart): the classifier also draws fresh weights, as TensorFlow Playground
        does, while the regression view keeps its fit so a clicked point visibly bends the curve.
        """
        old, self.config = self.config, config
        changed = {k for k in config if config[k] != old.get(k)}
        if changed - _SOFT_KEYS:
            self.set_data(config)
        if changed - _DATA_KEYS - _SOFT_KEYS or (changed & _DATA_KEYS and self.rebuild_on_new_data):
            self.build()
            return True
        if changed & _DATA_KEYS:
            self.restart()
        if "learning_rate" in changed:
            self.model.optimizer.lr = float(config["learning_rate"])
        return False

    def restart(self) -> None:
        """Epoch 0 and no figures yet, same weights (after a data change)."""
        self.epoch = 0
        self.last_losses = {}
        self.cursor = 0

    def _seed(self) -> int:
        return int(self.config["seed"]) * 1000 + self.resets

    def train(self, steps: int, budget_s: float | None = None) -> dict:
        """Up to ``steps`` epochs (fewer after ``budget_s``, default ``TIME_BUDGET_S``); the state after them."""
        if self.n_train == 0:
            raise RequestError(self.empty_message, status=409)
        losses, done, self.updates = [], 0, 0
        before = {k: v.copy() for k, v in self.model.params.items() if k.endswith("/W")}
        budget_s = TIME_BUDGET_S if budget_s is None else budget_s
        deadline = time.perf_counter() + budget_s
        with np.errstate(all="ignore"):
            while done < steps and not self.diverged:
                try:
                    finished = self._epoch(deadline)
                except TrainingDivergedError:
                    self.diverged = True
                    break
                if finished:
                    self.epoch += 1
                    done += 1
                    losses.append(self._record())
                if time.perf_counter() > deadline:
                    break
        train_ms = (time.perf_counter() - deadline + budget_s) * 1000.0
        state = self.state()
        state.update(steps_done=done, new_losses=losses, train_ms=round(train_ms, 2))
        if self.mode == "classification" and not self.diverged:
            state["doctor"] = self.doctor(before)
        return state

    def dense_layers(self) -> list:
        """The model's Dense layers in order (the links and biases the page draws)."""
        return [layer for layer in self.model.layers if isinstance(layer, Dense)]

    def edit(self, layer: int, kind: str, row: int, col: int, value: float) -> None:
        """Set one weight (``W[row, col]``) or bias (``b[row]``) of the ``layer``-th Dense layer; figures follow."""
        params = self.dense_layers()[layer].params
        if kind == "W":
            params["W"][row, col] = value
        else:
            params["b"][row] = value
        self.last_losses = {}

    def describe(self) -> str:
        """The nerve model behind the view: its summary, optimizer and loss."""
        m = self.model
        return f"{m.summary(print_fn=lambda _: None)}\noptimizer: {m.optimizer!r}\nloss: {m.loss_fn!r}"

    def _common_state(self) -> dict:
        return {"mode": self.mode, "epoch": self.epoch, "diverged": self.diverged, "n_train": self.n_train,
                "epoch_progress": round(self.cursor / max(self.n_train, 1), 3), **self.last_losses}


class RegressionTask(_Task):
    """Fit clicked points (x, y) in [-1, 1]² with a line, a polynomial or a small MLP; full-batch steps."""

    mode = "regression"
    empty_message = "add at least one point before training"

    def set_data(self, config: dict) -> None:
        pts = np.asarray(config["points"], dtype=np.float32).reshape(-1, 2)
        self.x = regression_features(pts[:, 0], config["model"], config["degree"])
        self.y = pts[:, 1:2]
        self.n_train = len(pts)

    def _network(self):
        c = self.config
        hidden = c["hidden"] if c["model"] == "mlp" else []
        n_in = c["degree"] if c["model"] == "polynomial" else 1
        return build_network(n_in, hidden, c["activation"], optimizer=c["optimizer"],
                             learning_rate=c["learning_rate"], loss="mse", seed=self._seed())

    def _epoch(self, deadline: float) -> bool:
        self.model.train_on_batch(self.x, self.y)  # full batch: one update is the whole epoch
        return True

    def _record(self) -> float | None:
        loss = self.model.evaluate(self.x, self.y)["loss"] if self.n_train else float("nan")
        self.last_losses = {"loss": _finite(loss)}
        return self.last_losses["loss"]

    def _coefficients(self) -> dict:
        """What the fit learned: c0..cd of the polynomial (the line is degree 1), or each layer's W and b."""
        dense = self.dense_layers()
        if self.config["model"] != "mlp":
            W, b = dense[0].params["W"][:, 0], dense[0].params["b"][0]
            return {"polynomial": [_finite(v) for v in np.round([b, *W], 5)]}
        return {"layers": [{"W": np.round(d.params["W"].astype(np.float64), 4).tolist(),
                            "b": np.round(d.params["b"].astype(np.float64), 4).tolist()} for d in dense]}

    def state(self, include_data: bool = False) -> dict:
        c = self.config
        grid = np.linspace(-1.0, 1.0, CURVE_POINTS, dtype=np.float32)
        with np.errstate(all="ignore"):
            curve = self.model.predict(regression_features(grid, c["model"], c["degree"]))[:, 0]
            if self.n_train and "loss" not in self.last_losses:
                self._record()
        state = self._common_state()
        state["coefficients"] = self._coefficients()
        state["curve"] = [_finite(v) for v in np.round(curve.astype(np.float64), 5)]
        if c["model"] == "line":
            dense = self.model.layers[0]
            state["line"] = {"a": _finite(dense.params["W"][0, 0]), "b": _finite(dense.params["b"][0])}
        if include_data:
            state["points"] = c["points"]
            state["summary"] = self.describe()
        return state


class ClassificationTask(_Task):
    """Two-class 2-D datasets with a train/test split, mini-batch epochs, heat map and neuron images."""

    mode = "classification"
    rebuild_on_new_data = True
    empty_message = "add at least two points (one to train on, one to test) before training"

    def set_data(self, config: dict) -> None:
        if config["dataset"] == "custom":
            pts = np.asarray(config["points"], dtype=np.float64).reshape(-1, 3)
            xy, labels = pts[:, :2], pts[:, 2].astype(np.int64)
        elif config["problem"] == "regression":
            xy, labels = make_regression_dataset(config["dataset"], config["n_samples"], config["noise"],
                                                 config["seed"])
        else:
            xy, labels = make_dataset(config["dataset"], config["n_samples"], config["noise"], config["seed"])
        (self.xy_train, self.y_train), (self.xy_test, self.y_test) = split(
            xy, labels, config["train_ratio"], config["seed"])
        self.n_train = len(self.y_train) if len(labels) >= 2 else 0
        self._refeature()
        self.shuffler = np.random.default_rng(config["seed"] + 7)

    def _refeature(self) -> None:
        f = self.config["features"]
        self.x_train = feature_matrix(self.xy_train, f)
        self.x_test = feature_matrix(self.xy_test, f)
        self.t_train = self.y_train.reshape(-1, 1).astype(np.float32)
        self.t_test = self.y_test.reshape(-1, 1).astype(np.float32)

    def build(self) -> None:
        self._refeature()
        super().build()

    def _network(self):
        c = self.config
        rate = c["regularization_rate"]
        return build_network(len(c["features"]), c["hidden"], c["activation"], optimizer=c["optimizer"],
                             learning_rate=c["learning_rate"], seed=self._seed(),
                             loss="mse" if c["problem"] == "regression" else "logistic",
                             l1=rate if c["regularization"] == "l1" else 0.0,
                             l2=rate if c["regularization"] == "l2" else 0.0)

    def _epoch(self, deadline: float) -> bool:
        """Mini-batches from where the last call stopped; False when the deadline cut the epoch short."""
        n, bs = self.n_train, min(self.config["batch_size"], self.n_train)
        if self.cursor == 0:
            self.order = self.shuffler.permutation(n)
        while self.cursor < n:
            idx = self.order[self.cursor:self.cursor + bs]
            self.model.train_on_batch(self.x_train[idx], self.t_train[idx])
            self.updates += 1
            self.cursor += len(idx)
            if self.cursor < n and time.perf_counter() > deadline:
                return False
        self.cursor = 0
        return True

    def _evaluate(self, x, t) -> tuple[float | None, float | None]:
        if len(t) == 0:
            return None, None
        logits = self.model.predict(x)
        loss = self.model.loss_fn.forward(logits, t)
        if self.config["problem"] == "regression":
            return _finite(loss), None
        accuracy = float(np.mean((logits > 0) == (t > 0.5)))
        return _finite(loss), accuracy

    def _record(self) -> list:
        train_loss, train_acc = self._evaluate(self.x_train, self.t_train)
        test_loss, test_acc = self._evaluate(self.x_test, self.t_test)
        self.last_losses = {"loss": train_loss, "test_loss": test_loss,
                            "accuracy": {"train": train_acc, "test": test_acc}}
        return [train_loss, test_loss]

    def doctor(self, before: dict | None = None) -> dict:
        """The training doctor's report (nerve.callbacks.diagnose) on up to 200 training points."""
        x, t = self.x_train[:200], self.t_train[:200]
        with np.errstate(all="ignore"):
            report = diagnose(self.model, x, t, previous=before, updates=max(self.updates, 1))
        for row in report["layers"]:
            for key in ("grad_norm", "weight_norm", "update_ratio"):
                row[key] = None if row[key] is None else _finite(f"{row[key]:.3g}")
        report["loss"] = _finite(report["loss"])
        return report

    def _images(self) -> dict:
        """Heat map of P(class 1), every input/neuron's output over the [-6, 6]² square, and the weights."""
        features = tuple(self.config["features"])
        x = _grid_features(NEURON_SIZE, features)
        inputs = [encode_image(x[:, j] / max(float(np.abs(x[:, j]).max()), 1e-6)) for j in range(x.shape[1])]
        hidden = []
        for layer in self.model.layers[:-1]:
            x = layer.forward(x)
            if layer.params:  # a Dense: the activation after it gives the neuron outputs
                continue
            scale = np.maximum(np.abs(x).max(axis=0), 1e-6)
            hidden.append([encode_image(x[:, j] / scale[j]) for j in range(x.shape[1])])
        out = self.model.predict(_grid_features(HEATMAP_SIZE, features))[:, 0]
        if self.config["problem"] == "regression":  # the predicted value, on the [-1, 1] colour scale
            heatmap = encode_image(out, signed=True)
        else:  # P(class 1)
            heatmap = encode_image(1.0 / (1.0 + np.exp(-np.clip(out, -60, 60))), signed=False)
        dense = self.dense_layers()
        weights = [np.round(d.params["W"].astype(np.float64), 3).tolist() for d in dense]
        biases = [np.round(d.params["b"].astype(np.float64), 3).tolist() for d in dense]
        return {"heatmap": heatmap, "heatmap_size": HEATMAP_SIZE, "problem": self.config["problem"],
                "inputs": inputs, "neurons": hidden, "neuron_size": NEURON_SIZE, "weights": weights,
                "biases": biases}

    def state(self, include_data: bool = False) -> dict:
        with np.errstate(all="ignore"):
            if self.n_train and "loss" not in self.last_losses:
                self._record()
            state = {**self._common_state(), **self._images()}
        state["n_test"] = len(self.y_test)
        if include_data:
            def rows(xy, y):
                return [[round(float(a), 3), round(float(b), 3), round(float(c), 3)] for (a, b), c in zip(xy, y)]
            state["data"] = {"train": rows(self.xy_train, self.y_train), "test": rows(self.xy_test, self.y_test)}
            state["summary"] = self.describe()
        return state


_TASKS = {"regression": RegressionTask, "classification": ClassificationTask}


def make_task(config: dict, previous: _Task | None = None) -> _Task:
    """The task for ``config``; reuses ``previous`` (and its weights) when only data/learning rate changed."""
    if previous is not None and previous.mode == config["mode"]:
        previous.update(config)
        return previous
    return _TASKS[config["mode"]](config)
