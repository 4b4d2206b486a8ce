"""Residual: ``y = f(x) + x`` (or ``f(x) + projection(x)`` when ``f`` changes the shape), He et al.'s block."""

from __future__ import annotations

import numpy as np

from .base import Layer
from .container import Container
from .registry import deserialize, serialize

__all__ = ["Residual"]


class Residual(Container):
    """A residual block: the layers ``f`` in order, plus a skip connection from the block's input.

    Args:
        layers: the body ``f``, in order (e.g. Conv2D, BatchNorm, ReLU, Conv2D, BatchNorm).
        projection: a layer applied to the skip path when ``f`` changes the shape (e.g. a 1x1 ``Conv2D`` with
            ``stride=2``); None keeps the identity. Named ``"projection"`` unless it has a name.
        name: the block's name.
    Input shape: anything the body accepts. Output shape: the body's, which must equal the skip path's.
    """

    def __init__(self, layers=(), projection: Layer | None = None, input_shape=None, name: str | None = None):
        if projection is not None:
            if not isinstance(projection, Layer):
                raise TypeError(f"Residual: `projection` must be a Layer or None, got {type(projection).__name__}")
            if any(projection is layer for layer in layers):
                raise ValueError("Residual: `projection` must not also be one of the block's layers")
            if projection.name is None:
                projection.name = "projection"
        self.projection = projection
        super().__init__(layers, name=name)
        if not self.layers:
            raise ValueError("Residual: `layers` must hold at least one layer (the body f of y = f(x) + x)")
        if input_shape is not None:
            self.build(input_shape)

    def sublayers(self) -> list[Layer]:
        return super().sublayers() + ([self.projection] if self.projection is not None else [])

    def build(self, input_shape) -> None:
        super().build(input_shape)
        skip = self.input_shape
        if self.projection is not None:
            if not self.projection.built:
                self.projection.build(self.input_shape)
            skip = self.projection.output_shape
        if skip != super().output_shape:
            hint = "" if self.projection is not None else \
                "; give a projection for the skip path, e.g. projection=Conv2D(filters, 1, stride=2)"
            raise ValueError(f"{self.label}: the body maps {self.input_shape} to {super().output_shape} but the skip "
                             f"path gives {skip}; they must match to be added{hint}")

    def weight_shapes(self, input_shape) -> dict[str, tuple[int, ...]] | None:
        shapes = super().weight_shapes(input_shape)
        if shapes is None or self.projection is None:
            return shapes
        skip = self.projection.weight_shapes(tuple(input_shape))
        return None if skip is None else {**shapes, **{f"{self.projection.name}/{k}": v for k, v in skip.items()}}

    @property
    def built(self) -> bool:
        return super().built and (self.projection is None or self.projection.built)

    def shared_copy(self) -> Residual:
        twin = super().shared_copy()
        twin.projection = None if self.projection is None else self.projection.shared_copy()
        return twin

    def forward(self, x, training: bool = False) -> np.ndarray:
        x = self._prepare(x)
        fx = super().forward(x, training=training)
        skip = x if self.projection is None else self.projection.forward(x, training=training)
        return fx + skip

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        # y = f(x) + p(x)  =>  dx = f'(x)ᵀ·dout + p'(x)ᵀ·dout, with p'(x)ᵀ·dout = dout for the identity
        dx = super().backward(dout)
        if self.projection is not None:
            self.projection.need_input_grad = self.need_input_grad
            dskip = self.projection.backward(dout)
        else:
            dskip = dout
        if not self.need_input_grad:
            return None
        return dx + dskip

    def get_config(self) -> dict:
        projection = None if self.projection is None else serialize(self.projection)
        return {**super().get_config(), "projection": projection}

    @classmethod
    def from_config(cls, config: dict) -> Residual:
        config = dict(config)
        if config.get("projection") is not None:
            config["projection"] = deserialize(config["projection"], "projection")
        return super().from_config(config)
