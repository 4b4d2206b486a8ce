"""Distances and similarities between vectors (tutorial 002): Minkowski, Manhattan, Euclidean, Hamming,
Jaccard, KL divergence, cosine, Pearson, and ``pairwise`` for whole matrices.

Every function works along the last axis and broadcasts the others, so ``f(x, y)`` of two vectors is a float
and ``f(X[:, None], Y[None])`` is the (N, M) matrix that :func:`pairwise` builds.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from .metrics import UndefinedMetricWarning
from .validation import Interval, Options, Real, Satisfies, validate_params

__all__ = [
    "minkowski",
    "manhattan",
    "euclidean",
    "hamming",
    "jaccard",
    "kl_divergence",
    "cosine_similarity",
    "pearson",
    "pairwise",
    "get",
]

_POSITIVE = Interval(Real, 0, None, closed="neither")

# Largest (rows, M, D) temporary pairwise builds at once, in elements (32 MiB of float64).
_BLOCK_ELEMENTS = 1 << 22


def _vectors(x, y, where: str, numeric: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as arrays with the same last axis (float64 when ``numeric``), or a clear error."""
    arrays = []
    for name, v in (("x", x), ("y", y)):
        try:
            a = np.asarray(v, dtype=np.float64) if numeric else np.asarray(v)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{where}: `{name}` must be numeric, got {type(v).__name__} ({e})") from None
        if a.ndim == 0 or a.size == 0:
            raise ValueError(f"{where}: `{name}` must be a non-empty vector, got shape {a.shape}")
        if numeric and not np.isfinite(a).all():
            raise ValueError(f"{where}: `{name}` contains NaN or inf")
        arrays.append(a)
    x, y = arrays
    if x.shape[-1] != y.shape[-1]:
        raise ValueError(f"{where}: x and y have different lengths: {x.shape[-1]} != {y.shape[-1]}")
    return x, y


def _out(value: np.ndarray):
    """A Python float for a single pair, the array otherwise."""
    return float(value) if np.ndim(value) == 0 else value


@validate_params({"p": [Interval(Real, 0, None, closed="neither"), Options((np.inf,))]})
def minkowski(x, y, p: float = 2) -> float | np.ndarray:
    """(sum |x_i - y_i|^p)^(1/p); p = 1 is Manhattan, p = 2 Euclidean, p = inf Chebyshev (max |x_i - y_i|)."""
    x, y = _vectors(x, y, "minkowski")
    d = np.abs(x - y)
    if np.isinf(p):
        return _out(d.max(axis=-1))
    return _out(np.sum(d**p, axis=-1) ** (1.0 / p))


def manhattan(x, y) -> float | np.ndarray:
    """sum |x_i - y_i| (Minkowski with p = 1)."""
    x, y = _vectors(x, y, "manhattan")
    return _out(np.abs(x - y).sum(axis=-1))


def euclidean(x, y) -> float | np.ndarray:
    """sqrt(sum (x_i - y_i)^2) (Minkowski with p = 2)."""
    x, y = _vectors(x, y, "euclidean")
    d = x - y
    return _out(np.sqrt(np.sum(d * d, axis=-1)))


def hamming(x, y) -> int | np.ndarray:
    """Number of positions where x and y differ (the tutorial's count; SciPy's ``hamming`` is this / length).

    Works on numbers, booleans, labels and equal-length strings ("karolin", "kathrin" -> 3).
    """
    if isinstance(x, str) and isinstance(y, str):
        x, y = list(x), list(y)
    x, y = _vectors(x, y, "hamming", numeric=False)
    count = np.count_nonzero(x != y, axis=-1)
    return int(count) if np.ndim(count) == 0 else count


def jaccard(x, y) -> float | np.ndarray:
    """Jaccard similarity |A & B| / |A | B| of two sets, or of boolean vectors (nonzero = member).

    Two empty sets are identical: similarity 1 (as 1 - SciPy's Jaccard distance).
    """
    if isinstance(x, (set, frozenset)) and isinstance(y, (set, frozenset)):
        union = len(x | y)
        return len(x & y) / union if union else 1.0
    x, y = _vectors(x, y, "jaccard")
    a, b = x != 0, y != 0
    inter = np.count_nonzero(a & b, axis=-1)
    union = np.count_nonzero(a | b, axis=-1)
    return _out(np.where(union == 0, 1.0, inter / np.maximum(union, 1)))


@validate_params({"base": [None, Satisfies(lambda b: _POSITIVE.is_satisfied_by(b) and b != 1,
                                           "a number > 0 other than 1")]})
def kl_divergence(p, q, base: float | None = None) -> float | np.ndarray:
    """KL(p || q) = sum p_i log(p_i / q_i) of two probability vectors (terms with p_i = 0 are 0).

    ``p`` and ``q`` must hold values in [0, 1] summing to 1; the result is inf where q_i = 0 < p_i.
    ``base`` picks the logarithm (None: natural, nats; 2: bits).
    """
    p, q = _vectors(p, q, "kl_divergence")
    for name, v in (("p", p), ("q", q)):
        if v.min() < 0 or v.max() > 1:
            raise ValueError(
                f"kl_divergence: `{name}` must hold probabilities in [0, 1], got values in [{v.min()}, {v.max()}]"
            )
        sums = v.sum(axis=-1)
        if not np.allclose(sums, 1.0, atol=1e-5):
            raise ValueError(
                f"kl_divergence: `{name}` must sum to 1 along its last axis, got sums {np.unique(sums)[:5]}; "
                f"normalise it with {name} / {name}.sum()"
            )
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    kl = terms.sum(axis=-1)
    return _out(kl / np.log(base) if base is not None else kl)


def _cosine(x: np.ndarray, y: np.ndarray, where: str) -> np.ndarray:
    """x.y / (|x| |y|), 0 with a warning where a vector has norm 0."""
    norms = np.sqrt(np.sum(x * x, axis=-1) * np.sum(y * y, axis=-1))
    zero = norms == 0
    if zero.any():
        warnings.warn(f"{where}: a vector has zero norm; its similarity is set to 0", UndefinedMetricWarning,
                      stacklevel=3)
    return np.sum(x * y, axis=-1) / np.where(zero, 1.0, norms)


def cosine_similarity(x, y) -> float | np.ndarray:
    """Cosine of the angle between x and y, x.y / (|x| |y|), in [-1, 1]; 0 for a zero vector (warned)."""
    x, y = _vectors(x, y, "cosine_similarity")
    return _out(_cosine(x, y, "cosine_similarity"))


def pearson(x, y) -> float | np.ndarray:
    """Pearson correlation: the cosine similarity of the mean-centred vectors; 0 for a constant vector (warned)."""
    x, y = _vectors(x, y, "pearson")
    x = x - x.mean(axis=-1, keepdims=True)
    y = y - y.mean(axis=-1, keepdims=True)
    return _out(np.clip(_cosine(x, y, "pearson"), -1.0, 1.0))


_METRICS: dict[str, Callable] = {
    "minkowski": minkowski,
    "manhattan": manhattan,
    "cityblock": manhattan,
    "l1": manhattan,
    "euclidean": euclidean,
    "l2": euclidean,
    "hamming": hamming,
    "jaccard": jaccard,
    "kl_divergence": kl_divergence,
    "kl": kl_divergence,
    "cosine_similarity": cosine_similarity,
    "cosine": cosine_similarity,
    "pearson": pearson,
    "correlation": pearson,
}


def get(identifier: str | Callable) -> Callable:
    """The distance / similarity function for a name ("euclidean", "cosine", ...) or a callable."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _METRICS:
        return _METRICS[identifier.lower()]
    raise ValueError(
        f"Could not interpret distance identifier: {identifier!r}; expected one of {sorted(_METRICS)}"
    )


def pairwise(X, Y=None, metric: str | Callable = "euclidean", **kwargs) -> np.ndarray:
    """Matrix M[i, j] = metric(X[i], Y[j]) for all rows of X (N, D) and Y (M, D); Y defaults to X.

    ``metric`` is a name for :func:`get` or a function of two broadcastable arrays along their last axis;
    ``kwargs`` go to it (``p=3`` for "minkowski"). Similarities ("cosine", "pearson", "jaccard") give a
    similarity matrix, distances a distance matrix.
    """
    fn = get(metric)
    X = np.asarray(X)
    Y = X if Y is None else np.asarray(Y)
    for name, a in (("X", X), ("Y", Y)):
        if a.ndim != 2 or a.size == 0:
            raise ValueError(f"pairwise: `{name}` must be a non-empty 2-D array (rows are vectors), got {a.shape}")
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"pairwise: X and Y rows have different lengths: {X.shape[1]} != {Y.shape[1]}")
    rows = max(1, _BLOCK_ELEMENTS // (Y.shape[0] * Y.shape[1]))
    # NOTE: the loop runs over blocks of rows only to bound the (rows, M, D) temporary; each block is one
    # broadcast call (rows, 1, D) against (1, M, D).
    blocks = [fn(X[i : i + rows, None, :], Y[None, :, :], **kwargs) for i in range(0, X.shape[0], rows)]
    return np.concatenate([np.asarray(b, dtype=np.float64).reshape(-1, Y.shape[0]) for b in blocks], axis=0)
