"""Edge detection with the Sobel filters, run through a Conv2D layer, on a Fashion-MNIST image.

    python examples/sobel_edges.py [output_dir]

Uses Fashion-MNIST if it is on disk (e.g. Debian's dataset-fashion-mnist package), else the 8x8 digits
shipped with scikit-learn, else a drawn square. Saves sobel_edges.png into output_dir (default: a temp dir).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from nerve import filters


def load_image() -> tuple[np.ndarray, str]:
    """One gray image in [0, 1] and where it came from."""
    try:
        from nerve.datasets import FASHION_MNIST_CLASSES, load_fashion_mnist

        (x, t), _ = load_fashion_mnist(flatten=False, download=False)
        return x[0, 0], f"Fashion-MNIST #0 ({FASHION_MNIST_CLASSES[t[0]]})"
    except Exception:  # not on disk: fall back to data that needs no download
        pass
    try:
        from nerve.data.digits import load_digits

        (x, t), _ = load_digits(flatten=False)
        return x[0, 0], f"8x8 digit ({t[0]})"
    except ImportError:
        img = np.zeros((28, 28), dtype=np.float32)
        img[7:21, 7:21] = 1.0
        return img, "a white square"


def main(out_dir=None) -> dict:
    image, source = load_image()
    gx = filters.apply_filter(image, filters.SOBEL_X)  # brightness rising to the right: vertical edges
    gy = filters.apply_filter(image, filters.SOBEL_Y)  # brightness rising downwards: horizontal edges
    edges = np.hypot(gx, gy)
    print(f"image: {source}, shape {image.shape}; strongest edge {edges.max():.2f} at "
          f"{tuple(int(i) for i in np.unravel_index(edges.argmax(), edges.shape))}")

    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="nerve-sobel-"))
    path = out_dir / "sobel_edges.png"
    try:
        from nerve.plot import plot_images
    except ImportError:
        print("matplotlib is not installed; no figure written")
        return {"gx": gx, "gy": gy, "edges": edges, "path": None}
    plot_images([image, gx, gy, edges], ["image", "Sobel x (G_x)", "Sobel y (G_y)", "edges sqrt(G_x² + G_y²)"],
                ["gray", "RdBu_r", "RdBu_r", "magma"], path=path)
    print(f"saved {path}")
    return {"gx": gx, "gy": gy, "edges": edges, "path": path}


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
