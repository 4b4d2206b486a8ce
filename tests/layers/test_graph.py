import numpy as np
import pytest

from nerve.gradcheck import numerical_gradient
from nerve.layers import Add, Multiply


def test_apple_example_from_the_book():
    mul_apple, mul_tax = Multiply(), Multiply()
    price = mul_tax.forward(mul_apple.forward(100, 2), 1.1)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dnum = mul_apple.backward(dapple_price)
    assert price == pytest.approx(220)
    assert (dapple, dnum, dtax) == pytest.approx((2.2, 110, 200))


def test_apple_and_orange_example_with_add():
    mul_apple, mul_orange, add, mul_tax = Multiply(), Multiply(), Add(), Multiply()
    total = mul_tax.forward(add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3)), 1.1)
    dall, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dall)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    assert total == pytest.approx(715)
    assert (dapple, dapple_num, dorange, dorange_num, dtax) == pytest.approx((2.2, 110, 3.3, 165, 650))


@pytest.mark.parametrize("node", [Add(), Multiply()], ids=repr)
def test_nodes_sum_gradients_over_broadcast_axes(node):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((1, 4))
    R = rng.standard_normal((3, 4))
    node.forward(x, y)
    dx, dy = node.backward(R)
    assert dy.shape == (1, 4)
    np.testing.assert_allclose(dx, numerical_gradient(lambda v: np.sum(node.forward(v, y) * R), x), atol=1e-7)
    np.testing.assert_allclose(dy, numerical_gradient(lambda v: np.sum(node.forward(x, v) * R), y), atol=1e-7)


def test_graph_node_backward_before_forward():
    with pytest.raises(RuntimeError, match="before forward"):
        Multiply().backward(1)
