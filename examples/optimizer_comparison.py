"""SGD, Momentum, AdaGrad and Adam: their paths on f(x, y) = x²/20 + y², then the same four training one
network on handwritten digits (the book's optimizer_compare_naive and optimizer_compare_mnist)."""

from __future__ import annotations

from pathlib import Path

import nerve
from nerve import optimizers
from nerve.datasets import load_digits
from nerve.layers import Dense, ReLU
from nerve.plot import BOOK_LEARNING_RATES, elongated_bowl, optimizer_paths


def main(epochs: int = 5, steps: int = 30, out: str | Path | None = None, seed: int = 0) -> dict:
    # 1. the elongated bowl: SGD zig-zags along the steep y axis, the others head for (0, 0) more directly
    paths = optimizer_paths(BOOK_LEARNING_RATES, start=(-7.0, 2.0), steps=steps)
    for name, path in paths.items():
        print(f"{name:8} after {steps} steps: ({path[-1, 0]:+.4f}, {path[-1, 1]:+.4f}), "
              f"f = {elongated_bowl(*path[-1]):.5f}")

    # 2. digits with a 4-layer ReLU net: the book's rates (SGD 0.01 is the slow one)
    (x, t), _ = load_digits()
    final_loss = {}
    for name in ("SGD", "Momentum", "AdaGrad", "Adam"):
        nerve.seed(seed)
        model = nerve.Sequential([Dense(100), ReLU(), Dense(100), ReLU(), Dense(100), ReLU(), Dense(10)],
                                 input_shape=(64,))
        model.compile(optimizers.get(name.lower(), lr=0.001 if name == "Adam" else 0.01), "softmax_cross_entropy")
        history = model.fit(x, t, epochs=epochs, batch_size=128, verbose=0)
        final_loss[name] = history.history["loss"][-1]
        print(f"{name:8} training loss after {epochs} epochs: {final_loss[name]:.4f}")

    if out is not None:
        from nerve.plot import plot_optimizer_paths

        plot_optimizer_paths(path=Path(out) / "optimizer_paths.png")
        print(f"wrote {out}/optimizer_paths.png")
    return {"paths": paths, "final_loss": final_loss}


if __name__ == "__main__":
    main(out="runs/examples")
