"""Request checks: defaults filled in, every bad value refused with a message naming the field."""

from __future__ import annotations

import pytest

from nerve.playground.validation import (
    DEFAULTS,
    RequestError,
    decode_json,
    parse_config,
    parse_session_id,
    parse_steps,
)


def test_defaults_fill_missing_fields_and_features_come_in_canonical_order():
    c = parse_config({"mode": "classification", "features": ["sin_x1", "x1"]})
    assert c["features"] == ["x1", "sin_x1"]
    assert {k: v for k, v in c.items() if k != "features"} == \
        {k: v for k, v in DEFAULTS["classification"].items() if k != "features"}
    assert parse_config({"mode": "regression"}) == DEFAULTS["regression"]


def test_defaults_are_not_shared_between_configs():
    a = parse_config({"mode": "regression"})
    a["points"].append([0.0, 0.0])
    assert parse_config({"mode": "regression"})["points"] == []


@pytest.mark.parametrize("config, fragment", [
    ({"mode": "regression", "degree": 6}, "degree"),
    ({"mode": "regression", "degree": 2.0}, "degree"),
    ({"mode": "regression", "model": "cubic"}, "model"),
    ({"mode": "regression", "learning_rate": 0}, "learning_rate"),
    ({"mode": "regression", "learning_rate": 11}, "learning_rate"),
    ({"mode": "regression", "learning_rate": "0.1"}, "learning_rate"),
    ({"mode": "regression", "learning_rate": 1e400}, "finite"),
    ({"mode": "regression", "points": [[0.1]]}, "points[0]"),
    ({"mode": "regression", "points": [[0.1, True]]}, "points[0][1]"),
    ({"mode": "regression", "points": {"x": 1}}, "points"),
    ({"mode": "classification", "points": [[1.0, 2.0, 2]]}, "label"),
    ({"mode": "classification", "points": [[7.0, 2.0, 1]]}, "points[0][0]"),
    ({"mode": "classification", "hidden": [0]}, "hidden[0]"),
    ({"mode": "classification", "hidden": "4,4"}, "hidden"),
    ({"mode": "classification", "activation": "swish"}, "activation"),
    ({"mode": "classification", "optimizer": "lbfgs"}, "optimizer"),
    ({"mode": "classification", "features": []}, "features"),
    ({"mode": "classification", "features": ["x1", "x1"]}, "twice"),
    ({"mode": "classification", "features": ["x3"]}, "features[0]"),
    ({"mode": "classification", "noise": 0.6}, "noise"),
    ({"mode": "classification", "train_ratio": 1.0}, "train_ratio"),
    ({"mode": "classification", "n_samples": 2001}, "n_samples"),
    ({"mode": "classification", "batch_size": 0}, "batch_size"),
    ({"mode": "classification", "regularization": "l3"}, "regularization"),
    ({"mode": "classification", "regularization_rate": -0.1}, "regularization_rate"),
    ({"mode": "classification", "seed": -1}, "seed"),
    ({"mode": "classification", "model": "line"}, "unknown field"),
    ({}, "mode"),
])
def test_bad_values_are_refused_naming_the_field(config, fragment):
    with pytest.raises(RequestError) as err:
        parse_config(config)
    assert err.value.status == 400
    assert fragment in err.value.message


def test_non_object_config_is_refused():
    with pytest.raises(RequestError, match="JSON object"):
        parse_config([1, 2])


def test_steps_and_session_ids():
    assert parse_steps(1) == 1 and parse_steps(1000) == 1000
    for bad in (0, 1001, -3, 2.0, None, "5"):
        with pytest.raises(RequestError, match="steps"):
            parse_steps(bad)
    assert parse_session_id("abcDEF123_-abcDEF123_") == "abcDEF123_-abcDEF123_"
    for bad in ("short", "x" * 65, "../../../../etc/passwd", 42, None):
        with pytest.raises(RequestError, match="session"):
            parse_session_id(bad)


def test_decode_json_refuses_constants_and_non_objects():
    assert decode_json(b'{"a": 1}') == {"a": 1}
    for raw in (b'{"a": NaN}', b'{"a": -Infinity}', b"3", b"\xff"):
        with pytest.raises(RequestError):
            decode_json(raw)
