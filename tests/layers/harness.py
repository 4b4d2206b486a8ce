"""``check_layer``: what every registered layer must pass (Keras's ``run_layer_test``), and the sample inputs.

A new layer is picked up by ``test_every_layer.py`` through ``nerve.layers.registry()``; if its constructor
needs arguments or it wants a special input shape, add an entry to ``SPECS`` below.
"""

from __future__ import annotations

import numpy as np

import nerve
import nerve.keras  # noqa: F401  (registers nerve.keras's layers, so they are checked in every run)
from nerve.gradcheck import check_gradients

__all__ = ["SPECS", "Spec", "registered_layers", "spec_for", "check_layer"]

IMAGES = (2, 3, 6, 6)  # (N, C, H, W)


class Spec:
    """How to make one layer and feed it: constructor ``kwargs`` and the batch ``shape`` of its input."""

    def __init__(self, kwargs=None, shape=(4, 5), gradcheck=True, tolerance=1e-6, away_from_zero=False):
        self._kwargs = kwargs if callable(kwargs) else dict(kwargs or {})
        self.shape = tuple(shape)
        self.gradcheck, self.tolerance = gradcheck, tolerance
        # NOTE: kinks at 0 (ReLU, pooling ties) make central differences wrong there; keep inputs off them.
        self.away_from_zero = away_from_zero

    @property
    def kwargs(self) -> dict:
        """The constructor arguments; a callable spec gives fresh ones (containers take layer instances)."""
        return self._kwargs() if callable(self._kwargs) else self._kwargs

    def sample(self, dtype, seed=0) -> np.ndarray:
        x = np.random.default_rng(seed).standard_normal(self.shape)
        if self.away_from_zero:
            x = np.sign(x) * (0.1 + np.abs(x))
        return x.astype(dtype)


SPECS: dict[str, Spec] = {
    "Dense": Spec({"units": 3}),
    "Reshape": Spec({"target_shape": [-1, 1]}),  # -1: the size Reshape must work out
    "Step": Spec(gradcheck=False),  # derivative 0 wherever it exists; numerically a spike at 0
    "ReLU": Spec(away_from_zero=True),
    "LeakyReLU": Spec(away_from_zero=True),
    "PReLU": Spec(away_from_zero=True),
    "ELU": Spec(away_from_zero=True),
    "Dropout": Spec({"rate": 0.3}),
    "BatchNorm": Spec(shape=IMAGES, tolerance=1e-5),
    "Conv2D": Spec({"filters": 2, "kernel_size": 3, "padding": 1}, shape=IMAGES),
    "MaxPool2D": Spec({"pool_size": 2}, shape=IMAGES),
    "AvgPool2D": Spec({"pool_size": 2}, shape=IMAGES),
    "GlobalAvgPool2D": Spec(shape=IMAGES),
    "KMaxPool": Spec({"k": 2}, shape=(4, 3, 5)),  # (batch, rows, length): pooling runs along the last axis
    "KMaxPool2D": Spec({"k": 2, "pool_size": 2, "stride": 1}, shape=IMAGES),
    # nerve.keras's layers (registered as keras.<Name>; channels-first inside, as a nerve model feeds them)
    "keras.Conv2D": Spec({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, shape=IMAGES),
    "keras.MaxPooling2D": Spec({"pool_size": 2, "strides": 2, "padding": "same"}, shape=(2, 3, 5, 5)),
    "keras.AveragePooling2D": Spec({"pool_size": 2, "strides": 1, "padding": "same"}, shape=IMAGES),
    "keras.Dense": Spec({"units": 3, "activation": "tanh"}),
    "keras.Activation": Spec({"activation": "sigmoid"}),
    "keras.Dropout": Spec({"rate": 0.3}),
    "keras.BatchNormalization": Spec(shape=IMAGES, tolerance=1e-5),
    "keras.ToChannelsFirst": Spec(shape=IMAGES),
    "Sequential": Spec(lambda: {"layers": [nerve.layers.Dense(3), nerve.layers.Tanh(), nerve.layers.Dense(2)]}),
    "Residual": Spec(lambda: {"layers": [nerve.layers.Dense(3), nerve.layers.Tanh()],
                              "projection": nerve.layers.Dense(3)}),
}


def registered_layers() -> list[type]:
    """The public layer classes nerve registers (whatever form ``registry()`` returns them in)."""
    found = nerve.layers.registry()
    classes = found.values() if isinstance(found, dict) else found
    return sorted((c for c in classes if c.__module__.startswith("nerve.") and not c.__name__.startswith("_")),
                  key=lambda c: c.registered_name())


def spec_for(cls) -> Spec:
    return SPECS.get(cls.registered_name(), Spec())


def _make(cls, spec):
    try:
        return cls(**spec.kwargs)
    except TypeError as e:
        raise AssertionError(
            f"{cls.__name__}() cannot be built with {spec.kwargs} ({e}); add "
            f'"{cls.__name__}": Spec({{...constructor arguments...}}, shape=(batch, ...)) to SPECS in '
            f"tests/layers/harness.py") from None


def check_layer(cls) -> None:
    """Every check in turn; the assertion message says which failed."""
    spec = spec_for(cls)
    hint = f' (sample input: SPECS["{cls.__name__}"] in tests/layers/harness.py)'
    try:
        _check_float32(cls, spec)
        _check_gradients(cls, spec)
        _check_config_round_trip(cls, spec)
        _check_save_load(cls, spec)
        _check_bad_input_names_the_layer(cls, spec)
    except (ValueError, TypeError, RuntimeError) as e:
        raise AssertionError(f"{cls.__name__} failed on its sample input {spec.shape}: {e}{hint}") from e


def _check_float32(cls, spec):
    layer = _make(cls, spec)
    x = spec.sample(np.float32)
    y = layer.forward(x, training=True)
    assert y.dtype == np.float32, f"{cls.__name__}: float32 in gave {y.dtype} out"
    assert tuple(layer.output_shape) == y.shape[1:], \
        f"{cls.__name__}: compute_output_shape says {layer.output_shape}, forward gave samples of {y.shape[1:]}"
    dx = layer.backward(np.ones_like(y))
    assert dx.dtype == np.float32, f"{cls.__name__}: float32 dout gave a {dx.dtype} dx"
    made = {k: v.shape for k, v in {**layer.params, **layer.state}.items()}
    declared = layer.weight_shapes(layer.input_shape)
    assert declared is None or {k: tuple(v) for k, v in declared.items()} == made, \
        f"{cls.__name__}: weight_shapes() says {declared}, build made {made}"
    for key in (*layer.params, *layer.grads, *layer.state):
        arrays = {**layer.params, **layer.state} if key not in layer.grads else layer.grads
        assert arrays[key].dtype == np.float32, f"{cls.__name__}: {key} is {arrays[key].dtype}, not float32"


def _check_gradients(cls, spec):
    if not spec.gradcheck:
        return
    with nerve.default_dtype(np.float64):
        layer = _make(cls, spec)
        x = spec.sample(np.float64)
        layer.forward(x, training=True)  # build, then give parameters values away from their initial zeros
        for p in layer.params.values():
            p += np.random.default_rng(1).uniform(0.1, 0.5, p.shape)
        worst, errors = check_gradients(layer, x, return_details=True)
    assert worst < spec.tolerance, f"{cls.__name__}: gradient check relative errors {errors}"


def _same_outputs(a, b, x, name):
    np.testing.assert_array_equal(a.forward(x), b.forward(x), err_msg=f"{name}: a copy predicts differently")


def _check_config_round_trip(cls, spec):
    layer = _make(cls, spec)
    x = spec.sample(np.float32)
    layer.forward(x, training=True)
    config = layer.get_config()
    clone = cls.from_config(config)
    assert clone.get_config() == config, f"{cls.__name__}: get_config() does not rebuild the same layer"
    clone.forward(x)
    for store in ("params", "state"):
        mine, theirs = getattr(layer, store), getattr(clone, store)
        assert mine.keys() == theirs.keys(), f"{cls.__name__}: a clone from the config has {store} {list(theirs)}"
        for key, value in mine.items():
            theirs[key][...] = value
    _same_outputs(layer, clone, x, cls.__name__)


def _check_save_load(cls, spec, tmp_dir=None):
    import tempfile
    from pathlib import Path

    layer = _make(cls, spec)
    model = nerve.Sequential([layer], input_shape=spec.shape[1:])
    for p in model.params.values():
        p += 0.25  # not the initial values: a file that lost them would show
    for s in model.state.values():
        s += 0.5
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "layer.npz"
        model.save(path)
        loaded = nerve.load_model(path)
    assert [type(lay) for lay in loaded.layers] == [cls], f"{cls.__name__}: the file rebuilt {loaded.layers}"
    for store in ("params", "state"):
        for key, value in getattr(model, store).items():
            np.testing.assert_array_equal(getattr(loaded, store)[key], value, err_msg=f"{cls.__name__}: {key}")
    x = spec.sample(np.float32)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x), err_msg=f"{cls.__name__}: after loading")


def _raises_naming(cls, fn, what):
    try:
        fn()
    except (ValueError, RuntimeError) as e:
        assert cls.__name__ in str(e), f"{cls.__name__}: the error for {what} does not name the layer: {e}"
        return
    raise AssertionError(f"{cls.__name__}: {what} raised no error")


def _check_bad_input_names_the_layer(cls, spec):
    layer = _make(cls, spec)
    x = spec.sample(np.float32)
    _raises_naming(cls, lambda: layer.backward(np.ones((2, 3), np.float32)), "backward before forward")
    y = layer.forward(x, training=True)
    wrong = np.ones((y.shape[0] + 1, *y.shape[1:]), np.float32)
    _raises_naming(cls, lambda: layer.backward(wrong), f"a dout of shape {wrong.shape} after an output of {y.shape}")
    bigger = np.ones((x.shape[0], *(d + 1 for d in x.shape[1:])), np.float32)
    _raises_naming(cls, lambda: layer.forward(bigger), f"an input of shape {bigger.shape} after {x.shape}")
    layer.backward(np.ones_like(y))  # the errors left the layer usable
