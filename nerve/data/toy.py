"""Small seeded data sets for examples and tests: XOR, circles, moons, spirals, blobs, a noisy line, logic
gates and the tutorial's weight/height gender data.

These are the library's only 2-D toy sets: the playground draws its classification datasets from them
(``nerve.playground.datasets`` only moves the points onto its [-6, 6]² board). One label convention holds
everywhere, scikit-learn's where scikit-learn has the set:

* XOR: 1 where exactly one coordinate is positive (``logic_gate("xor")`` applied to the signs), else 0.
* circles: the inner circle is 1, the outer 0.  moons: the upper (outer) moon is 0, the lower (inner) 1.
* spirals and blobs: arm / centre ``k`` is label ``k``.

``noise`` is the standard deviation of Gaussian noise added to the points after they are labelled (for
spirals: to the angle), in the data's own units. With ``seed`` the draw is reproducible on its own; without
it comes from ``nerve.seed``'s generator.
"""

from __future__ import annotations

import numpy as np

from ..backend import floatx, rng
from ..validation import Boolean, Integral, Interval, Real, Satisfies, validate_params

__all__ = [
    "make_xor", "make_circles", "make_moons", "make_spirals", "make_blobs", "make_linear", "logic_gate",
    "load_gender", "gender_test_points", "GENDER_NAMES", "GENDER_SHIFT",
]


def _gen(seed) -> np.random.Generator:
    """A generator from an explicit seed, else the library's (``nerve.seed``)."""
    return np.random.default_rng(seed) if seed is not None else rng()


_COUNT = [Interval(Integral, 1, None)]
_NOISE = [Interval(Real, 0, None)]
_SEED = [None, Interval(Integral, 0, None)]
_COMMON = {"n_samples": _COUNT, "noise": _NOISE, "seed": _SEED}
_SHUFFLED = {**_COMMON, "shuffle": [Boolean]}


def _out(x, y, gen: np.random.Generator, shuffle: bool) -> tuple[np.ndarray, np.ndarray]:
    """Cast to floatx / int64 labels and optionally shuffle rows together."""
    x = np.asarray(x, dtype=floatx())
    y = np.asarray(y, dtype=np.int64)
    if shuffle:
        order = gen.permutation(len(x))
        x, y = x[order], y[order]
    return x, y


@validate_params(_COMMON)
def make_xor(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Points uniform in [-1, 1]^2 labelled 1 where exactly one coordinate is positive -> x (N, 2), y (N,)."""
    n = int(n_samples)
    gen = _gen(seed)
    x = gen.uniform(-1, 1, (n, 2))
    y = (x[:, 0] > 0) ^ (x[:, 1] > 0)
    x += float(noise) * gen.standard_normal((n, 2))
    return _out(x, y, gen, False)


@validate_params({**_SHUFFLED, "factor": [Interval(Real, 0, 1, closed="neither")]})
def make_circles(n_samples: int = 100, noise: float = 0.0, factor: float = 0.8, shuffle: bool = True,
                 seed: int | None = None):
    """An outer circle (label 0) around an inner one of radius ``factor`` (label 1), as in scikit-learn."""
    n = int(n_samples)
    gen = _gen(seed)
    n_out = n // 2
    n_in = n - n_out
    a_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    a_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    x = np.concatenate([np.c_[np.cos(a_out), np.sin(a_out)], factor * np.c_[np.cos(a_in), np.sin(a_in)]])
    y = np.r_[np.zeros(n_out), np.ones(n_in)]
    x += float(noise) * gen.standard_normal(x.shape)
    return _out(x, y, gen, shuffle)


@validate_params(_SHUFFLED)
def make_moons(n_samples: int = 100, noise: float = 0.0, shuffle: bool = True, seed: int | None = None):
    """Two interleaving half circles (labels 0 and 1), as in scikit-learn."""
    n = int(n_samples)
    gen = _gen(seed)
    n_out = n // 2
    n_in = n - n_out
    a_out = np.linspace(0, np.pi, n_out)
    a_in = np.linspace(0, np.pi, n_in)
    x = np.concatenate([np.c_[np.cos(a_out), np.sin(a_out)], np.c_[1 - np.cos(a_in), 0.5 - np.sin(a_in)]])
    y = np.r_[np.zeros(n_out), np.ones(n_in)]
    x += float(noise) * gen.standard_normal(x.shape)
    return _out(x, y, gen, shuffle)


@validate_params({**_SHUFFLED, "n_classes": _COUNT})
def make_spirals(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, shuffle: bool = True,
                 seed: int | None = None):
    """``n_classes`` interleaved spiral arms (CS231n's classic), ``n_samples`` points in all."""
    n = int(n_samples)
    k = int(n_classes)
    gen = _gen(seed)
    y = np.arange(n) * k // n  # (N,) balanced labels 0..k-1, one arm after the other
    start = np.searchsorted(y, y)  # index of the first point on each point's arm
    count = np.bincount(y, minlength=k)[y]  # points on that arm
    r = (np.arange(n) - start) / np.maximum(count - 1, 1)  # radius 0 -> 1 along the arm
    theta = y * (2 * np.pi / k) + 4 * r + float(noise) * gen.standard_normal(n)
    x = np.c_[r * np.sin(theta), r * np.cos(theta)]
    return _out(x, y, gen, shuffle)


_CENTERS = Satisfies(lambda c: np.ndim(c) == 2 and len(c) >= 1, "an array (K, n_features)")


@validate_params({"n_samples": _COUNT, "centers": [Interval(Integral, 1, None), _CENTERS], "n_features": _COUNT,
                  "cluster_std": _NOISE, "shuffle": [Boolean], "seed": _SEED})
def make_blobs(n_samples: int = 100, centers=3, n_features: int = 2, cluster_std: float = 1.0,
               center_box: tuple[float, float] = (-10.0, 10.0), shuffle: bool = True, seed: int | None = None):
    """Gaussian blobs around ``centers`` (a count, drawn in ``center_box``, or an array (K, n_features))."""
    n = int(n_samples)
    gen = _gen(seed)
    if isinstance(centers, Integral):
        k = int(centers)
        f = int(n_features)
        c = gen.uniform(center_box[0], center_box[1], (k, f))
    else:
        c = np.asarray(centers, dtype=np.float64)
    y = np.arange(n) % len(c)
    x = c[y] + float(cluster_std) * gen.standard_normal((n, c.shape[1]))
    return _out(x, y, gen, shuffle)


@validate_params({**_COMMON, "a": [Interval(Real, None, None)], "b": [Interval(Real, None, None)]})
def make_linear(n_samples: int = 100, a: float = 2.0, b: float = 1.0, noise: float = 1.0,
                x_range: tuple[float, float] = (0.0, 10.0), seed: int | None = None):
    """Noisy line ``y = a x + b + noise * N(0, 1)`` for regression (house price vs. size) -> (N, 1), (N, 1)."""
    n = int(n_samples)
    gen = _gen(seed)
    x = gen.uniform(x_range[0], x_range[1], (n, 1))
    y = a * x + b + float(noise) * gen.standard_normal((n, 1))
    return x.astype(floatx()), y.astype(floatx())


_GATES = {
    "and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0], "xor": [0, 1, 1, 0], "xnor": [1, 0, 0, 1],
}


def logic_gate(name: str):
    """Truth table of a two-input gate ("and", "or", "nand", "nor", "xor", "xnor") -> x (4, 2), y (4,)."""
    key = str(name).lower()
    if key not in _GATES:
        raise ValueError(f"logic_gate: unknown gate {name!r}; expected one of {sorted(_GATES)}")
    x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=floatx())
    return x, np.array(_GATES[key], dtype=np.int64)


# The tutorial's people: weight (lb), height (in), gender (female = 1).
GENDER_NAMES = ("Alice", "Bob", "Charlie", "Diana")
GENDER_SHIFT = (135.0, 66.0)
_GENDER = np.array([[133, 65, 1], [160, 72, 0], [152, 70, 0], [120, 60, 1]], dtype=np.float64)
_GENDER_TEST = {"Emily": (128.0, 63.0), "Frank": (155.0, 68.0)}


def load_gender(shift: bool = True):
    """The tutorial's weight/height data for Alice, Bob, Charlie, Diana -> x (4, 2), y (4,) (female = 1).

    ``shift`` subtracts the tutorial's 135 lb and 66 in, giving [[-2, -1], [25, 6], [17, 4], [-15, -6]].
    """
    x = _GENDER[:, :2] - (np.array(GENDER_SHIFT) if shift else 0.0)
    return x.astype(floatx()), _GENDER[:, 2].astype(np.int64)


def gender_test_points(shift: bool = True):
    """The tutorial's unseen people Emily (128 lb, 63 in) and Frank (155 lb, 68 in) -> x (2, 2), names."""
    x = np.array(list(_GENDER_TEST.values())) - (np.array(GENDER_SHIFT) if shift else 0.0)
    return x.astype(floatx()), tuple(_GENDER_TEST)
