"""The channel bias and its gradient along long rows equal the plain broadcast add and column sum."""

from __future__ import annotations

import numpy as np
import pytest

from nerve.channel_bias import add_channel_bias, channel_bias_gradient


@pytest.mark.parametrize("rows", [1, 7, 64, 96, 100, 57600, 1009])  # divisors of 64 or not, a prime
@pytest.mark.parametrize("channels", [1, 3, 30])
def test_bias_and_gradient_equal_the_broadcast_forms(rows, channels):
    rng = np.random.default_rng(rows + channels)
    a = rng.standard_normal((rows, channels))
    b = rng.standard_normal(channels)
    out = a.copy()
    add_channel_bias(out, b)
    np.testing.assert_array_equal(out, a + b)
    grad = np.empty(channels)
    channel_bias_gradient(a, grad)
    np.testing.assert_allclose(grad, a.sum(axis=0), rtol=1e-12, atol=1e-12)


def test_float32_sums_stay_accurate_over_a_large_batch():
    # 57,600 rows (SimpleConvNet's first layer, batch 100): within float32 rounding of the float64 sum
    a = np.random.default_rng(0).standard_normal((57600, 30)).astype(np.float32)
    grad = np.empty(30, np.float32)
    channel_bias_gradient(a, grad)
    np.testing.assert_allclose(grad, a.astype(np.float64).sum(axis=0), rtol=1e-4, atol=2e-3)
