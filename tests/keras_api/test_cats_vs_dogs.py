"""Seed 001's Keras cats-vs-dogs listing runs on nerve.keras and has Keras's parameter count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pip_extras import require

LISTING = Path(__file__).resolve().parents[2] / "examples" / "keras" / "cats_vs_dogs.py"
SIZE = 99  # the smallest input the listing's stack of strides and valid windows accepts


def keras_param_count(size: int, widths=(4096, 4096, 1000)) -> tuple[int, int]:
    """(total, non-trainable) as Keras's summary reports them for the listing at size x size x 3 input
    (``widths``: its three hidden Dense layers).

    Conv2D: k·k·c_in·filters + filters; BatchNormalization: 4·C (gamma, beta trainable; moving mean and
    variance non-trainable, 2·C); Dense: in·units + units; 'valid' windows: (n - k) // s + 1; 'same': n.
    """
    def out(n, k, s):
        return (n - k) // s + 1

    total = nontrainable = 0
    n, c = size, 3
    for filters, k, s, pad, pool in [(6, 11, 4, "valid", True), (256, 5, 1, "same", True),
                                     (384, 3, 1, "same", False), (384, 3, 1, "same", False),
                                     (356, 3, 1, "valid", True)]:
        total += k * k * c * filters + filters + 4 * filters
        nontrainable += 2 * filters
        n, c = (n if pad == "same" else out(n, k, s)), filters
        if pool:
            n = out(n, 3, 2)
    units = n * n * c
    for width in (*widths, 2):
        total += units * width + width
        units = width
    return total, nontrainable


def test_keras_count_of_the_listing_at_224():
    # by hand: convs 3,484,140 + BatchNormalization 4·1,386 = 5,544 + Dense (4·4·356 = 5,696 inputs)
    # 23,334,912 + 16,781,312 + 4,097,000 + 2,002; Keras's summary: "Total params: 47,704,910",
    # "Non-trainable params: 2,772" (the moving mean and variance, 2·1,386)
    assert keras_param_count(224) == (47_704_910, 2_772)


def _images(root: Path, per_class: int = 3) -> None:
    from PIL import Image

    gen = np.random.default_rng(0)
    for label in ("cat", "dog"):
        (root / label).mkdir(parents=True)
        for i in range(per_class):
            pixels = gen.integers(0, 256, (24, 24, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(root / label / f"{label}.{i}.png")


@pytest.mark.timeout(120)
def test_listing_trains_saves_h5_and_predicts(tmp_path, monkeypatch, capsys):
    require("h5py")
    _images(tmp_path / "c_vs_d" / "train")
    monkeypatch.chdir(tmp_path)
    # only sizes change: a 99x99 input, hidden Dense widths 128/128/32, 3 images a batch, 2 steps (every layer
    # type and argument stays as printed); the full-size model would hold ~48M weights, ~400 MB with gradients
    source = (LISTING.read_text(encoding="utf-8").replace("224", str(SIZE)).replace("batch_size=100", "batch_size=3")
              .replace("steps_per_epoch=10", "steps_per_epoch=2").replace("Dense(4096", "Dense(128")
              .replace("Dense(1000", "Dense(32"))
    namespace = {"__name__": "cats_vs_dogs"}
    exec(compile(source, str(LISTING), "exec"), namespace)

    namespace["train"]()
    out = capsys.readouterr().out
    assert "{'cat': 0, 'dog': 1}" in out and "'loss': [" in out and "'accuracy': [" in out
    assert (tmp_path / "cat_vs_dog_weight.h5").read_bytes()[:8] == b"\x89HDF\r\n\x1a\n"  # HDF5, not an .npz

    model = namespace["createModel"]()
    total, nontrainable = keras_param_count(SIZE, widths=(128, 128, 32))
    assert model.count_params() == total
    assert model.count_params() - sum(p.size for p in model.params.values()) == nontrainable
    assert f"Total params: {total:,}" in model.summary(print_fn=None)

    namespace["predict"](str(tmp_path / "c_vs_d" / "train" / "cat" / "cat.0.png"))
    assert capsys.readouterr().out.strip() in ("cat", "dog")
