"""A container runs a ReLU that is followed by a max-pool after the pool: same outputs and gradients, to the bit."""

import numpy as np
import pytest

import nerve
from nerve import Sequential
from nerve.backend import default_dtype
from nerve.gradcheck import check_gradients
from nerve.layers import Conv2D, Dense, Flatten, LeakyReLU, MaxPool2D, ReLU
from nerve.layers.reorder import execution_order
from nerve.optimizers import Adam
from nerve.training.step import loss_and_gradients


class InOrderReLU(ReLU):
    """A ReLU the container never moves (only the exact class is swapped): the reference order."""


def pair_of_models(relu_cls, channels, pool, stride, padding, first=False):
    nerve.seed(0)
    head = [] if first else [Conv2D(3, 3, padding=1)]
    layers = [*head, relu_cls(), MaxPool2D(pool, stride=stride, padding=padding), Flatten(), Dense(4)]
    model = Sequential(layers, input_shape=(channels, 6, 6))
    model.compile(Adam(0.01), "softmax_cross_entropy")
    return model


def inputs(channels, seed=1):
    # small integers: many exact zeros and ties inside windows, where the tie rules could differ
    rng = np.random.default_rng(seed)
    return rng.integers(-2, 3, (5, channels, 6, 6)).astype(np.float32), np.arange(5) % 4


@pytest.mark.parametrize("channels", [1, 2])  # the conv's one-channel grid kernel and its im2col path
@pytest.mark.parametrize("pool,stride,padding", [(2, 2, 0), (3, 2, 1), (2, 1, 0)])
@pytest.mark.parametrize("first", [False, True])  # the ReLU as the model's first layer: dL/dx through the pair
def test_pooling_first_gives_bit_identical_outputs_gradients_and_training(channels, pool, stride, padding, first):
    moved = pair_of_models(ReLU, channels, pool, stride, padding, first)
    kept = pair_of_models(InOrderReLU, channels, pool, stride, padding, first)
    x, t = inputs(channels)
    assert [type(s) for s in execution_order(moved.layers)][-4:-2] == [MaxPool2D, ReLU]
    for training in (True, False):
        np.testing.assert_array_equal(moved.forward(x, training=training), kept.forward(x, training=training))
    a = loss_and_gradients(moved, x, t, input_grad=True)
    b = loss_and_gradients(kept, x, t, input_grad=True)
    assert a.loss == b.loss
    np.testing.assert_array_equal(a.input_grad, b.input_grad)
    for key in kept.grads:
        np.testing.assert_array_equal(moved.grads[key], kept.grads[key])
    for step in range(5):
        xb, tb = inputs(channels, seed=10 + step)
        moved.train_on_batch(xb, tb)
        kept.train_on_batch(xb, tb)
    for key in kept.params:
        np.testing.assert_array_equal(moved.params[key], kept.params[key])


def test_the_reordered_model_passes_a_float64_gradient_check():
    with default_dtype(np.float64):
        model = pair_of_models(ReLU, 2, 2, 2, 0)
        x, t = inputs(2)
        x = x + np.random.default_rng(3).uniform(-0.3, 0.3, x.shape)  # away from ReLU's kink and pool ties
        assert check_gradients(model, x, t) < 1e-6


def test_execution_order_swaps_only_a_built_relu_and_maxpool_of_exactly_those_classes():
    relu, pool, dense = ReLU(), MaxPool2D(2), Dense(3)
    assert execution_order([relu, pool]) == [relu, pool]  # not built: nothing to build the twin for
    model = Sequential([Conv2D(2, 3), relu, pool, Flatten(), dense], input_shape=(1, 6, 6))
    order = execution_order(model.layers)
    assert order[1] is pool and order[2] is not relu and type(order[2]) is ReLU
    assert order[2].input_shape == order[2].output_shape == pool.output_shape == (2, 2, 2)
    assert relu.input_shape == (2, 4, 4)  # the model's own ReLU is unchanged
    leaky = Sequential([Conv2D(2, 3), LeakyReLU(0.1), MaxPool2D(2)], input_shape=(1, 6, 6))
    assert execution_order(leaky.layers) == leaky.layers
    subclass = Sequential([Conv2D(2, 3), InOrderReLU(), MaxPool2D(2)], input_shape=(1, 6, 6))
    assert execution_order(subclass.layers) == subclass.layers
    after = Sequential([Conv2D(2, 3), MaxPool2D(2), ReLU()], input_shape=(1, 6, 6))
    assert execution_order(after.layers) == after.layers


def test_a_layer_replaced_in_place_is_run_and_the_order_is_remade():
    model = pair_of_models(ReLU, 1, 2, 2, 0)
    x, _ = inputs(1)
    model.forward(x)
    nerve.seed(5)
    other = Dense(4)
    other.build((27,))
    model.layers[-1] = other  # same list, same length: the order made for the first forward is stale
    expected = x
    for layer in model.layers:
        expected = layer.forward(expected)
    np.testing.assert_array_equal(model.forward(x), expected)


def test_an_average_pool_after_a_relu_runs_in_the_written_order():
    # relu(mean(x)) != mean(relu(x)): only max pooling commutes with the ReLU
    from nerve.layers import AvgPool2D

    model = Sequential([Conv2D(2, 3, padding=1), ReLU(), AvgPool2D(2), Flatten(), Dense(3)], input_shape=(1, 6, 6))
    x, _ = inputs(1)
    expected = x
    for layer in model.layers:
        expected = layer.forward(expected)
    np.testing.assert_array_equal(model.forward(x), expected)


def test_a_relu_or_pool_with_a_hook_on_the_instance_runs_in_the_written_order():
    for hooked in (1, 2):
        model = pair_of_models(ReLU, 1, 2, 2, 0)
        layer, seen = model.layers[hooked], []
        original = layer.forward

        def hook(x, training=False, _original=original, seen=seen):
            seen.append((x.shape, bool(x.min() >= 0)))
            return _original(x, training=training)

        layer.forward = hook
        x, _ = inputs(1)
        model.forward(x)
        # as written: the ReLU gets the conv's output, the pool the ReLU's (never negative)
        assert seen == [((5, 3, 6, 6), hooked == 2)]


def test_a_replacement_that_compares_equal_still_replaces():
    class EqualDense(Dense):  # a user class whose == compares configs: equal, yet another layer
        def __eq__(self, other):
            return isinstance(other, Dense) and self.units == other.units

        __hash__ = Dense.__hash__

    nerve.seed(0)
    model = Sequential([Conv2D(3, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(), EqualDense(4)],
                       input_shape=(1, 6, 6))
    x, _ = inputs(1)
    model.forward(x)
    other = EqualDense(4)
    other.build((27,))
    assert other == model.layers[-1]
    model.layers[-1] = other
    expected = x
    for layer in model.layers:
        expected = layer.forward(expected)
    np.testing.assert_array_equal(model.forward(x), expected)


def test_the_model_runs_its_relu_on_the_pooled_values(monkeypatch):
    # the bit-identity tests above would pass just as well if the container ignored the reorder: watch the ReLU
    seen, original = [], ReLU.forward

    def watched(self, x, *args, **kwargs):  # on the class, not the instance: a hook there keeps the written order
        seen.append(x.shape)
        return original(self, x, *args, **kwargs)

    model = pair_of_models(ReLU, 1, 2, 2, 0)
    monkeypatch.setattr(ReLU, "forward", watched)
    x, _ = inputs(1)
    model.forward(x, training=False)
    assert seen == [(5, 3, 3, 3)]  # after the pool (3x6x6 -> 3x3x3), not on the conv's 3x6x6 output
