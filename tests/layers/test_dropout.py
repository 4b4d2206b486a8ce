import numpy as np
import pytest

import nerve
from nerve.gradcheck import check_gradients
from nerve.layers import Dropout


def test_inverted_dropout_keeps_the_expected_value():
    x = np.ones((200, 500), dtype=np.float32)
    y = Dropout(0.3).forward(x, training=True)
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.02


def test_dropout_is_identity_in_inference():
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    np.testing.assert_array_equal(Dropout(0.5).forward(x), x)


def test_dropout_backward_uses_the_forward_mask(f64):
    x = np.random.default_rng(0).standard_normal((6, 7))
    assert check_gradients(Dropout(0.4), x) < 1e-6


def test_dropout_is_reproducible_with_seed():
    x = np.ones((3, 8))
    nerve.seed(5)
    a = Dropout(0.5).forward(x, training=True)
    nerve.seed(5)
    b = Dropout(0.5).forward(x, training=True)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("rate", [1.0, -0.1, float("nan"), "half"])
def test_dropout_rejects_bad_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        Dropout(rate)
