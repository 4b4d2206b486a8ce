"""Checks every playground request: known fields only, right types, finite numbers in range.

Every check raises :class:`RequestError` (HTTP 400 unless told otherwise) with a message naming the field,
the value received and what was expected; the server turns it into a JSON error reply.
"""

from __future__ import annotations

import json
import math
import re

__all__ = [
    "RequestError", "LIMITS", "MODES", "REGRESSION_MODELS", "ACTIVATIONS", "OPTIMIZERS", "DATASETS",
    "FEATURES", "REGULARIZATIONS", "PROBLEMS", "PROBLEM_DATASETS", "DEFAULTS",
    "parse_edit", "parse_point", "decode_json", "check_fields", "parse_config",
    "parse_session_id", "parse_steps", "options",
]


class RequestError(ValueError):
    """A request the playground refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


LIMITS = {
    "max_points": 2000,
    "max_layers": 6,
    "max_neurons": 8,
    "max_steps": 1000,
    "max_body_bytes": 256 * 1024,
    "regression_range": 1.0,  # clicked points live in [-1, 1] x [-1, 1]
    "classification_range": 6.0,  # 2-D datasets live in [-6, 6] x [-6, 6], as in TensorFlow Playground
}

MODES = ("regression", "classification")
REGRESSION_MODELS = ("line", "polynomial", "mlp")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
PROBLEMS = ("classification", "regression")  # the classifier view's problem type, as on TensorFlow Playground
PROBLEM_DATASETS = {"classification": ("xor", "circles", "gaussians", "moons", "spirals", "custom"),
                    "regression": ("plane", "multi_gaussian")}
DATASETS = PROBLEM_DATASETS["classification"] + PROBLEM_DATASETS["regression"]
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2")
REGULARIZATIONS = ("none", "l1", "l2")

# field -> default, per mode; a field of the other mode is refused like an unknown one
DEFAULTS = {
    "regression": {
        "mode": "regression", "model": "line", "degree": 3, "hidden": [8, 8], "activation": "tanh",
        "optimizer": "sgd", "learning_rate": 0.1, "seed": 1, "points": [],
    },
    "classification": {
        "mode": "classification", "problem": "classification", "dataset": "xor", "noise": 0.0,
        "train_ratio": 0.5, "n_samples": 400,
        "seed": 1, "points": [], "hidden": [4, 4], "activation": "tanh", "optimizer": "adam",
        "learning_rate": 0.03, "regularization": "none", "regularization_rate": 0.0, "batch_size": 10,
        "features": ["x1", "x2"],
    },
}

_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _reject_constant(name: str):
    raise RequestError(f"JSON constant {name} is not allowed; numbers must be finite")


def decode_json(body: bytes) -> dict:
    """Parse a request body into a JSON object (NaN/Infinity and non-objects refused)."""
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except RequestError:
        raise
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RequestError(f"request body is not valid UTF-8 JSON: {e}") from None
    except RecursionError:
        raise RequestError("request body is nested too deeply") from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits (Python's int conversion limit)
        raise RequestError(f"request body has a number out of range: {str(e)[:120]}") from None
    if not isinstance(value, dict):
        raise RequestError(f"request body must be a JSON object, got {type(value).__name__}")
    return value


def check_fields(obj: dict, allowed, required=(), where: str = "request") -> None:
    """Refuse unknown fields and report missing required ones."""
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise RequestError(f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
                           f"allowed: {', '.join(sorted(allowed))}")
    missing = [k for k in required if k not in obj]
    if missing:
        raise RequestError(f"{where}: missing required field(s) {', '.join(map(repr, missing))}")


def _number(value, name: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(f"`{name}` must be a number in [{lo}, {hi}], got {value!r}")
    v = float(value)
    if not math.isfinite(v) or not lo <= v <= hi:
        raise RequestError(f"`{name}` must be a finite number in [{lo}, {hi}], got {value!r}")
    return v


def _integer(value, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise RequestError(f"`{name}` must be an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def _choice(value, name: str, choices) -> str:
    if not isinstance(value, str) or value not in choices:
        raise RequestError(f"`{name}` must be one of {', '.join(choices)}; got {value!r}")
    return value


def _hidden(value) -> list[int]:
    n, m = LIMITS["max_layers"], LIMITS["max_neurons"]
    if not isinstance(value, list) or len(value) > n:
        raise RequestError(f"`hidden` must be a list of at most {n} layer sizes, got {value!r}"[:300])
    return [_integer(v, f"hidden[{i}]", 1, m) for i, v in enumerate(value)]


def _features(value) -> list[str]:
    if not isinstance(value, list) or not value or len(value) > len(FEATURES):
        raise RequestError(f"`features` must be a non-empty list drawn from {', '.join(FEATURES)}; got {value!r}"[:300])
    names = [_choice(v, f"features[{i}]", FEATURES) for i, v in enumerate(value)]
    if len(set(names)) != len(names):
        raise RequestError(f"`features` lists a feature twice: {names}")
    return [f for f in FEATURES if f in names]  # canonical order


def _points(value, mode: str) -> list[list[float]]:
    limit = LIMITS["max_points"]
    if not isinstance(value, list):
        raise RequestError(f"`points` must be a list, got {type(value).__name__}")
    if len(value) > limit:
        raise RequestError(f"`points`: at most {limit} points are allowed, got {len(value)}")
    width = 2 if mode == "regression" else 3
    r = LIMITS["regression_range" if mode == "regression" else "classification_range"]
    shape = "[x, y]" if width == 2 else "[x1, x2, label]"
    out = []
    for i, p in enumerate(value):
        if not isinstance(p, list) or len(p) != width:
            raise RequestError(f"`points[{i}]` must be a list {shape}, got {p!r}"[:300])
        row = [_number(v, f"points[{i}][{j}]", -r, r) for j, v in enumerate(p[:2])]
        if width == 3:
            row.append(float(_integer(p[2], f"points[{i}][2] (label)", 0, 1)))
        out.append(row)
    return out


_PARSERS = {
    "model": lambda v, mode: _choice(v, "model", REGRESSION_MODELS),
    "degree": lambda v, mode: _integer(v, "degree", 2, 5),
    "hidden": lambda v, mode: _hidden(v),
    "activation": lambda v, mode: _choice(v, "activation", ACTIVATIONS),
    "optimizer": lambda v, mode: _choice(v, "optimizer", OPTIMIZERS),
    "learning_rate": lambda v, mode: _number(v, "learning_rate", 1e-6, 10.0),
    "seed": lambda v, mode: _integer(v, "seed", 0, 2**32 - 1),
    "points": _points,
    "problem": lambda v, mode: _choice(v, "problem", PROBLEMS),
    "dataset": lambda v, mode: _choice(v, "dataset", DATASETS),
    "noise": lambda v, mode: _number(v, "noise", 0.0, 0.5),
    "train_ratio": lambda v, mode: _number(v, "train_ratio", 0.1, 0.9),
    "n_samples": lambda v, mode: _integer(v, "n_samples", 10, LIMITS["max_points"]),
    "regularization": lambda v, mode: _choice(v, "regularization", REGULARIZATIONS),
    "regularization_rate": lambda v, mode: _number(v, "regularization_rate", 0.0, 10.0),
    "batch_size": lambda v, mode: _integer(v, "batch_size", 1, LIMITS["max_points"]),
    "features": lambda v, mode: _features(v),
}


def parse_config(obj) -> dict:
    """A complete, checked configuration: the fields given, the mode's defaults for the rest."""
    if not isinstance(obj, dict):
        raise RequestError(f"`config` must be a JSON object, got {type(obj).__name__}")
    mode = _choice(obj.get("mode"), "config.mode", MODES)
    defaults = DEFAULTS[mode]
    check_fields(obj, defaults, where=f"config ({mode} mode)")
    config = {"mode": mode}
    for key, default in defaults.items():
        if key != "mode":
            config[key] = _PARSERS[key](obj[key], mode) if key in obj else _copy(default)
    if mode == "classification" and config["dataset"] not in PROBLEM_DATASETS[config["problem"]]:
        if "dataset" in obj:
            raise RequestError(f"`dataset` {config['dataset']!r} is not a {config['problem']} dataset; expected one "
                               f"of {', '.join(PROBLEM_DATASETS[config['problem']])}")
        config["dataset"] = PROBLEM_DATASETS[config["problem"]][0]
    return config


def _copy(value):
    return list(value) if isinstance(value, list) else value


def parse_session_id(value) -> str:
    """A session id as issued by the server (URL-safe token)."""
    if not isinstance(value, str) or not _SESSION_ID.match(value):
        raise RequestError(f"`session` must be a session id string as returned by /api/session, got {value!r}"[:200])
    return value


def parse_edit(obj: dict, shapes: list[tuple[int, int]]) -> tuple[int, str, int, int, float]:
    """``{layer, kind: "W"|"b", row, col, value}`` checked against the Dense layers' weight shapes."""
    check_fields(obj, ("session", "layer", "kind", "row", "col", "value"),
                 required=("session", "layer", "kind", "row", "value"), where="/api/edit")
    layer = _integer(obj["layer"], "layer", 0, len(shapes) - 1)
    kind = _choice(obj["kind"], "kind", ("W", "b"))
    rows, cols = shapes[layer]
    if kind == "b":  # a bias belongs to a unit of the layer's output: `row` is that unit
        return layer, kind, _integer(obj["row"], "row", 0, cols - 1), 0, _number(obj["value"], "value", -100, 100)
    row = _integer(obj["row"], "row", 0, rows - 1)
    col = _integer(obj.get("col"), "col", 0, cols - 1)
    return layer, kind, row, col, _number(obj["value"], "value", -100.0, 100.0)


def parse_point(point, label, problem: str) -> tuple[list[float], float]:
    """One sample for /api/backprop: ``point`` = [x1, x2] in the data square, ``label`` 0/1 (or [-1, 1])."""
    r = LIMITS["classification_range"]
    if not isinstance(point, list) or len(point) != 2:
        raise RequestError(f"`point` must be a list [x1, x2], got {point!r}"[:200])
    xy = [_number(v, f"point[{i}]", -r, r) for i, v in enumerate(point)]
    if problem == "regression":
        return xy, _number(label, "label", -1.0, 1.0)
    return xy, float(_integer(label, "label", 0, 1))


def parse_steps(value) -> int:
    """Number of training steps (epochs) for one request."""
    return _integer(value, "steps", 1, LIMITS["max_steps"])


def options() -> dict:
    """Everything the page needs to build its controls: choices, defaults and limits."""
    return {
        "limits": dict(LIMITS), "modes": list(MODES), "regression_models": list(REGRESSION_MODELS),
        "activations": list(ACTIVATIONS), "optimizers": list(OPTIMIZERS), "datasets": list(DATASETS),
        "features": list(FEATURES), "regularizations": list(REGULARIZATIONS), "problems": list(PROBLEMS),
        "problem_datasets": {k: list(v) for k, v in PROBLEM_DATASETS.items()},
        "defaults": {m: dict(d) for m, d in DEFAULTS.items()},
    }
