import numpy as np
import pytest

from nerve import initializers


def test_he_and_xavier_scales():
    he = initializers.He()((400, 300))
    xa = initializers.Xavier()((400, 300))
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert xa.std() == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert he.dtype == np.float32


def test_conv_fans_use_the_receptive_field():
    assert initializers.fans((16, 3, 5, 5)) == (75, 400)


def test_get_accepts_names_stds_and_rejects_others():
    assert isinstance(initializers.get("he"), initializers.He)
    assert initializers.get(0.01).std == 0.01
    with pytest.raises(ValueError, match="Could not interpret initializer"):
        initializers.get("orthogonal")
    assert initializers.serialize(initializers.get(0.05)) == 0.05


def test_uniform_and_glorot_uniform_bounds_and_files():
    w = initializers.Uniform(-1.0, 1.0)((200, 50))
    assert w.dtype == np.float32 and -1 <= w.min() < -0.99 and 0.99 < w.max() < 1 and abs(w.mean()) < 0.02
    limit = np.sqrt(6 / (200 + 50))
    g = initializers.get("glorot_uniform")((200, 50))
    assert -limit <= g.min() < -0.98 * limit and 0.98 * limit < g.max() <= limit
    again = initializers.get(initializers.serialize(initializers.Uniform(-0.5, 2.0)))
    assert (again.low, again.high) == (-0.5, 2.0)
    with pytest.raises(ValueError, match="low < high"):
        initializers.Uniform(1.0, 1.0)
