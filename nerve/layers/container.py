"""Container: a layer made of layers run one after another (the base of Sequential and Residual).

A container is itself a Layer, so containers nest: parameters, gradients and state are keyed by path,
``"block_1/dense_1/W"``, and the arrays are the inner layers' own arrays. One layer may appear several times
in the same container (weight sharing): each use gets its own forward cache (``shared_copy``) and the
gradients of its uses add up.
"""

from __future__ import annotations

import numpy as np

from ..backend import CPU, Device, parse_device
from ..backend.workspace import release_workspace, workspace_bytes
from .base import Layer
from .registry import deserialize, serialize
from .reorder import execution_order

__all__ = ["Container"]


class Container(Layer):
    """Layers applied in order; a Layer whose ``params``/``grads``/``state`` gather its layers' by path.

    Args:
        layers: the layers, in order (more can be added with ``add``). The same layer may be given twice.
        input_shape: shape of one sample (without the batch axis); builds every layer now.
        name: the container's name (default: named by the container it is added to).
    """

    def __init__(self, layers=(), input_shape=None, name: str | None = None):
        self._init_attributes(name)  # not Layer.__init__: params, grads, state and built come from the layers
        self.layers: list[Layer] = []
        self._run = None  # the objects that ran in the last forward, and whether each one's layer runs again later
        self._plain_layers, self._plain_count = None, -1
        self._order: tuple = ((), [])  # (ids of the layers it was made for, the order a plain forward runs them)
        self.device: Device = CPU  # where the layers' arrays live; to(device) moves them
        for layer in layers:
            self.add(layer)
        if input_shape is not None:
            self.build(input_shape)

    # -- structure ------------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return f"{type(self).__name__} {self.name!r}" if self.name else type(self).__name__

    def sublayers(self) -> list[Layer]:
        """The layers directly inside, each once, in order."""
        unique: dict[int, Layer] = {}
        for layer in self.layers:
            unique.setdefault(id(layer), layer)
        return list(unique.values())

    def named_layers(self, prefix: str = "") -> list[tuple[str, Layer]]:
        """Every leaf layer inside (recursively, each once) with its path, e.g. ("block_1/dense_1", Dense)."""
        if self._plain:  # NOTE: the common case stays as cheap as a flat list: it runs twice per training step
            return [(f"{prefix}{layer.name}", layer) for layer in self.layers]
        found: list[tuple[str, Layer]] = []
        self._collect(prefix, found, {})
        return found

    def _collect(self, prefix, found, where) -> None:
        for layer in self.sublayers():
            path = f"{prefix}{layer.name}"
            if id(layer) in where:
                raise ValueError(f"{self.label}: layer {layer} is used both as {where[id(layer)]!r} and {path!r}; "
                                 "a layer may be repeated only inside one container")
            where[id(layer)] = path
            if isinstance(layer, Container):
                layer._collect(f"{path}/", found, where)
            else:
                found.append((path, layer))

    @property
    def _plain(self) -> bool:
        """No container inside, no layer repeated, nothing beside ``layers``: params are a flat walk."""
        return self._plain_layers is self.layers and len(self.layers) == self._plain_count

    def add(self, layer: Layer) -> Container:
        """Append a layer, naming it ``<type>_<k>`` unless it has a name; adding one already here shares it."""
        if not isinstance(layer, Layer):
            raise TypeError(f"{self.label}.add: expected a Layer, got {type(layer).__name__}")
        if layer is self or (isinstance(layer, Container) and self in layer.all_layers()):
            raise ValueError(f"{self.label}.add: {layer.label} would contain itself")
        if not any(existing is layer for existing in self.layers):  # a repeated layer keeps its name
            taken = {lyr.name for lyr in self.sublayers()}
            if layer.name is None:
                base = layer.default_name
                k = 1 + sum(1 for lyr in Container.sublayers(self) if lyr.default_name == base)  # not a projection
                while f"{base}_{k}" in taken:
                    k += 1
                layer.name = f"{base}_{k}"
            elif layer.name in taken:
                raise ValueError(f"{self.label}.add: a layer named {layer.name!r} is already in the model")
        plain = (not self.layers or self._plain) and not isinstance(layer, Container) \
            and all(existing is not layer for existing in self.layers)
        self.layers.append(layer)
        plain = plain and self.sublayers() == self.layers  # (a Residual's projection is beside its layers)
        self._plain_layers, self._plain_count = (self.layers, len(self.layers)) if plain else (None, -1)
        if self.input_shape is not None:
            self.build(self.input_shape)
        return self

    def all_layers(self) -> list[Layer]:
        """Every layer inside, containers included, recursively, each once."""
        out: dict[int, Layer] = {}
        for layer in self.sublayers():
            out.setdefault(id(layer), layer)
            if isinstance(layer, Container):
                for inner in layer.all_layers():
                    out.setdefault(id(inner), inner)
        return list(out.values())

    def build(self, input_shape) -> None:
        """Build every layer for samples of ``input_shape``; a layer built before must fit what it receives."""
        shape = tuple(int(d) for d in input_shape)
        self.input_shape = shape
        for layer in self.layers:
            if not layer.built:
                layer.build(shape)
                if self.device is not CPU:
                    layer.to(self.device)  # built on the host with nerve's generator, then moved
            elif layer.input_shape != shape:
                raise ValueError(f"{layer}: built for input {layer.input_shape}, but receives {shape}")
            shape = layer.output_shape

    def compute_output_shape(self, input_shape) -> tuple[int, ...]:
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = tuple(layer.compute_output_shape(shape))
        return shape

    def weight_shapes(self, input_shape) -> dict[str, tuple[int, ...]] | None:
        """The arrays building for ``input_shape`` would make, keyed like ``params``/``state``; None if unknown."""
        shapes, shape, seen = {}, tuple(input_shape), set()
        for layer in self.layers:
            if id(layer) not in seen:
                seen.add(id(layer))
                inner = layer.weight_shapes(shape)
                if inner is None:
                    return None
                shapes.update({f"{layer.name}/{k}": v for k, v in inner.items()})
            shape = tuple(layer.compute_output_shape(shape))
        return shapes

    @property
    def built(self) -> bool:
        return bool(self.layers) and self.input_shape is not None and all(layer.built for layer in self.layers)

    @property
    def output_shape(self):
        return self.layers[-1].output_shape if self.built else None

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Trainable arrays keyed ``"<layer>/<param>"`` (nested: ``"block/dense_1/W"``), the layers' own arrays."""
        return {f"{path}/{k}": v for path, layer in self.named_layers() for k, v in layer.params.items()}

    @property
    def grads(self) -> dict[str, np.ndarray]:
        return {f"{path}/{k}": v for path, layer in self.named_layers() for k, v in layer.grads.items()}

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Non-trainable arrays (e.g. BatchNorm running statistics) keyed like ``params``."""
        return {f"{path}/{k}": v for path, layer in self.named_layers() for k, v in layer.state.items()}

    def to(self, device) -> Container:
        """Move every layer inside to ``device`` ("cpu", "cuda", "cuda:1")."""
        device = parse_device(device)
        for layer in self.sublayers():
            layer.to(device)
        self.device = device
        return self

    def release_buffers(self) -> None:
        """Free the inner layers' work arrays and this thread's scratch buffers (``fit`` calls this at its end)."""
        for layer in self._leaves_and_twins():
            layer.release_buffers()
        release_workspace()

    def work_bytes(self) -> int:
        """Bytes held in the inner layers' work arrays and this thread's scratch buffers (shared by all models)."""
        return sum(layer.work_bytes() for layer in self._leaves_and_twins()) + workspace_bytes()

    def _leaves_and_twins(self) -> list[Layer]:
        """Every leaf layer inside, and the twins that ran in the last forward (a repeated layer's later uses, a
        ReLU run after its pool): they hold caches of their own."""
        inside = self.all_layers()
        found = [layer for layer in inside if not isinstance(layer, Container)]
        for container in [self, *(layer for layer in inside if isinstance(layer, Container))]:
            if container._run is not None:
                own = {id(layer) for layer in container.layers}
                for step in container._run[0]:
                    if id(step) not in own:  # a twin (a repeated layer's later use, a ReLU run after its pool)
                        found += step._leaves_and_twins() if isinstance(step, Container) else [step]
        return found

    def shared_copy(self) -> Container:
        """A twin running the same layers' arrays with its own forward caches (for a container used twice)."""
        twin = super().shared_copy()
        twins: dict[int, Layer] = {}
        twin.layers = [twins.setdefault(id(layer), layer.shared_copy()) for layer in self.layers]
        twin._run = None
        return twin

    # -- computing ------------------------------------------------------------------------------------
    def forward(self, x, training: bool = False) -> np.ndarray:
        """Run every layer in order; ``training`` switches Dropout and BatchNorm to their training behaviour."""
        if not self.layers:
            raise ValueError(f"{self.label}: the model has no layers")
        x = self._prepare(x)  # builds every layer on first use; a wrong input is named after the container
        if self._plain:
            order = self._running_order()
            for layer in order:
                x = layer.forward(x, training=training)
            self._run = (order, None)
            return x
        steps, seen = [], set()
        for layer in self.layers:
            step = layer.shared_copy() if id(layer) in seen else layer  # a repeated layer keeps one cache per use
            seen.add(id(layer))
            x = step.forward(x, training=training)
            steps.append(step)
        later, again = set(), []
        for layer in reversed(self.layers):
            again.append(id(layer) in later)
            later.add(id(layer))
        self._run = (steps, again[::-1])
        return x

    def _running_order(self) -> list[Layer]:
        """The layers in the order a plain forward runs them (``reorder.execution_order``), remade when they change."""
        # NOTE: by identity (a layer class may define __eq__); the cached order keeps the layers alive, so their
        # ids cannot be reused while it is cached
        key = tuple(map(id, self.layers))
        if self._order[0] != key:
            self._order = (key, execution_order(self.layers))
        return self._order[1]

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """Backpropagate through the layers of the last forward; a repeated layer's gradients add up."""
        steps, again = self._cache_or_raise(self._run)
        for k in range(len(steps) - 1, -1, -1):
            step = steps[k]
            step.need_input_grad = k > 0 or self.need_input_grad
            if again is not None and again[k]:  # a later use already wrote its gradient: keep it, add this one
                later = [g.copy() for g in step.grads.values()]
                dout = step.backward(dout)
                for g, e in zip(step.grads.values(), later):
                    g += e
            else:
                dout = step.backward(dout)
        return dout

    # -- description ----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        specs, names = [], set()
        for layer in self.layers:
            if layer.name in names:
                specs.append({"shared": layer.name})  # the same layer again: its weights are shared
            else:
                spec = serialize(layer)
                spec["config"].pop("input_shape", None)  # a nested model's input is what this one feeds it
                specs.append(spec)
                names.add(layer.name)
        return {"name": self.name, "layers": specs}

    @staticmethod
    def layers_from_config(specs) -> list[Layer]:
        """Layers from ``get_config()["layers"]`` (``{"shared": name}`` entries reuse an earlier layer)."""
        if not isinstance(specs, list):
            raise ValueError(f"expected a 'layers' list, got {type(specs).__name__}")
        layers, by_name = [], {}
        for i, spec in enumerate(specs):
            if isinstance(spec, dict) and set(spec) == {"shared"}:
                if spec["shared"] not in by_name:
                    raise ValueError(f"layer {i} shares {spec['shared']!r}, which no earlier layer is")
                layers.append(by_name[spec["shared"]])
                continue
            layer = deserialize(spec, f"layer {i}")
            by_name[layer.name] = layer
            layers.append(layer)
        return layers

    @classmethod
    def from_config(cls, config: dict) -> Container:
        config = dict(config)
        layers = cls.layers_from_config(config.pop("layers", None))
        shape = config.pop("input_shape", None)
        return cls(layers, input_shape=tuple(shape) if shape else None, **config)

    def __repr__(self) -> str:
        count = sum(lyr.count_params() for lyr in self.all_layers() if not isinstance(lyr, Container))
        return f"{type(self).__name__}(name={self.name!r}, layers={len(self.layers)}, params={count:,})"
