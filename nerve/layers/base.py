"""The Layer contract: ``params``/``grads`` dicts, lazy ``build``, ``forward``/``backward``."""

from __future__ import annotations

import copy
import functools
import re

import numpy as np

from ..backend import device_of, floatx, get_array_module, to_device
from ..validation import Satisfies, check_param

__all__ = ["Layer"]


def _snake(name: str) -> str:
    """Class name to layer name: Dense -> dense, LeakyReLU -> leaky_relu, MaxPool2D -> max_pool2d."""
    name = re.sub("ReLU|ELU", lambda m: m.group(0).capitalize(), name)
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower()


_LAYER_NAME = Satisfies(lambda s: isinstance(s, str) and s and "/" not in s, "a non-empty string without '/'")


def _recording_forward(forward):
    @functools.wraps(forward)
    def wrapper(self, x, *args, **kwargs):
        y = forward(self, x, *args, **kwargs)
        if type(self).forward is wrapper:  # the outermost forward: a subclass's super().forward records nothing
            training = bool(kwargs.get("training", args[0] if args else False))
            # NOTE: an inference forward (a validation batch) between a training forward and its backward
            # must not move the shape backward expects: backward uses the training forward's cache.
            if training or not self.forward_was_training:
                self.forward_shape, self.forward_was_training = getattr(y, "shape", None), training
        return y

    return wrapper


def _checked_backward(backward):
    @functools.wraps(backward)
    def wrapper(self, dout=None, *args, **kwargs):
        # NOTE: a model's backward() without dout takes it from its compiled loss, which fits by construction
        if type(self).backward is wrapper and (dout is not None or not self.sublayers()):  # the outermost one
            expected = self.forward_shape
            if expected is None:
                raise RuntimeError(f"{self}: backward() called before forward(); run forward(x, training=True) first")
            shape = getattr(dout, "shape", None)
            if shape != expected:
                raise ValueError(f"{self}: backward expected dout of shape {expected} (the output of the last "
                                 f"forward), got {shape if shape is not None else type(dout).__name__}")
        return backward(self, dout, *args, **kwargs)

    return wrapper


def _moved(value, device):
    """``value`` with every array in it (also inside dicts, lists and tuples) on ``device``."""
    if isinstance(value, dict):
        return {k: _moved(v, device) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_moved(v, device) for v in value)
    if isinstance(value, np.ndarray) or get_array_module(value) is not np:
        return to_device(value, device)
    return value


class Layer:
    """Base class of every layer.

    A layer owns ``params`` (trainable arrays, updated in place by optimizers), ``grads`` (same keys,
    written by ``backward``) and ``state`` (non-trainable arrays that are saved, e.g. BatchNorm's running
    statistics). ``build(input_shape)`` receives the shape without the batch axis and is called by the first
    ``forward`` unless the layer was built before.
    """

    #: names in ``params`` that weight decay applies to (biases and BatchNorm's beta/gamma are left alone)
    weight_names: tuple[str, ...] = ()
    #: shape of the last forward's output, which backward's ``dout`` must have (None: no forward yet)
    forward_shape: tuple[int, ...] | None = None
    forward_was_training = False

    def __init_subclass__(cls, **kwargs):
        """Every subclass's forward records its output shape; its backward checks ``dout`` against it."""
        super().__init_subclass__(**kwargs)
        if "forward" in cls.__dict__:
            cls.forward = _recording_forward(cls.__dict__["forward"])
        if "backward" in cls.__dict__:
            cls.backward = _checked_backward(cls.__dict__["backward"])

    def __init__(self, name: str | None = None):
        self._init_attributes(name)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}
        self.built = False
        self.output_shape: tuple[int, ...] | None = None

    def _init_attributes(self, name) -> None:
        """What every layer has, containers included (they compute params, grads, state and built)."""
        check_param(self, "name", name, [None, _LAYER_NAME])
        self.name = name
        self.input_shape: tuple[int, ...] | None = None
        #: False lets backward skip dx (Sequential sets it on the first layer while training)
        self.need_input_grad = True
        #: per-layer weight decay, overriding the model's when not None
        self.l1: float | None = None
        self.l2: float | None = None

    # -- building -------------------------------------------------------------------------------------
    def build(self, input_shape: tuple[int, ...]) -> None:
        """Create parameters for inputs of ``input_shape`` (without the batch axis)."""
        self.input_shape = tuple(int(d) for d in input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        self.built = True

    def weight_shapes(self, input_shape: tuple[int, ...]) -> dict[str, tuple[int, ...]] | None:
        """Shapes of the ``params`` and ``state`` arrays ``build(input_shape)`` makes, without making them.

        Loading a file checks them against the file's arrays before building anything. None: not known (a
        layer that overrides ``build`` without this); layers that keep the base ``build`` make none.
        """
        return {} if type(self).build is Layer.build else None

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of the output (without the batch axis) for inputs of ``input_shape``."""
        return tuple(input_shape)

    def _prepare(self, x) -> np.ndarray:
        """Build on first use and check that ``x`` matches the shape the layer was built for."""
        # NOTE: a float NumPy batch (the common case) is checked without a call into the backend
        xp = np if type(x) is np.ndarray else get_array_module(x)
        if not isinstance(x, xp.ndarray) or x.dtype.kind != "f":
            x = xp.asarray(x, dtype=floatx())
        if x.ndim < 1 or x.shape[0] == 0:
            raise ValueError(f"{self}: expected a non-empty batch, got an array of shape {x.shape}")
        if not self.built:
            self.build(x.shape[1:])  # parameters are made on the host with nerve's generator, then moved
            if xp is not np:
                self.to(device_of(x))
        elif x.shape[1:] != self.input_shape:
            raise ValueError(
                f"{self}: expected input of shape (batch, {', '.join(map(str, self.input_shape))}), "
                f"got {x.shape}"
            )
        return x

    def _cache_or_raise(self, value):
        """Return a forward cache, or explain that backward needs a forward first."""
        if value is None:
            raise RuntimeError(f"{self}: backward() called before forward(); run forward(x, training=True) first")
        return value

    def to(self, device) -> Layer:
        """Move ``params``, ``grads``, ``state`` and any cached arrays to ``device`` ("cpu", "cuda", "cuda:1")."""
        for name, value in vars(self).items():
            if name not in ("params", "grads", "state"):
                setattr(self, name, _moved(value, device))
        for arrays in (self.params, self.grads, self.state):
            for key, value in arrays.items():
                arrays[key] = to_device(value, device)
        return self

    # -- computing ------------------------------------------------------------------------------------
    def forward(self, x, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, x, training: bool = False) -> np.ndarray:
        return self.forward(x, training=training)

    def release_buffers(self) -> None:
        """Free the work arrays the layer keeps between batches (fit calls it at the end); they come back when
        needed. A layer that keeps none does nothing."""

    def work_bytes(self) -> int:
        """Bytes held in work arrays kept between batches (``release_buffers`` frees them)."""
        return 0

    def shared_copy(self) -> Layer:
        """A twin with the same ``params``/``grads``/``state`` dicts but its own forward cache.

        A container runs a layer it holds twice through such a twin, so each use backpropagates through its
        own inputs; the container adds the gradients of the uses up.
        """
        return copy.copy(self)

    def sublayers(self) -> list[Layer]:
        """The layers directly inside this one (none for a plain layer; see Container)."""
        return []

    # -- description ----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Constructor arguments as plain JSON data; ``type(self)(**config)`` rebuilds the layer."""
        config = {"name": self.name}
        if self.l1 is not None:
            config["l1"] = self.l1
        if self.l2 is not None:
            config["l2"] = self.l2
        return config

    @classmethod
    def registered_name(cls) -> str:
        """The class's name in model files; nerve.keras's same-named layers set ``config_name`` ("keras.Conv2D")."""
        return cls.__dict__.get("config_name") or cls.__name__

    @classmethod
    def from_config(cls, config: dict) -> Layer:
        """The layer ``get_config()`` describes (``nerve.layers.deserialize`` calls it for registered classes)."""
        return cls(**config)

    @property
    def default_name(self) -> str:
        return _snake(type(self).__name__)

    def count_params(self) -> int:
        return int(sum(p.size for p in self.params.values()))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        label = f"{type(self).__name__}({args})"
        return f"{label} '{self.name}'" if self.name else label
