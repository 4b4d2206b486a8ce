"""Receptive field (seed 000): a cell of a 3x3 convolution's output sees a 3x3 corner of the image; convolve
that output again (2x2 kernel) and one cell sees the union of its inputs' fields, a 4x4 corner. Checked two
ways: the formula (nerve.receptive_field) and backprop (which input pixels change the first output cell)."""

from __future__ import annotations

import numpy as np

import nerve
from nerve.layers import Conv2D
from nerve.receptive_field import receptive_field


def main(size: int = 6) -> dict:
    model = nerve.Sequential([Conv2D(1, 3), Conv2D(1, 2)], input_shape=(1, size, size))
    rows = receptive_field(model)
    for row in rows:
        print(f"{row['layer']:10} one output cell sees {row['size'][0]}x{row['size'][1]} input pixels")

    # backprop from the first output cell of each layer: the input pixels with a non-zero gradient are its field
    seen = []
    x = np.ones((1, 1, size, size), dtype=np.float32)
    for depth in (1, 2):
        sub = nerve.Sequential(model.layers[:depth])
        y = sub.forward(x, training=True)
        dout = np.zeros_like(y)
        dout[0, 0, 0, 0] = 1.0
        for layer in sub.layers:
            layer.params["W"][...] = 1.0  # positive weights: no pixel's influence cancels out
        sub.forward(x, training=True)
        dx = sub.backward(dout)
        mask = dx[0, 0] != 0
        seen.append((int(mask.any(axis=1).sum()), int(mask.any(axis=0).sum())))
        print(f"after {depth} convolution(s), the first cell depends on\n{mask.astype(int)}")
    return {"formula": [row["size"] for row in rows], "backprop": seen}


if __name__ == "__main__":
    main()
