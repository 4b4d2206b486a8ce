"""check_finite: the one-pass Σx² test and its exact fallback agree with np.isfinite on every kind of array."""

import numpy as np
import pytest

from nerve.errors import check_finite


def _arrays():
    rng = np.random.default_rng(0)
    base = rng.standard_normal((50, 7))
    for dtype in (np.float32, np.float64, np.float16):
        yield f"{np.dtype(dtype).name} finite", base.astype(dtype), True
        for bad in (np.nan, np.inf, -np.inf):
            a = base.astype(dtype)
            a[13, 4] = bad
            yield f"{np.dtype(dtype).name} {bad}", a, False
            yield f"{np.dtype(dtype).name} {bad}, strided", a[:, ::2], False
    # Σx² overflows although every value is finite: 1e30² = 1e60 > float32's 3.4e38; 1e200² > float64's max
    yield "float32 huge but finite", np.full((4, 3), 1e30, np.float32), True
    yield "float64 huge but finite", np.full((4, 3), 1e200), True
    yield "float32 huge with a nan", np.array([1e30, np.nan, 1.0], np.float32), False
    yield "non-contiguous finite", base.T, True
    yield "ints", np.arange(12).reshape(3, 4), True


@pytest.mark.parametrize("name, x, finite", list(_arrays()), ids=[a[0] for a in _arrays()])
def test_check_finite_matches_isfinite(name, x, finite):
    assert bool(np.isfinite(x).all()) == finite  # the case is what its name says
    if finite:
        check_finite(x, "Sequential: x")
    else:
        with pytest.raises(ValueError, match=r"Sequential: x: input contains 1 NaN or inf value\(s\)"):
            check_finite(x, "Sequential: x")
