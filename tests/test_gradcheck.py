import numpy as np
import pytest

from nerve.gradcheck import check_gradients, gradient_descent, numerical_diff, numerical_gradient
from nerve.layers import Dense


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


def test_numerical_diff_of_the_books_function():
    # f(x) = 0.01x² + 0.1x has derivative 0.02x + 0.1: 0.2 at 5, 0.3 at 10
    f = lambda x: 0.01 * x ** 2 + 0.1 * x  # noqa: E731
    assert numerical_diff(f, 5) == pytest.approx(0.2, abs=1e-9)
    assert numerical_diff(f, 10) == pytest.approx(0.3, abs=1e-9)


def test_numerical_gradient_of_sum_of_squares_at_3_4():
    np.testing.assert_allclose(numerical_gradient(function_2, np.array([3.0, 4.0])), [6.0, 8.0], atol=1e-6)


def test_numerical_gradient_works_for_any_shape_and_restores_x():
    x = np.arange(6, dtype=float).reshape(2, 3)
    before = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda a: np.sum(a ** 2), x), 2 * before, atol=1e-6)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("view", ["transposed", "strided"])
def test_numerical_gradient_perturbs_a_non_contiguous_array_itself(view):
    # reshape(-1) of such a view is a copy: perturbing that copy left x alone and gave a zero gradient
    base = np.arange(24, dtype=float).reshape(4, 6)
    x = base.T if view == "transposed" else base[:, ::2]
    assert not x.flags.c_contiguous
    weights = np.random.default_rng(0).standard_normal(x.shape)
    before = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda a: float(np.sum(a * weights)), x), weights, atol=1e-6)
    np.testing.assert_array_equal(x, before)


def test_check_gradients_of_a_non_contiguous_input(f64):
    x = np.random.default_rng(0).standard_normal((4, 3)).T  # (3, 4), Fortran order
    worst, errors = check_gradients(Dense(2), x, return_details=True)
    assert errors["x"] < 1e-6 and worst < 1e-6


def test_gradient_descent_reaches_the_origin():
    x = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=0.1, step_num=100)
    assert np.abs(x).max() < 1e-8


def test_numerical_gradient_rejects_integer_arrays():
    with pytest.raises(TypeError, match="float ndarray"):
        numerical_gradient(function_2, np.array([3, 4]))


def test_check_gradients_detects_a_wrong_backward(f64):
    class BrokenDense(Dense):
        def backward(self, dout):
            dx = super().backward(dout)
            self.grads["W"] *= 1.01
            return dx

    x = np.random.default_rng(0).standard_normal((3, 4))
    assert check_gradients(Dense(2), x) < 1e-6
    assert check_gradients(BrokenDense(2), x) > 1e-3


def test_tangent_line_is_the_books_function_of_t():
    from nerve.gradcheck import tangent_line

    def function_1(x):
        return 0.01 * x**2 + 0.1 * x

    tf = tangent_line(function_1, 5)
    d = numerical_diff(function_1, 5)
    assert tf(5) == pytest.approx(function_1(5), abs=1e-12)  # touches the curve at x = 5
    assert tf(6) - tf(5) == pytest.approx(d, abs=1e-12) and d == pytest.approx(0.2, abs=1e-8)  # slope f'(5)
    np.testing.assert_allclose(tf(np.array([0.0, 10.0])), [tf(0), tf(10)])  # works on arrays, as plt needs
