"""The book's SimpleConvNet (conv 30x5x5 - ReLU - pool - affine 100 - ReLU - affine) trained with Adam on
MNIST-family images (or the offline 8x8 digits)."""

from __future__ import annotations

import nerve
from nerve import zoo
from nerve.optimizers import Adam

try:
    from examples._data import load
except ImportError:  # run as a script from examples/
    from _data import load


def main(dataset: str = "auto", epochs: int = 3, batch_size: int = 100, limit: int | None = 2000,
         seed: int = 0) -> dict:
    (x_train, t_train), (x_test, t_test), name = load(dataset, flatten=False)  # (N, 1, H, W) images
    if limit:
        x_train, t_train, x_test, t_test = x_train[:limit], t_train[:limit], x_test[:limit], t_test[:limit]
    nerve.seed(seed)
    model = zoo.simple_conv_net(input_shape=x_train.shape[1:], weight_init="he")
    model.compile(Adam(lr=0.001), "softmax_cross_entropy", metrics=["accuracy"])
    model.summary()
    history = model.fit(x_train, t_train, epochs=epochs, batch_size=batch_size, verbose=0,
                        validation_data=(x_test, t_test))
    for epoch, val in enumerate(history.history["val_accuracy"], 1):
        print(f"epoch {epoch}: test accuracy {val:.4f}")
    first_filters = model.layers[0].params["W"]
    print(f"{name}: {len(x_train)} training images, test accuracy {history.history['val_accuracy'][-1]:.4f}")
    return {"dataset": name, "test_accuracy": history.history["val_accuracy"][-1], "filters": first_filters,
            "model": model}


if __name__ == "__main__":
    main()
