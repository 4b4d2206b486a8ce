"""The layer registry: the classes model files may name, registered explicitly, and (de)serialisation by name.

Only registered classes can be loaded, so a private base class (``_Pool2D``) or a user's class that happens to
share a name with a nerve layer never becomes loadable by accident. Register your own layers with
``@nerve.layers.register`` (or ``register(MyLayer, name="my_layer")``) before saving or loading models that use them.
"""

from __future__ import annotations

import contextvars

from .base import Layer

__all__ = ["register", "unregister", "registry", "get", "serialize", "deserialize", "MAX_NESTING"]

#: how deeply models may nest inside one another in a config (a guard against forged, endlessly deep files)
MAX_NESTING = 64

_REGISTRY: dict[str, type[Layer]] = {}
_DEPTH = contextvars.ContextVar("nerve_layer_nesting", default=0)


def register(cls: type[Layer] | None = None, *, name: str | None = None):
    """Make a Layer subclass loadable from model files under ``name`` (default: ``cls.registered_name()``, the
    class name unless the class sets ``config_name``, as nerve.keras's layers do: "keras.Conv2D").

    Use it as a decorator (``@register`` or ``@register(name="MyDense")``) or call it. Registering a second
    class under a taken name raises ValueError; registering the same class again does nothing.
    """
    def add(klass):
        if not (isinstance(klass, type) and issubclass(klass, Layer)):
            raise TypeError(f"register: expected a Layer subclass, got {klass!r}")
        key = klass.registered_name() if name is None else name
        if not isinstance(key, str) or not all(part.isidentifier() for part in key.split(".")):
            raise ValueError(f"register: `name` must be an identifier (dots allowed: 'keras.Dense'), got {key!r}")
        existing = _REGISTRY.get(key)
        if existing is not None and existing is not klass:
            raise ValueError(f"register: the name {key!r} is already taken by {existing.__module__}."
                             f"{existing.__qualname__}; register {klass.__qualname__} under another name")
        _REGISTRY[key] = klass
        return klass

    return add if cls is None else add(cls)


def unregister(name: str) -> type[Layer]:
    """Remove the class registered as ``name`` (e.g. a test's layer) and return it."""
    if name not in _REGISTRY:
        raise KeyError(f"unregister: no layer is registered as {name!r}")
    return _REGISTRY.pop(name)


def registry() -> dict[str, type[Layer]]:
    """Every registered layer class by the name model files use for it (a copy)."""
    return dict(_REGISTRY)


def get(identifier, **kwargs) -> Layer:
    """A layer from an instance or a registered class name ("Dense", "relu", "max_pool2d") with ``kwargs``."""
    if isinstance(identifier, Layer):
        return identifier
    if isinstance(identifier, str):
        by_lower = {key.lower(): cls for key, cls in _REGISTRY.items()}
        cls = by_lower.get(identifier.lower().replace("_", ""))
        if cls is not None:
            return cls(**kwargs)
    raise ValueError(f"Could not interpret layer identifier: {identifier!r}; known layers: {sorted(_REGISTRY)}")


def _registered_name(layer: Layer) -> str:
    for key, cls in _REGISTRY.items():
        if cls is type(layer):
            return key
    raise ValueError(f"{layer}: its class {type(layer).__qualname__} is not registered, so a model file could not "
                     f"name it; register it with @nerve.layers.register")


def serialize(layer: Layer) -> dict:
    """``{"class": <registered name>, "config": layer.get_config()}``; ``deserialize`` rebuilds the layer."""
    return {"class": _registered_name(layer), "config": layer.get_config()}


def deserialize(spec, where: str = "deserialize") -> Layer:
    """A new (unbuilt unless its config says otherwise) layer from ``serialize`` output; only registered
    classes are looked up, nothing from the spec is executed."""
    if not isinstance(spec, dict) or not isinstance(spec.get("class"), str):
        raise ValueError(f"{where}: expected a layer spec {{'class': name, 'config': {{...}}}}, got {_short(spec)}")
    cls = _REGISTRY.get(spec["class"])
    if cls is None:
        hint = ("a model built with nerve.keras: `import nerve.keras` first" if spec["class"].startswith("keras.")
                else "custom layers must be registered with nerve.layers.register before loading")
        raise ValueError(f"{where}: unknown type {spec['class']!r}; known layers: {sorted(_REGISTRY)} ({hint})")
    config = spec.get("config", {})
    if not isinstance(config, dict):
        raise ValueError(f"{where}: the config of {spec['class']} must be a dict, got {_short(config)}")
    depth = _DEPTH.get() + 1
    if depth > MAX_NESTING:
        raise ValueError(f"{where}: layers nest more than {MAX_NESTING} deep; the config is malformed")
    token = _DEPTH.set(depth)
    try:
        return cls.from_config(config)
    except (TypeError, ValueError) as e:  # nested specs' errors arrive with their own path: prefix ours
        raise ValueError(f"{where}: {spec['class']}: {e}") from None
    finally:
        _DEPTH.reset(token)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."
