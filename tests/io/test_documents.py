"""Forged or damaged model documents: clear errors that name the file and the field, before any allocation."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nerve
from nerve.cli import main
from nerve.io import read_npz
from nerve.layers import BatchNorm, Dense, ReLU


@pytest.fixture
def saved(tmp_path):
    model = nerve.Sequential([Dense(5), BatchNorm(), ReLU(), Dense(3)], input_shape=(4,))
    model.compile("adam", "softmax_cross_entropy")
    model.train_on_batch(np.ones((2, 4), np.float32), np.array([0, 1]))
    path = tmp_path / "model.npz"
    model.save(path)
    return path


def _rewrite_text(path, change):
    """Let ``change(text)`` edit the document's JSON text, keep every array."""
    arrays = read_npz(path, "test")
    text = change(arrays.pop("__nerve__").tobytes().decode())
    np.savez(path, __nerve__=np.frombuffer(text.encode(), dtype=np.uint8), **arrays)


def _edit(path, change):
    def apply(text):
        doc = json.loads(text)
        change(doc)
        return json.dumps(doc)

    _rewrite_text(path, apply)


def test_a_deeply_nested_document_is_a_clear_error(saved):
    _rewrite_text(saved, lambda text: text[:-1] + ', "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ValueError, match=r"load_model: .*model\.npz.*corrupted document.*nested"):
        nerve.load_model(saved)


def test_a_document_nested_past_the_limit_names_the_field(saved):
    _rewrite_text(saved, lambda text: text[:-1] + ', "preprocessing": ' + "[" * 200 + "]" * 200 + "}")
    with pytest.raises(ValueError, match=r"model\.npz.*'preprocessing'.*nested more than"):
        nerve.load_model(saved)


def test_summary_of_a_deeply_nested_file_prints_the_error_not_a_traceback(saved, capsys):
    _rewrite_text(saved, lambda text: text[:-1] + ', "metadata": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert main(["summary", str(saved)]) != 0
    err = capsys.readouterr().err
    assert "nested" in err and "Traceback" not in err


def test_model_from_json_refuses_deep_nesting():
    with pytest.raises(ValueError, match="model_from_json"):
        nerve.model_from_json("[" * 100_000 + "]" * 100_000)


def test_a_huge_layer_beside_small_arrays_is_refused_before_building(saved, monkeypatch):
    _edit(saved, lambda doc: doc["model"]["layers"][0]["config"].update({"units": 25_000_000}))

    def no_build(self, input_shape):
        raise AssertionError(f"{self} was built")

    monkeypatch.setattr(Dense, "build", no_build)
    with pytest.raises(ValueError, match=r"model\.npz.*Dense\(units=25000000.*dense_1/W.*\(4, 25000000\).*\(4, 5\)"):
        nerve.load_model(saved)


def test_a_huge_input_shape_is_refused_before_building(saved, monkeypatch):
    _edit(saved, lambda doc: doc["model"].update({"input_shape": [10**9]}))
    monkeypatch.setattr(Dense, "build", lambda self, shape: pytest.fail(f"{self} was built"))
    with pytest.raises(ValueError, match=r"dense_1/W.*\(1000000000, 5\)"):
        nerve.load_model(saved)


@pytest.mark.parametrize("epochs", ["three", -1, 2.5, True, [1]])
def test_a_bad_epochs_field_names_the_file_and_the_field(saved, epochs):
    _edit(saved, lambda doc: doc["training"].update({"epochs": epochs}))
    with pytest.raises(ValueError, match=r"model\.npz.*'training\.epochs'"):
        nerve.load_model(saved)


@pytest.mark.parametrize("state", [{"bit_generator": "MT19937"}, [1, 2], "x", {"state": 3}])
def test_a_bad_rng_state_field_names_the_file_and_the_field(saved, state):
    _edit(saved, lambda doc: doc["training"].update({"rng_state": state}))
    assert nerve.load_model(saved).built  # only resuming needs the generator's state
    with pytest.raises(ValueError, match=r"model\.npz.*'training\.rng_state'"):
        nerve.load_model(saved, restore_rng=True)


def _rewrite_array(path, key, value):
    arrays = read_npz(path, "test")
    arrays[key] = value
    np.savez(path, **arrays)


def test_the_document_s_array_list_is_checked_on_every_read(saved):
    # read_document builds nothing, so these checks are the only ones between a forged file and its reader
    w = read_npz(saved, "test")["params/dense_1/W"]
    _rewrite_array(saved, "params/dense_1/W", w[:, :4].copy())
    with pytest.raises(ValueError, match=r"^read_document: .*model\.npz: array 'params/dense_1/W' has shape \(4, 4\), "
                                         r"the document says \[4, 5\]"):
        nerve.io.read_document(saved)
    _rewrite_array(saved, "params/dense_1/W", w.astype(np.float64))
    with pytest.raises(ValueError, match=r"^read_document: .*: array 'params/dense_1/W' has dtype float64, "
                                         r"the document says float32"):
        nerve.io.read_document(saved)
    arrays = read_npz(saved, "test")
    del arrays["params/dense_1/W"]
    np.savez(saved, **arrays)
    with pytest.raises(ValueError, match=r"^read_document: .*model\.npz is missing array 'params/dense_1/W'"):
        nerve.io.read_document(saved)


def test_the_loss_s_settings_and_the_weight_decay_survive_a_save(tmp_path):
    from nerve.losses import MSE

    model = nerve.Sequential([Dense(2)], input_shape=(3,))
    model.compile("sgd", MSE(reduction="sum_half"), l1=0.01, l2=0.02)
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz")
    assert loaded.loss_fn.get_config() == model.loss_fn.get_config() and loaded.loss_fn.reduction == "sum_half"
    assert (loaded.l1, loaded.l2) == (0.01, 0.02)


@pytest.mark.parametrize("change, message", [
    (lambda text: "[1, 2]", "is not a nerve model or weights file"),
    (lambda text: text.replace('"format_version": 1', '"format_version": 0'), "has an invalid format_version 0"),
    (lambda text: text.replace('"format_version": 1', '"format_version": "1"'), "has an invalid format_version '1'"),
])
def test_documents_that_are_not_what_they_claim_are_refused(saved, change, message):
    _rewrite_text(saved, change)
    with pytest.raises(ValueError, match=r"^load_model: .*model\.npz " + message):
        nerve.load_model(saved)


def test_a_document_array_that_is_not_bytes_is_malformed(saved):
    arrays = read_npz(saved, "test")
    arrays["__nerve__"] = arrays["__nerve__"].astype(np.int32)  # still one dimension, the wrong dtype
    np.savez(saved, **arrays)
    with pytest.raises(ValueError, match=r"^load_model: .*model\.npz has a malformed document$"):
        nerve.load_model(saved)


def test_a_model_field_that_is_not_an_object_is_refused(saved):
    _edit(saved, lambda doc: doc.update(model=[]))
    with pytest.raises(ValueError, match=r"^load_model: .*model\.npz"):
        nerve.load_model(saved)
