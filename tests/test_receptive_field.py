"""receptive_field: the formula against seed 000 and against a stride/pool stack."""

from __future__ import annotations

import nerve
from nerve.layers import Conv2D, MaxPool2D, ReLU
from nerve.receptive_field import receptive_field


def test_seed_example_3x3_then_4x4():
    model = nerve.Sequential([Conv2D(1, 3), Conv2D(1, 2)], input_shape=(1, 6, 6))
    assert [row["size"] for row in receptive_field(model)] == [(3, 3), (4, 4)]


def test_strides_and_pooling_widen_the_field():
    model = nerve.Sequential([Conv2D(2, 3, padding=1), ReLU(), MaxPool2D(2), Conv2D(2, 3, stride=2), MaxPool2D(2)],
                             input_shape=(1, 32, 32))
    rows = receptive_field(model)
    # 3 -> (relu) 3 -> pool: 3 + 1·1 = 4, jump 2 -> conv: 4 + 2·2 = 8, jump 4 -> pool: 8 + 1·4 = 12, jump 8
    assert [r["size"][0] for r in rows] == [3, 3, 4, 8, 12] and rows[-1]["jump"] == (8, 8)
