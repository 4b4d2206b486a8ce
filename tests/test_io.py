"""Model files: round trips, resuming training, atomic writes and clear errors for damaged files."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

import nerve
from nerve import schedules
from nerve.io import FORMAT_VERSION, read_document, read_npz
from nerve.layers import BatchNorm, Dense, Dropout, ReLU
from nerve.optimizers import SGD, Adam


def _model(optimizer=None, units=3):
    model = nerve.Sequential([Dense(16), BatchNorm(), ReLU(), Dropout(0.2), Dense(units)], input_shape=(4,))
    model.compile(optimizer or Adam(lr=schedules.ExponentialDecay(0.01, 0.99)), "softmax_cross_entropy",
                  metrics=["accuracy"], l2=1e-3)
    return model


@pytest.fixture
def data():
    gen = np.random.default_rng(1)
    x = gen.standard_normal((60, 4)).astype(np.float32)
    t = (x[:, 0] + x[:, 1] > 0).astype(np.int64) + (x[:, 2] > 1)
    return x, t


@pytest.fixture
def trained(data):
    nerve.seed(0)
    model = _model()
    model.fit(data[0], data[1], epochs=2, batch_size=16, verbose=0)
    return model


def _rewrite(path, change):
    """Load every array of an .npz (document decoded), let ``change(doc, arrays)`` edit them, save again."""
    arrays = read_npz(path, "test")
    doc = json.loads(arrays.pop("__nerve__").tobytes())
    change(doc, arrays)
    arrays["__nerve__"] = np.frombuffer(json.dumps(doc).encode(), dtype=np.uint8)
    np.savez(path, **arrays)


def _npy(descr: str, shape: tuple, payload: bytes) -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (63 - (10 + len(header)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + payload


def test_loaded_model_predicts_identically_and_keeps_everything(trained, data, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path, class_names=["a", "b", "c"], preprocessing={"scale": 0.5}, note="hello")
    loaded = nerve.load_model(path)
    np.testing.assert_array_equal(loaded.predict(data[0]), trained.predict(data[0]))
    assert loaded.class_names == ["a", "b", "c"] and loaded.preprocessing == {"scale": 0.5}
    assert loaded.metadata == {"note": "hello"} and loaded.epochs_trained == 2
    assert loaded.input_shape == (4,) and list(loaded.metrics) == ["accuracy"] and loaded.l2 == 1e-3
    assert type(loaded.optimizer) is Adam and loaded.optimizer.iterations == trained.optimizer.iterations == 8
    assert isinstance(loaded.optimizer.lr, schedules.ExponentialDecay)
    assert loaded.optimizer.current_lr == trained.optimizer.current_lr
    for slot, per in trained.optimizer.slots.items():
        for key, value in per.items():
            np.testing.assert_array_equal(loaded.optimizer.slots[slot][key], value)
    for key, value in trained.state.items():  # BatchNorm running statistics
        np.testing.assert_array_equal(loaded.state[key], value)
    doc = read_document(path)
    assert doc["format_version"] == FORMAT_VERSION and doc["nerve_version"] == nerve.__version__


def test_file_is_read_without_pickle(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    with np.load(path, allow_pickle=False) as data:  # plain numeric arrays only
        assert all(data[k].dtype.kind in "uif" for k in data.files)


def test_resume_gives_the_same_weights_as_one_run(data, tmp_path):
    x, t = data
    nerve.seed(7)
    straight = _model()
    straight.fit(x, t, epochs=5, batch_size=16, verbose=0)

    nerve.seed(7)
    first = _model()
    first.fit(x, t, epochs=2, batch_size=16, verbose=0)
    first.save(tmp_path / "half.npz")
    nerve.seed(12345)  # a new process would not know the generator's state: the file does
    resumed = nerve.load_model(tmp_path / "half.npz", restore_rng=True)
    resumed.fit(x, t, epochs=5, initial_epoch=resumed.epochs_trained, batch_size=16, verbose=0)
    for key, value in straight.params.items():
        np.testing.assert_array_equal(resumed.params[key], value)
    assert resumed.optimizer.iterations == straight.optimizer.iterations == 20


def test_float_learning_rate_and_optimizer_settings_round_trip(data, tmp_path):
    model = _model(SGD(lr=0.037))
    model.fit(*data, epochs=1, verbose=0)
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz")
    assert type(loaded.optimizer) is SGD and loaded.optimizer.lr == 0.037
    adam = _model(Adam(lr=0.002, beta1=0.8))
    adam.save(tmp_path / "a.npz")
    loaded = nerve.load_model(tmp_path / "a.npz").optimizer
    assert (loaded.lr, loaded.beta1, loaded.beta2) == (0.002, 0.8, 0.999)


def test_plateau_schedule_state_survives_a_save(data, tmp_path):
    x, t = data
    plateau = schedules.ReduceOnPlateau(0.1, factor=0.5, patience=0)
    for loss in (1.0, 2.0, 3.0):
        plateau.step(loss)
    model = _model(SGD(lr=plateau))
    model.fit(x, t, epochs=1, verbose=0)
    model.save(tmp_path / "m.npz")
    restored = nerve.load_model(tmp_path / "m.npz").optimizer.lr
    assert restored.state_dict() == plateau.state_dict() and restored(0) == 0.025


def test_lambda_schedule_is_replaced_by_its_current_rate_with_a_warning(data, tmp_path):
    model = _model(SGD(lr=schedules.LambdaDecay(0.2, lambda step: 0.5)))
    model.fit(*data, epochs=1, verbose=0)
    with pytest.warns(UserWarning, match="not saved"):
        model.save(tmp_path / "m.npz")
    assert nerve.load_model(tmp_path / "m.npz").optimizer.lr == pytest.approx(0.1)


def test_weights_round_trip_and_json_architecture(trained, data, tmp_path):
    trained.save_weights(tmp_path / "w.npz")
    clone = nerve.model_from_json(trained.to_json())
    assert nerve.model_from_json(clone.to_json()).get_config() == trained.get_config()
    clone.load_weights(tmp_path / "w.npz")
    np.testing.assert_array_equal(clone.predict(data[0]), trained.predict(data[0]))
    with pytest.raises(ValueError, match="weights file"):
        nerve.load_model(tmp_path / "w.npz")


def test_mismatched_weights_load_nothing(trained, tmp_path):
    trained.save_weights(tmp_path / "w.npz")
    nerve.seed(0)
    other = _model(units=5)  # same layer names, last layer wider
    before = {k: v.copy() for k, v in other.params.items()}
    with pytest.raises(ValueError, match=r"dense_2/W.*shape"):
        other.load_weights(tmp_path / "w.npz")
    for key, value in other.params.items():
        np.testing.assert_array_equal(value, before[key])


def test_a_crash_while_saving_keeps_the_old_file(trained, tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    trained.save(path)
    before = path.read_bytes()

    def crash(file, **arrays):
        file.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(KeyboardInterrupt):
        trained.save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.npz"]


def test_truncated_file_is_a_clear_error(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match="load_model: .*(truncated|corrupted)"):
        nerve.load_model(path)


def test_flipped_byte_is_caught_by_the_checksum(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("params/dense_1/W.npy")
    raw[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF  # inside the array data
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="load_model"):
        nerve.load_model(path)


def test_not_a_model_file(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_text("not a zip at all")
    with pytest.raises(ValueError, match="not a readable .npz"):
        nerve.load_model(path)
    np.savez(tmp_path / "plain.npz", a=np.zeros(3))
    with pytest.raises(ValueError, match="no nerve document"):
        nerve.load_model(tmp_path / "plain.npz")
    with pytest.raises(FileNotFoundError):
        nerve.load_model(tmp_path / "missing.npz")


@pytest.mark.parametrize("bad_class", ["Lambda", "os.system", "__import__", "eval"])
def test_unknown_layer_type_is_rejected_by_name(trained, tmp_path, bad_class):
    path = tmp_path / "model.npz"
    trained.save(path)
    _rewrite(path, lambda doc, arrays: doc["model"]["layers"][2].update({"class": bad_class}))
    with pytest.raises(ValueError, match="unknown type"):
        nerve.load_model(path)


def test_unknown_optimizer_or_loss_is_rejected(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    _rewrite(path, lambda doc, arrays: doc["compile"]["optimizer"].update({"class": "exec"}))
    with pytest.raises(ValueError, match="optimizer"):
        nerve.load_model(path)
    assert nerve.load_model(path, compile=False).optimizer is None


def test_missing_and_misshapen_arrays(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)

    def drop(doc, arrays):
        del arrays["params/dense_2/b"]
        del doc["arrays"]["params/dense_2/b"]

    _rewrite(path, drop)
    with pytest.raises(ValueError, match="missing.*dense_2/b"):
        nerve.load_model(path)
    trained.save(path)

    def reshape(doc, arrays):
        arrays["params/dense_2/b"] = np.zeros(7, np.float32)
        doc["arrays"]["params/dense_2/b"]["shape"] = [7]

    _rewrite(path, reshape)
    with pytest.raises(ValueError, match=r"dense_2/b.*\(7,\)"):
        nerve.load_model(path)


def test_absurd_declared_size_is_refused_before_allocating(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    with zipfile.ZipFile(path, "a") as zf:  # 10^15 float64 = 8 PB, with 16 bytes of data
        zf.writestr("params/huge.npy", _npy("<f8", (10**15,), b"\0" * 16))
    with pytest.raises(ValueError, match="declares shape"):
        nerve.load_model(path)


def test_object_arrays_are_refused(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("params/pickled.npy", _npy("|O", (1,), b"\x80\x04N."))
    with pytest.raises(ValueError, match="only numeric arrays"):
        nerve.load_model(path)


def test_newer_format_version_asks_to_upgrade(trained, tmp_path):
    path = tmp_path / "model.npz"
    trained.save(path)
    _rewrite(path, lambda doc, arrays: doc.update({"format_version": FORMAT_VERSION + 1}))
    with pytest.raises(ValueError, match="upgrade nerve"):
        nerve.load_model(path)


def test_unbuilt_model_cannot_be_saved(tmp_path):
    with pytest.raises(ValueError, match="not built"):
        nerve.Sequential([Dense(2)]).save(tmp_path / "m.npz")


def test_metadata_must_be_json(trained, tmp_path):
    with pytest.raises(ValueError, match="JSON"):
        trained.save(tmp_path / "m.npz", bad=object())
    assert not (tmp_path / "m.npz").exists()


@pytest.mark.parametrize("name", ["two_layer_net", "simple_conv_net", "deep_conv_net", "lenet5", "vgg_small"])
def test_every_zoo_model_round_trips(name, tmp_path):
    from nerve import zoo

    nerve.seed(0)
    model = zoo.get(name)()
    model.compile("adam", "softmax_cross_entropy")
    x = np.random.default_rng(0).random((2, *model.input_shape)).astype(np.float32)
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz")
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
