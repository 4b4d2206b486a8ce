"""The explicit layer registry: what model files may name, and how users add their own layers."""

import json

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve import layers as L
from nerve.layers.registry import MAX_NESTING


class Scale(L.Layer):
    """y = s·x with one trainable scalar (a user's layer)."""

    def build(self, input_shape):
        super().build(input_shape)
        self.params["s"] = np.full((1,), 2.0, dtype=nerve.floatx())
        self.grads["s"] = np.zeros_like(self.params["s"])

    def forward(self, x, training=False):
        self.x = self._prepare(x)
        return self.x * self.params["s"]

    def backward(self, dout):
        self.grads["s"][...] = np.sum(dout * self.x)
        return dout * self.params["s"]


@pytest.fixture
def registered_scale():
    L.register(Scale)
    yield Scale
    L.unregister("Scale")


def test_the_registry_holds_the_public_layers_and_no_private_base():
    known = L.registry()
    for name in ("Dense", "Conv2D", "MaxPool2D", "BatchNorm", "Residual", "Sequential", "GlobalAvgPool2D"):
        assert known[name].__name__ == name
    assert not [name for name in known if name.startswith("_")]
    assert "_Pool2D" not in known and "Layer" not in known and "Container" not in known
    assert all(getattr(L, name) is cls for name, cls in known.items()
               if cls.__module__.startswith("nerve.layers"))


def test_a_subclass_is_not_loadable_just_by_existing():
    class Dense(L.Dense):  # a user's class that happens to share a name
        pass

    assert L.registry()["Dense"] is L.Dense
    model = Sequential([Dense(2)], input_shape=(3,))
    with pytest.raises(ValueError, match="not registered.*nerve.layers.register"):
        model.to_json()
    bad = json.dumps({"class": "Sequential", "layers": [{"class": "_Pool2D", "config": {}}]})
    with pytest.raises(ValueError, match=r"layer 0: unknown type '_Pool2D'; known layers: \[.*'Dense'"):
        nerve.model_from_json(bad)


def test_loading_a_file_with_an_unregistered_layer_names_it(tmp_path, registered_scale):
    model = Sequential([L.Dense(2), Sequential([Scale()], name="block")], input_shape=(3,))
    model.save(tmp_path / "m.npz")
    L.unregister("Scale")
    try:
        with pytest.raises(ValueError, match="layer 1: Sequential: layer 0: unknown type 'Scale'.*register"):
            nerve.load_model(tmp_path / "m.npz")
    finally:
        L.register(Scale)


def test_a_registered_user_layer_saves_and_loads(tmp_path, registered_scale):
    model = Sequential([L.Dense(2), Scale()], input_shape=(3,))
    model.params["scale_1/s"][...] = 3.0
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz")
    assert type(loaded.layers[1]) is Scale and loaded.params["scale_1/s"][0] == 3.0
    x = np.ones((2, 3), dtype=np.float32)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert isinstance(L.get("scale"), Scale)


def test_register_refuses_taken_names_and_non_layers():
    class Other(L.Layer):
        pass

    with pytest.raises(ValueError, match="'Dense' is already taken"):
        L.register(Other, name="Dense")
    with pytest.raises(TypeError, match="expected a Layer subclass"):
        L.register(int)
    assert L.register(L.Dense) is L.Dense  # registering the same class again is harmless
    decorated = L.register(name="OtherLayer")(Other)
    try:
        assert decorated is Other and L.registry()["OtherLayer"] is Other
    finally:
        L.unregister("OtherLayer")
    with pytest.raises(KeyError, match="no layer is registered as 'OtherLayer'"):
        L.unregister("OtherLayer")


def test_get_finds_registered_layers_by_any_spelling():
    assert isinstance(L.get("max_pool2d", pool_size=2), L.MaxPool2D)
    assert isinstance(L.get("LeakyReLU"), L.LeakyReLU)
    with pytest.raises(ValueError, match="Could not interpret layer identifier: 'pool2d'"):
        L.get("pool2d")


def test_configs_nested_too_deeply_are_refused():
    config = {"class": "Sequential", "layers": [{"class": "Dense", "config": {"units": 1}}]}
    for _ in range(MAX_NESTING + 1):
        config = {"class": "Sequential", "layers": [{"class": "Sequential", "config": config}]}
    with pytest.raises(ValueError, match="nest more than"):
        nerve.model.model_from_config(config)


def test_a_nerve_keras_layer_in_a_file_says_to_import_nerve_keras_when_it_is_not_loaded():
    import subprocess
    import sys

    code = ("import nerve\n"
            "try:\n"
            "    nerve.layers.deserialize({'class': 'keras.Conv2D', 'config': {}})\n"
            "except ValueError as e:\n"
            "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert "unknown type 'keras.Conv2D'" in out and "`import nerve.keras` first" in out


def test_a_layer_s_own_weight_decay_survives_its_config_and_a_model_file(tmp_path):
    dense = L.Dense(3, l1=0.01, l2=0.02)
    twin = L.Dense.from_config(dense.get_config())
    assert (twin.l1, twin.l2) == (0.01, 0.02)
    model = Sequential([dense], input_shape=(2,))
    model.compile("sgd", "mse")
    model.save(tmp_path / "m.npz")
    loaded = nerve.load_model(tmp_path / "m.npz").layers[0]
    assert (loaded.l1, loaded.l2) == (0.01, 0.02)
