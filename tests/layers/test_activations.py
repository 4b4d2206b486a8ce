import warnings

import numpy as np
import pytest

from nerve.gradcheck import check_gradients
from nerve.layers import ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Step, Tanh

SMOOTH = [Sigmoid(), Tanh(), Softmax(), ELU(alpha=0.7)]
KINKED = [ReLU(), LeakyReLU(0.1), PReLU()]


def _away_from_zero(shape, seed=3):
    x = np.random.default_rng(seed).standard_normal(shape)
    return np.where(np.abs(x) < 0.05, 0.3, x)  # central differences straddling a kink are wrong by design


@pytest.mark.parametrize("layer", SMOOTH + KINKED, ids=lambda l: type(l).__name__)
def test_activation_passes_gradient_check(f64, layer):
    assert check_gradients(layer, _away_from_zero((4, 5))) < 1e-6


def test_prelu_learns_one_alpha_per_channel_on_images(f64):
    layer = PReLU()
    worst, errors = check_gradients(layer, _away_from_zero((2, 3, 4, 4)), return_details=True)
    assert layer.params["alpha"].shape == (3,)
    assert worst < 1e-6 and errors["alpha"] < 1e-6


def test_sigmoid_neuron_from_the_tutorial():
    # w = [0, 1], b = 4, x = [2, 3]: sigmoid(0*2 + 1*3 + 4) = sigmoid(7)
    w, b, x = np.array([0.0, 1.0]), 4.0, np.array([2.0, 3.0])
    y = Sigmoid().forward(np.array([[w @ x + b]]))
    assert y[0, 0] == 0.9990889488055994


def test_sigmoid_and_softmax_never_overflow():
    x = np.array([[1000.0, -1000.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = Sigmoid().forward(x)
        p = Softmax().forward(x)
    np.testing.assert_allclose(s, [[1.0, 0.0, 0.5]])
    np.testing.assert_allclose(p, [[1.0, 0.0, 0.0]])


def test_relu_backward_leaves_the_incoming_gradient_untouched():
    layer = ReLU()
    layer.forward(np.array([[-1.0, 2.0]]))
    dout = np.array([[5.0, 6.0]])
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dout, [[5.0, 6.0]])
    np.testing.assert_array_equal(dx, [[0.0, 6.0]])


def test_relu_gradient_at_zero_is_zero():
    layer = ReLU()
    layer.forward(np.array([[0.0]]))
    assert layer.backward(np.array([[1.0]]))[0, 0] == 0.0


def test_step_is_the_perceptron_activation():
    np.testing.assert_array_equal(Step().forward(np.array([[-1.0, 0.0, 0.5]])), [[0.0, 0.0, 1.0]])


def test_known_values():
    x = np.array([[-2.0, 3.0]])
    np.testing.assert_allclose(LeakyReLU(0.1).forward(x), [[-0.2, 3.0]])
    np.testing.assert_allclose(ELU(1.0).forward(x), [[np.exp(-2) - 1, 3.0]])
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))
    np.testing.assert_allclose(Softmax().forward(x).sum(), 1.0)


def test_elu_does_not_overflow_for_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ELU().forward(np.array([[1e4]]))[0, 0] == 1e4


@pytest.mark.parametrize("cls", [LeakyReLU, ELU])
def test_negative_alpha_is_rejected(cls):
    with pytest.raises(ValueError, match="alpha"):
        cls(alpha=-1)


@pytest.mark.parametrize("shape", [(3, 4, 5, 6), (40, 8, 8, 8)])  # below and above the scalar path's size
@pytest.mark.parametrize("layout", [(0, 1, 2, 3), (0, 3, 1, 2), (1, 0, 2, 3)])
def test_relu_keeps_nan_and_the_input_layout(layout, shape):
    # a large batch takes the max against one sample's zeros, broadcast: it must follow any memory layout
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    x = np.ascontiguousarray(x.transpose(layout)).transpose(np.argsort(layout))
    x[1, 2, 3, 4] = np.nan
    y = ReLU().forward(x)
    expected = np.where(np.isnan(x), np.nan, np.maximum(x, 0))
    np.testing.assert_array_equal(y, expected)
    assert y.strides == x.strides and y.dtype == np.float32


@pytest.mark.parametrize("shape", [(3, 4, 5, 6), (40, 8, 8, 8)])
def test_relu_backward_hands_back_its_gradient_in_the_forwards_layout(shape):
    # y channels-last (a conv's output), dout NCHW (a Flatten's): dx = dout·[y > 0], laid out like y, so the
    # layer below reads it in order; dout itself is left alone
    from nerve.layout import axis_order

    rng = np.random.default_rng(2)
    x = np.ascontiguousarray(rng.standard_normal(shape).astype(np.float32).transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    dout = rng.standard_normal(shape).astype(np.float32)
    dout[0, 0, 0, :] = np.nan
    layer = ReLU()
    y = layer.forward(x, training=True)
    before = dout.copy()
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dx, dout * (x > 0))  # NaN stays NaN where x > 0 and NaN·0 where not
    assert axis_order(dx) == axis_order(y) == [0, 2, 3, 1]
    np.testing.assert_array_equal(dout, before)
