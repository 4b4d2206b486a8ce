"""The order a container runs its layers in: a ReLU directly before a max-pool runs after it instead.

Max pooling picks one value per window, and ReLU is monotonic, so they commute:

    relu(max(x₁..x_k)) = max(relu(x₁)..relu(x_k))       (both pick the same value: max(0, the largest xᵢ))

The backward passes agree too. Call p the window's first largest input and y = max(x) its pooled value.
    y > 0:  p is also the first largest of the relu(xᵢ) (the ReLU keeps the order of positive values and
            maps the rest to 0 < y), and relu'(x_p) = 1: both orders send dout to p alone.
    y ≤ 0:  every xᵢ ≤ 0, so relu' is 0 on the whole window: both orders send it nothing.
Pooling first leaves the ReLU a quarter of the values for a 2x2 pool (forward and backward): SimpleConvNet's
training step takes ~10 % less time and its inference ~12 % less (DeepConvNet: ~5 % and ~7 %; same-process
paired runs, benchmarks/README.md), with the same outputs and gradients to the bit. The layers themselves do
not change; the container calls the pool, then a twin of the ReLU built for the pooled shape (``shared_copy``:
a ReLU has no weights). Only a ReLU and a MaxPool2D of exactly those classes are swapped (a subclass may not be
monotonic), only in a plain container (no repeated layer), and not when either one's forward or backward was
replaced on the instance (a hook expects the written order).
A NaN input may route its window's gradient differently, but a NaN loss stops training before backward.
"""

from __future__ import annotations

from .activations import ReLU
from .base import Layer
from .pooling import MaxPool2D

__all__ = ["execution_order"]


def execution_order(layers: list[Layer]) -> list[Layer]:
    """``layers`` as they run: each built ReLU followed by a built MaxPool2D becomes (the pool, a ReLU twin)."""
    order = list(layers)
    i = 0
    while i < len(order) - 1:
        relu, pool = order[i], order[i + 1]
        if type(relu) is ReLU and type(pool) is MaxPool2D and relu.built and pool.built \
                and not _hooked(relu) and not _hooked(pool):
            twin = relu.shared_copy()
            twin.build(pool.output_shape)
            order[i:i + 2] = [pool, twin]
            i += 2
        else:
            i += 1
    return order


def _hooked(layer: Layer) -> bool:
    """forward or backward replaced on the instance (a user's hook or timer): it must see the calls as written."""
    return "forward" in vars(layer) or "backward" in vars(layer)
