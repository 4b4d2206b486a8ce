import numpy as np
import pytest

from nerve.gradcheck import check_gradients
from nerve.layers import Dense, Flatten, Identity, Reshape


def test_dense_computes_x_at_W_plus_b_with_the_contract_layout():
    layer = Dense(3)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    y = layer.forward(x)
    assert layer.params["W"].shape == (4, 3) and layer.params["b"].shape == (3,)
    np.testing.assert_allclose(y, x @ layer.params["W"] + layer.params["b"], rtol=1e-6)
    assert y.dtype == np.float32


@pytest.mark.parametrize("use_bias", [True, False])
def test_dense_passes_gradient_check(f64, use_bias):
    x = np.random.default_rng(1).standard_normal((5, 4))
    assert check_gradients(Dense(3, use_bias=use_bias), x) < 1e-6


def test_dense_rejects_wrong_input_width_naming_layer_and_shapes():
    layer = Dense(3, name="fc")
    layer.forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"Dense.*'fc'.*\(batch, 4\).*\(2, 5\)"):
        layer.forward(np.zeros((2, 5)))


def test_dense_on_images_asks_for_flatten():
    with pytest.raises(ValueError, match="Flatten"):
        Dense(3).forward(np.zeros((2, 1, 4, 4)))


def test_dense_validates_units_keras_style():
    with pytest.raises(ValueError,
                       match=r"Dense: received an invalid value for `units`, expected an integer >= 1. "
                             r"Received: units=0"):
        Dense(0)


def test_backward_before_forward_is_a_clear_error():
    layer = Dense(2)
    layer.build((3,))
    with pytest.raises(RuntimeError, match="backward\\(\\) called before forward"):
        layer.backward(np.ones((1, 2)))


def test_dense_weight_init_std_matches_the_book():
    layer = Dense(500, weight_init=0.01)
    layer.build((400,))
    assert abs(layer.params["W"].std() - 0.01) < 0.0005


@pytest.mark.parametrize("layer, shape", [(Flatten(), (2, 3, 4, 5)), (Reshape((6, -1)), (2, 3, 4)),
                                          (Identity(), (3, 4))])
def test_shape_layers_pass_gradient_check(f64, layer, shape):
    x = np.random.default_rng(2).standard_normal(shape)
    assert check_gradients(layer, x) < 1e-6


def test_reshape_rejects_incompatible_target():
    with pytest.raises(ValueError, match="cannot reshape"):
        Reshape((7,)).forward(np.zeros((2, 3, 4)))
