"""Count the ReLU units (Dense) and channels (conv) that never fire on the Fashion-MNIST test set.

    .venv/bin/python benchmarks/dead_relus.py MODEL.npz [MODEL.npz ...]

For saved models such as those of ``bench_cnn.py --accuracy --save PATH``. A unit is dead when its output
is 0 for every test image (every pixel, for a channel): it passes no gradient and is lost capacity.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import load_data  # noqa: E402

import nerve  # noqa: E402
from nerve.layers import ReLU  # noqa: E402


def alive_units(model, x, batch_size: int = 1000) -> tuple[list[np.ndarray], np.ndarray]:
    """One boolean array per ReLU layer (which units or channels are positive for some input), and the
    predicted classes, from one inference pass over ``x``."""
    alive, predicted = None, []
    for start in range(0, len(x), batch_size):
        h, fired = x[start:start + batch_size], []
        for layer in model.layers:
            h = layer(h, training=False)
            if isinstance(layer, ReLU):
                positive = h > 0
                fired.append(positive.any(axis=tuple(i for i in range(positive.ndim) if i != 1)))
        alive = fired if alive is None else [a | f for a, f in zip(alive, fired)]
        predicted.append(h.argmax(axis=1))
    return alive, np.concatenate(predicted)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", metavar="MODEL.npz")
    args = parser.parse_args(argv)
    _, (xt, tt) = load_data(flatten=False)
    for path in args.models:
        model = nerve.load_model(path, compile=False)
        alive, predicted = alive_units(model, xt)
        accuracy = float((predicted == tt).mean())
        counts = [f"{int((~a).sum())}/{a.size}" for a in alive]
        print(f"{path}: test accuracy {accuracy:.4f}; dead per ReLU layer: {' '.join(counts)}")


if __name__ == "__main__":
    main()
