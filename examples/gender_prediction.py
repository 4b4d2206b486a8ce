"""Predicting gender from weight and height with a 2-2-1 sigmoid network trained by backprop (tutorial 004)."""

from __future__ import annotations

import nerve
from nerve.datasets import gender_test_points, load_gender
from nerve.layers import Dense, Sigmoid
from nerve.optimizers import SGD


def main(epochs: int = 1000, seed: int = 0) -> dict:
    # weight (lb) and height (in) minus 135 and 66; label 1 = female (Alice, Diana), 0 = male (Bob, Charlie)
    x, y = load_gender()
    nerve.seed(seed)
    model = nerve.Sequential([Dense(2, weight_init=1.0), Sigmoid(), Dense(1, weight_init=1.0), Sigmoid()],
                             input_shape=(2,))
    model.compile(SGD(lr=0.1), "mse")  # the tutorial: MSE loss, one sample per update, learn rate 0.1
    history = model.fit(x, y.reshape(-1, 1), epochs=epochs, batch_size=1, verbose=0)
    losses = history.history["loss"]
    print(f"loss: epoch 1 {losses[0]:.3f} -> epoch {epochs} {losses[-1]:.4f}")

    people, names = gender_test_points()
    p_female = model.predict(people)[:, 0]
    for name, p in zip(names, p_female):
        print(f"{name}: {p:.3f}  ({'female' if p > 0.5 else 'male'})")  # Emily ~0.95 F, Frank ~0.04 M
    return {"loss_first": losses[0], "loss_last": losses[-1], **dict(zip(names, p_female.tolist()))}


if __name__ == "__main__":
    main()
