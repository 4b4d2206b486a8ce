"""A small ResNet (residual blocks, BatchNorm, a stride-2 projection block, global average pooling) trained with
Adam on Fashion-MNIST (or the offline 8x8 digits)."""

from __future__ import annotations

import argparse
import time

import nerve
from nerve import zoo
from nerve.optimizers import Adam

try:
    from examples._data import load
except ImportError:  # run as a script from examples/
    from _data import load


def main(dataset: str = "fashion-mnist", epochs: int = 3, batch_size: int = 100, limit: int | None = 10000,
         test_limit: int | None = None, widths=(16, 32, 64), seed: int = 0, verbose: int = 0) -> dict:
    (x_train, t_train), (x_test, t_test), name = load(dataset, flatten=False)  # (N, 1, H, W) images
    if limit:
        x_train, t_train = x_train[:limit], t_train[:limit]
    if test_limit:
        x_test, t_test = x_test[:test_limit], t_test[:test_limit]
    nerve.seed(seed)
    model = zoo.resnet_small(input_shape=x_train.shape[1:], widths=widths)
    model.compile(Adam(lr=0.001), "softmax_cross_entropy", metrics=["accuracy"])
    model.summary()
    start = time.perf_counter()
    history = model.fit(x_train, t_train, epochs=epochs, batch_size=batch_size, verbose=verbose,
                        validation_data=(x_test, t_test))
    seconds = time.perf_counter() - start
    for epoch, val in enumerate(history.history["val_accuracy"], 1):
        print(f"epoch {epoch}: test accuracy {val:.4f}")
    accuracy = history.history["val_accuracy"][-1]
    print(f"{name}: {len(x_train)} training images, {len(x_test)} test images, {epochs} epochs in {seconds:.0f} s, "
          f"test accuracy {accuracy:.4f}")
    return {"dataset": name, "test_accuracy": accuracy, "seconds": seconds, "model": model,
            "history": history.history}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="fashion-mnist", help="fashion-mnist, mnist, digits or auto")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=10000, help="training images used (0: all 60,000)")
    parser.add_argument("--test-limit", type=int, default=0, help="test images used (0: all)")
    parser.add_argument("--quick", action="store_true", help="a few seconds: 500 images, 1 epoch, narrow widths")
    args = parser.parse_args()
    if args.quick:
        main(args.dataset, epochs=1, limit=500, test_limit=500, widths=(4, 8, 8))
    else:
        main(args.dataset, epochs=args.epochs, limit=args.limit or None, test_limit=args.test_limit or None,
             verbose=1)
