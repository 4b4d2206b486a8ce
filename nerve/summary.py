"""The Keras-style summary table of a model: layers, output shapes, parameter counts; nested layers indented."""

from __future__ import annotations

from .layers import Container, Layer

__all__ = ["summary_table"]


def _rows(container: Container, depth: int) -> list[tuple[str, str, str]]:
    rows, seen = [], set()
    inner = list(container.layers)
    inner += [lyr for lyr in container.sublayers() if all(lyr is not other for other in inner)]  # a projection
    for layer in inner:
        shared = id(layer) in seen
        seen.add(id(layer))
        kind = type(layer).__name__ + (", shared" if shared else "")
        shape = str((None, *layer.output_shape)) if layer.built else "?"
        rows.append(("  " * depth + f"{layer.name} ({kind})", shape, "0 (shared)" if shared else
                     f"{layer.count_params():,}"))
        if isinstance(layer, Container) and not shared:
            rows += _rows(layer, depth + 1)
    return rows


def summary_table(model: Layer) -> str:
    """The table ``Sequential.summary()`` prints; a nested model's layers are listed under it, indented."""
    rows = _rows(model, 0)
    head = ("Layer (type)", "Output Shape", "Param #")
    widths = [max(len(r[i]) for r in [head, *rows]) + 3 for i in range(3)]
    line = "─" * sum(widths)

    def fmt(r):
        return "".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()

    trainable = model.count_params()
    frozen = sum(v.size for v in model.state.values())
    return "\n".join([f'Model: "{model.name or "sequential"}"', line, fmt(head), line, *map(fmt, rows), line,
                      f"Total params: {trainable + frozen:,}", f"Trainable params: {trainable:,}",
                      f"Non-trainable params: {frozen:,}", line])
