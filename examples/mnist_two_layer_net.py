"""The book's TwoLayerNet: check backprop against numerical gradients, then mini-batch SGD on MNIST
(or the offline 8x8 digits), reporting train and test accuracy per epoch."""

from __future__ import annotations

import numpy as np

import nerve
from nerve import zoo
from nerve.backend import default_dtype
from nerve.gradcheck import check_gradients
from nerve.optimizers import SGD

try:
    from examples._data import load
except ImportError:  # run as a script from examples/
    from _data import load


def main(dataset: str = "auto", epochs: int = 5, batch_size: int = 100, lr: float = 0.1, limit: int | None = 10000,
         seed: int = 0) -> dict:
    (x_train, t_train), (x_test, t_test), name = load(dataset)
    if limit:
        x_train, t_train = x_train[:limit], t_train[:limit]
    features = x_train.shape[1]

    # 1. the gradient check of chapter 5: backprop agrees with central differences (float64, 3 samples)
    with default_dtype(np.float64):
        nerve.seed(seed)
        small = zoo.two_layer_net(features, 10, 10, weight_init_std=0.1)
        small.compile("sgd")
        error = check_gradients(small, x_train[:3], t_train[:3])
    print(f"gradient check: max relative error {error:.2e}")

    # 2. training: hidden 50, SGD lr 0.1, batches of 100, as in the book
    nerve.seed(seed)
    model = zoo.two_layer_net(features, 50, 10)
    model.compile(SGD(lr=lr), "softmax_cross_entropy", metrics=["accuracy"])
    history = model.fit(x_train, t_train, epochs=epochs, batch_size=batch_size, verbose=0,
                        validation_data=(x_test, t_test))
    for epoch, (acc, val) in enumerate(zip(history.history["accuracy"], history.history["val_accuracy"]), 1):
        print(f"epoch {epoch:2d}: train acc {acc:.4f}, test acc {val:.4f}")
    print(f"{name}: final test accuracy {history.history['val_accuracy'][-1]:.4f}")
    return {"dataset": name, "gradient_error": error, "test_accuracy": history.history["val_accuracy"][-1],
            "history": history.history}


if __name__ == "__main__":
    main()
