"""Sequential.fit trains from a DataLoader and from ImageDataGenerator iterators (Keras's fit_generator)."""

from __future__ import annotations

import numpy as np
from PIL import Image

import nerve
from nerve.datasets import DataLoader, ImageDataGenerator, make_moons
from nerve.layers import Dense, Flatten, ReLU


def _mlp(*first):
    model = nerve.Sequential([*first, Dense(16), ReLU(), Dense(2)])
    model.compile("adam", "softmax_cross_entropy", metrics=["accuracy"])
    return model


def test_fit_with_dataloader_decreases_loss():
    nerve.seed(0)
    x, y = make_moons(200, noise=0.1, seed=0)
    history = _mlp().fit(DataLoader(x, y, batch_size=20, seed=0), epochs=15, verbose=0)
    loss = history.history["loss"]
    assert len(loss) == 15 and loss[-1] < 0.7 * loss[0]


def test_fit_with_flow_and_steps_per_epoch_decreases_loss():
    nerve.seed(1)
    gen = np.random.default_rng(0)
    x = gen.random((64, 1, 6, 6)).astype(np.float32)
    x[:32] += 0.5  # class 1 is brighter: a label that flips and small rotations keep
    y = np.r_[np.ones(32), np.zeros(32)].astype(np.int64)
    flow = ImageDataGenerator(horizontal_flip=True, rotation_range=10, seed=0).flow(x, y, batch_size=16, seed=0)
    history = _mlp(Flatten()).fit(flow, epochs=15, steps_per_epoch=len(flow), verbose=0)
    loss = history.history["loss"]
    assert len(loss) == 15 and loss[-1] < 0.7 * loss[0]


def test_fit_with_flow_from_directory(tmp_path):
    nerve.seed(2)
    gen = np.random.default_rng(0)
    for k, name in enumerate(["cat", "dog"]):
        (tmp_path / name).mkdir()
        for i in range(8):
            pixels = gen.integers(0, 100, (6, 6, 3), dtype=np.uint8)
            pixels[..., 2 * k] += 150  # cats are red, dogs are blue
            Image.fromarray(pixels).save(tmp_path / name / f"{i}.png")
    gen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=20, width_shift_range=0.2, height_shift_range=0.2,
                             shear_range=0.2, zoom_range=0.5, horizontal_flip=True, seed=0)  # the tutorial's
    it = gen.flow_from_directory(tmp_path, target_size=(6, 6), batch_size=4, class_mode="categorical", seed=0)
    assert it.class_indices == {"cat": 0, "dog": 1}
    history = _mlp(Flatten()).fit(it, epochs=10, steps_per_epoch=len(it), verbose=0)
    assert history.history["loss"][-1] < 0.7 * history.history["loss"][0]
