"""`make demo`: train a small network on the offline 8x8 digits, report test accuracy, save model and curves.

Run: python -m nerve.demo [--out runs/demo] [--epochs 30] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import nerve
from nerve.datasets import load_digits, train_test_split
from nerve.layers import BatchNorm, Dense, Dropout, ReLU

__all__ = ["main"]


def build_model():
    """64 pixels -> 256 -> BatchNorm -> ReLU -> dropout 0.2 -> 10 logits, He init."""
    layers = [Dense(256), BatchNorm(), ReLU(), Dropout(0.2), Dense(10)]
    return nerve.Sequential(layers, input_shape=(64,), name="digits_mlp")


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(prog="python -m nerve.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/demo", help="folder for model.npz and curves.png")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    nerve.seed(args.seed)
    (x_train, t_train), (x_test, t_test) = load_digits()
    x_train, x_val, t_train, t_val = train_test_split(x_train, t_train, test_size=0.1, seed=args.seed)
    print(f"8x8 digits: {len(x_train)} train, {len(x_val)} validation, {len(x_test)} test images")

    model = build_model()
    model.compile(optimizer=nerve.optimizers.Adam(lr=0.002), loss="softmax_cross_entropy",
                  metrics=["accuracy"])
    model.summary()
    start = time.perf_counter()
    history = model.fit(x_train, t_train, epochs=args.epochs, batch_size=32, validation_data=(x_val, t_val))
    seconds = time.perf_counter() - start

    test = model.evaluate(x_test, t_test)
    print(f"test accuracy: {test['accuracy']:.4f}  (test loss {test['loss']:.4f}, trained in {seconds:.1f} s)")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.npz", class_names=[str(d) for d in range(10)])
    try:
        from nerve.plot import plot_history

        plot_history(history, out / "curves.png")
        print(f"saved {out / 'model.npz'} and {out / 'curves.png'}")
    except ImportError as e:
        print(f"saved {out / 'model.npz'} (no plot: {e})")
    return test["accuracy"]


if __name__ == "__main__":
    main()
