"""The learning-rate range test leaves the model untouched and suggests a rate below the divergence."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.layers import Dense, ReLU
from nerve.lr_finder import find_lr
from nerve.optimizers import Momentum


@pytest.fixture
def setup():
    nerve.seed(0)
    gen = np.random.default_rng(0)
    x = gen.standard_normal((200, 4)).astype(np.float32)
    t = (x[:, 0] - x[:, 1] > 0).astype(np.int64)
    model = nerve.Sequential([Dense(16), ReLU(), Dense(2)], input_shape=(4,))
    model.compile(Momentum(lr=0.05), "softmax_cross_entropy")
    model.fit(x, t, epochs=1, verbose=0)  # so the optimizer has state worth protecting
    return model, x, t


def test_rates_grow_geometrically_and_the_model_is_restored(setup):
    model, x, t = setup
    params = {k: v.copy() for k, v in model.params.items()}
    velocity = {k: v.copy() for k, v in model.optimizer.slots["v"].items()}
    iterations = model.optimizer.iterations
    result = find_lr(model, x, t, start_lr=1e-4, end_lr=1e-1, num_steps=4, batch_size=50)
    assert result.lrs == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1])
    for key, value in model.params.items():
        np.testing.assert_array_equal(value, params[key])
        np.testing.assert_array_equal(model.optimizer.slots["v"][key], velocity[key])
    assert model.optimizer.iterations == iterations and model.optimizer.lr == 0.05


def test_stops_when_the_loss_diverges_and_suggests_a_smaller_rate(setup):
    model, x, t = setup
    result = find_lr(model, x, t, start_lr=1e-4, end_lr=1e4, num_steps=80, batch_size=20)
    assert len(result.lrs) < 80  # the run stopped early
    assert result.suggestion is not None and result.suggestion < result.lrs[-1] / 10
    fig = result.plot()
    assert fig.axes[0].get_xscale() == "log"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"start_lr": 1.0, "end_lr": 0.1}, "greater"), ({"start_lr": -1.0}, "start_lr"), ({"num_steps": 1},
     "`num_steps`, expected an integer >= 2"),
    ({"smoothing": 1.0}, "smoothing"),
])
def test_bad_arguments(setup, kwargs, match):
    model, x, t = setup
    with pytest.raises(ValueError, match=match):
        find_lr(model, x, t, **kwargs)
