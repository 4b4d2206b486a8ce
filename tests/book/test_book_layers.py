"""nerve.book.layers: the book's interface, shared parameter arrays, float64, and a gradient check of each."""

from __future__ import annotations

import numpy as np
import pytest

import nerve
from nerve.book.gradient import numerical_gradient
from nerve.book.layers import (
    AddLayer,
    Affine,
    BatchNormalization,
    Convolution,
    Dropout,
    MulLayer,
    Pooling,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
)

RNG = np.random.default_rng(42)


def gradient_check(layer, x, params=(), grads=(), train=None):
    """Max |backprop - numerical| over dx and each parameter, for f = Σ forward(x)·R."""
    def forward():
        if train is None:
            return layer.forward(x)
        nerve.seed(3)  # the same dropout mask every time
        return layer.forward(x, train)

    R = np.random.default_rng(1).standard_normal(forward().shape)

    def f(_=None):
        return float(np.sum(forward() * R))

    f()
    dx = layer.backward(R.copy())
    errors = {"x": np.abs(dx - numerical_gradient(f, x)).max()}
    for p, g in zip(params, grads):
        errors[g] = np.abs(getattr(layer, g) - numerical_gradient(f, p)).max()
    return errors


def test_relu_gradient_and_dout_left_unchanged():
    x = RNG.standard_normal((4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink
    assert max(gradient_check(Relu(), x).values()) < 1e-8
    relu = Relu()
    relu.forward(x)
    dout = np.ones_like(x)
    dx = relu.backward(dout)
    assert np.all(dout == 1)  # the book's version zeroes dout where x <= 0
    np.testing.assert_array_equal(dx, (x > 0).astype(float))
    np.testing.assert_array_equal(relu.mask, x <= 0)


def test_sigmoid_gradient_and_out():
    s = Sigmoid()
    x = RNG.standard_normal((3, 4))
    assert max(gradient_check(s, x).values()) < 1e-8
    s.forward(x)
    np.testing.assert_allclose(s.out, 1 / (1 + np.exp(-x)))


def test_affine_uses_the_arrays_it_was_given_and_flattens_tensors():
    W, b = RNG.standard_normal((12, 3)), RNG.standard_normal(3)
    layer = Affine(W, b)
    x = RNG.standard_normal((2, 3, 2, 2))
    errors = gradient_check(layer, x, (W, b), ("dW", "db"))
    assert max(errors.values()) < 1e-8
    assert layer.backward(np.ones((2, 3))).shape == x.shape
    y0 = layer.forward(x)
    W += 1.0  # an optimizer's in-place update ...
    np.testing.assert_allclose(layer.forward(x), y0 + x.reshape(2, -1).sum(axis=1, keepdims=True))  # ... is seen
    with pytest.raises(ValueError, match="W has shape"):
        layer.forward(np.ones((2, 5)))


def test_affine_returns_new_gradient_arrays_each_backward():
    layer = Affine(RNG.standard_normal((4, 2)), np.zeros(2))
    layer.forward(RNG.standard_normal((3, 4)))
    layer.backward(np.ones((3, 2)))
    first = layer.dW
    kept = first.copy()
    layer.forward(RNG.standard_normal((3, 4)))
    layer.backward(np.ones((3, 2)))
    assert layer.dW is not first
    np.testing.assert_array_equal(first, kept)


def test_float64_even_under_a_float32_default():
    nerve.set_default_dtype(np.float32)
    layer = Affine(RNG.standard_normal((4, 2)), np.zeros(2))
    y = layer.forward(RNG.standard_normal((3, 4)).astype(np.float32))
    layer.backward(np.ones((3, 2)))
    assert y.dtype == np.float64 and layer.dW.dtype == np.float64
    conv = Convolution(RNG.standard_normal((2, 1, 3, 3)), np.zeros(2))
    assert conv.forward(np.ones((1, 1, 5, 5), dtype=np.uint8)).dtype == np.float64
    assert nerve.floatx() is np.float32  # the global default is untouched


def test_softmax_with_loss_gradient_for_labels_and_one_hot():
    x = RNG.standard_normal((4, 3))
    labels = np.array([0, 2, 1, 2])
    for t in (labels, np.eye(3)[labels]):
        layer = SoftmaxWithLoss()
        loss = layer.forward(x, t)
        y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
        assert loss == pytest.approx(-np.mean(np.log(y[np.arange(4), labels])))
        np.testing.assert_allclose(layer.y, y)
        np.testing.assert_allclose(layer.backward(), (y - np.eye(3)[labels]) / 4)
        np.testing.assert_allclose(layer.backward(dout=2.0), 2 * (y - np.eye(3)[labels]) / 4)


def test_softmax_with_loss_takes_one_sample_like_cross_entropy_error():
    x = np.array([0.3, 2.9, 4.0])
    y = np.exp(x) / np.exp(x).sum()
    for t in (np.array([0.0, 0.0, 1.0]), 2):
        layer = SoftmaxWithLoss()
        assert layer.forward(x, t) == pytest.approx(-np.log(y[2]))
        np.testing.assert_allclose(layer.backward(), y - [0, 0, 1])


def test_dropout_keeps_the_books_convention():
    x = RNG.standard_normal((200, 50))
    d = Dropout(dropout_ratio=0.3)
    y = d.forward(x, train_flg=True)
    np.testing.assert_allclose(y, x * d.mask)  # training: x·mask, no rescaling
    assert 0.6 < d.mask.mean() < 0.8
    np.testing.assert_allclose(d.backward(np.ones_like(x)), d.mask.astype(float))
    np.testing.assert_allclose(d.forward(x, train_flg=False), x * 0.7)  # inference: x·(1 - ratio)
    assert max(gradient_check(Dropout(0.5), x[:3, :4], train=True).values()) < 1e-8


def test_batch_normalization_gradient_2d_per_channel_and_per_activation():
    x = RNG.standard_normal((5, 4))
    g, b = 1 + 0.1 * RNG.standard_normal(4), 0.1 * RNG.standard_normal(4)
    errors = gradient_check(BatchNormalization(g, b), x, (g, b), ("dgamma", "dbeta"), train=True)
    assert max(errors.values()) < 1e-7
    x4 = RNG.standard_normal((3, 2, 3, 3))
    g2, b2 = 1 + 0.1 * RNG.standard_normal(2), 0.1 * RNG.standard_normal(2)
    bn = BatchNormalization(g2, b2)
    assert max(gradient_check(bn, x4, (g2, b2), ("dgamma", "dbeta"), train=True).values()) < 1e-7
    y = bn.forward(x4, True)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), b2, atol=1e-12)  # per channel
    g18, b18 = np.ones(18), np.zeros(18)
    y = BatchNormalization(g18, b18).forward(x4, True)
    np.testing.assert_allclose(y.reshape(3, -1).mean(axis=0), 0, atol=1e-12)  # per activation (the book's)
    with pytest.raises(ValueError, match="gamma has 5 entries"):
        BatchNormalization(np.ones(5), np.zeros(5)).forward(x4)


def test_batch_normalization_running_statistics():
    x = RNG.standard_normal((50, 3)) * 2 + 5
    bn = BatchNormalization(np.ones(3), np.zeros(3), momentum=0.9)
    bn.forward(x, train_flg=True)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0))
    out = bn.forward(x, train_flg=False)
    np.testing.assert_allclose(out, (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-6))


@pytest.mark.parametrize("stride,pad", [(1, 0), (1, 1), (2, 1), (1, 2)])
def test_convolution_gradient(stride, pad):
    W, b = 0.5 * RNG.standard_normal((3, 2, 3, 3)), RNG.standard_normal(3)
    x = RNG.standard_normal((2, 2, 5, 5))
    conv = Convolution(W, b, stride, pad)
    assert max(gradient_check(conv, x, (W, b), ("dW", "db")).values()) < 1e-8
    out = (5 + 2 * pad - 3) // stride + 1
    assert conv.forward(x).shape == (2, 3, out, out)


def test_convolution_matches_a_direct_sum():
    W, b = RNG.standard_normal((2, 3, 2, 2)), RNG.standard_normal(2)
    x = RNG.standard_normal((1, 3, 3, 3))
    y = Convolution(W, b).forward(x)
    direct = np.array([[[np.sum(x[0, :, i:i + 2, j:j + 2] * W[f]) + b[f] for j in range(2)] for i in range(2)]
                       for f in range(2)])
    np.testing.assert_allclose(y[0], direct)


def test_pooling_gradient_and_the_padding_fix():
    x = RNG.standard_normal((2, 3, 4, 4))
    assert max(gradient_check(Pooling(2, 2, 2), x).values()) < 1e-8
    assert max(gradient_check(Pooling(3, 3, 1, 1), x).values()) < 1e-8
    neg = -1 - np.abs(RNG.standard_normal((1, 1, 4, 4)))
    y = Pooling(2, 2, stride=2, pad=1).forward(neg)
    assert y.shape == (1, 1, 3, 3)  # the book's size formula ignores pad (its reshape fails)
    assert np.all(y < 0)  # padded cells never win; the book pads with zeros that would
    assert Pooling(2, 2).forward(x).shape == (2, 3, 3, 3)  # the book's default stride is 1


def test_mul_and_add_layers_apple_example():
    # seed 001 / the book: 2 apples at 100 with tax 1.1 cost 220; d price / d apple = 2.2
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(100, 2), 1.1)
    assert price == pytest.approx(220)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert dapple == pytest.approx(2.2) and dapple_num == pytest.approx(110) and dtax == pytest.approx(200)
    add = AddLayer()
    assert add.forward(200, 450) == 650 and add.backward(1.1) == (1.1, 1.1)
