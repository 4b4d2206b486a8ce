"""Max, average and K-max pooling on the tutorial's 4x4 example: max [[6, 8], [14, 16]], average
[[3.5, 5.5], [11.5, 13.5]]."""

from __future__ import annotations

import numpy as np

from nerve.layers import AvgPool2D, KMaxPool, KMaxPool2D, MaxPool2D


def main() -> dict:
    x = np.arange(1, 17, dtype=np.float32).reshape(1, 1, 4, 4)  # (N, C, H, W): 1..16
    max_pooled = MaxPool2D(pool_size=2, stride=2).forward(x)[0, 0]
    avg_pooled = AvgPool2D(pool_size=2, stride=2).forward(x)[0, 0]
    print(f"input:\n{x[0, 0]}\nmax pooling:\n{max_pooled}\naverage pooling:\n{avg_pooled}")

    # K-max pooling keeps the k largest values of each 2x2 window (in their original order)
    windows = x.reshape(2, 2, 2, 2).transpose(0, 2, 1, 3).reshape(1, 4, 4)  # (1, window, 4 values)
    k_max = KMaxPool(k=2).forward(windows)[0]
    print(f"2-max pooling per window:\n{k_max}")  # [[5, 6], [7, 8], [13, 14], [15, 16]]
    # KMaxPool2D does the windows itself: channel 0 holds each window's largest value, channel 1 the second
    k_max_2d = KMaxPool2D(k=2, pool_size=2).forward(x)[0]
    print(f"KMaxPool2D(k=2, pool_size=2):\n{k_max_2d}")  # [[[6, 8], [14, 16]], [[5, 7], [13, 15]]]
    return {"max": max_pooled, "average": avg_pooled, "k_max": k_max, "k_max_2d": k_max_2d}


if __name__ == "__main__":
    main()
