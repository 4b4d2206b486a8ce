"""Loss functions: ``forward(y, t) -> float`` (mean over the batch) and ``backward() -> dL/dy``."""

from __future__ import annotations

import math

import numpy as np

from .backend import get_array_module
from .ops import log_softmax, sigmoid_from_exp
from .validation import Boolean, Interval, Real, validate_params

__all__ = ["Loss", "MSE", "MAE", "CrossEntropy", "BinaryCrossEntropy", "SoftmaxCrossEntropy", "BalancedL1",
           "SoftmaxWithLoss", "get"]

_EPS = 1e-7  # probabilities are clipped to [eps, 1 - eps] before a log, as Keras does


class Loss:
    """Base class: checks shapes, keeps what backward needs."""

    def __init__(self):
        self.cache = None

    def __call__(self, y, t) -> float:
        return self.forward(y, t)

    def forward(self, y, t) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def check_targets(self, t, output_shape) -> None:
        """Raise if ``t`` cannot be the targets of predictions shaped (len(t), *output_shape); computes nothing."""
        from .backend import floatx

        xp = get_array_module(t)
        t = xp.asarray(t)
        y = xp.broadcast_to(xp.zeros((), dtype=floatx()), (len(t), *output_shape))  # zero-stride: no memory
        self._targets(y, t)

    def _targets(self, y, t):
        """Validated (y, t); forward starts with it, so check_targets and forward accept the same inputs."""
        return self._same_shape(y, t)

    def _cached(self):
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}: backward() called before forward()")
        return self.cache

    def _same_shape(self, y, t):
        y = _as_array(y, f"{type(self).__name__}: y")
        t = get_array_module(y).asarray(t, dtype=y.dtype)  # targets follow the predictions to their device
        if t.shape != y.shape:
            if t.size == y.size and y.ndim == 2 and y.shape[1] == 1:
                t = t.reshape(y.shape)  # (N,) targets for a single output column
            else:
                raise ValueError(f"{type(self).__name__}: targets of shape {t.shape} don't match predictions "
                                 f"of shape {y.shape}")
        return y, t

    def get_config(self) -> dict:
        return {}

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


def _mean(values: np.ndarray) -> float:
    """np.mean's pairwise sum without its Python wrapper: the per-batch cost of a small net counts."""
    return float(values.sum()) / values.size


def _as_array(y, where):
    xp = get_array_module(y)
    if not isinstance(y, xp.ndarray) or y.dtype.kind != "f":
        from .backend import floatx

        y = xp.asarray(y, dtype=floatx())
    if y.size == 0:
        raise ValueError(f"{where}: empty predictions of shape {y.shape}")
    return y


def _class_targets(y: np.ndarray, t, owner: str):
    """Targets as (indices, None) or (None, one-hot/probability rows), validated against y (N, C)."""
    if y.ndim != 2:
        raise ValueError(f"{owner}: expected predictions of shape (batch, classes), got {y.shape}")
    xp = get_array_module(y)
    t = xp.asarray(t)  # targets follow the predictions to their device
    n, c = y.shape
    if t.shape == y.shape:
        return None, t.astype(y.dtype, copy=False)
    if t.shape == (n,) or t.shape == (n, 1):
        t = t.reshape(n)
        if t.dtype.kind == "f":
            if not bool((t == xp.round(t)).all()):
                raise ValueError(f"{owner}: class labels must be integers, got non-integer values")
            t = t.astype(np.int64)
        elif t.dtype.kind not in "iu":
            raise ValueError(f"{owner}: class labels must be integers, got dtype {t.dtype}")
        if t.min() < 0 or t.max() >= c:
            raise ValueError(f"{owner}: labels must be in [0, {c - 1}] for {c} classes, got range "
                             f"[{t.min()}, {t.max()}]")
        return t, None
    raise ValueError(f"{owner}: targets of shape {t.shape} fit neither class indices ({n},) nor one-hot "
                     f"rows {y.shape}")


class MSE(Loss):
    """Squared error: mean((y - t)²) over all elements, or the book's ½·Σ(y - t)² with ``reduction="sum_half"``.

    Args:
        reduction: "mean" (Keras's and PyTorch's MSE; gradient 2(y - t)/size) or "sum_half" (the book's
            ``mean_squared_error``, 0.5 * np.sum((y - t)**2); gradient y - t).
    """

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        if reduction not in ("mean", "sum_half"):
            raise ValueError(f"MSE: received an invalid value for `reduction`, expected 'mean' or 'sum_half'. "
                             f"Received: reduction={reduction!r}")
        self.reduction = reduction

    def forward(self, y, t):
        y, t = self._targets(y, t)
        diff = y - t
        self.cache = diff
        if self.reduction == "sum_half":
            return 0.5 * float((diff * diff).sum())
        return _mean(diff * diff)

    def backward(self):
        diff = self._cached()
        if self.reduction == "sum_half":
            return diff.copy()  # d(½Σd²)/dy = d
        return (2.0 / diff.size) * diff

    def get_config(self):
        return {"reduction": self.reduction} if self.reduction != "mean" else {}


class MAE(Loss):
    """Mean absolute error over all elements: mean(|y - t|)."""

    def forward(self, y, t):
        y, t = self._targets(y, t)
        self.cache = y - t
        return _mean(abs(self.cache))

    def backward(self):
        diff = self._cached()
        return get_array_module(diff).sign(diff) / diff.size


class _ClassLoss(Loss):
    """A loss over class scores (N, C) whose targets are class indices (N,) or one-hot/probability rows."""

    def _targets(self, y, t):
        y = _as_array(y, f"{type(self).__name__}: y")
        return y, _class_targets(y, t, type(self).__name__)


class CrossEntropy(_ClassLoss):
    """Cross-entropy of probabilities y (e.g. after Softmax): -Σ t·log(y) averaged over the batch."""

    def forward(self, y, t):
        y, (idx, onehot) = self._targets(y, t)
        xp = get_array_module(y)
        p = y.clip(_EPS, 1.0)
        if onehot is None:
            onehot = xp.zeros_like(y)
            onehot[xp.arange(y.shape[0]), idx] = 1
        self.cache = (p, onehot, (y >= _EPS))
        return float(-(onehot * xp.log(p)).sum() / y.shape[0])

    def backward(self):
        p, onehot, inside = self._cached()
        return -(onehot / p) * inside / p.shape[0]


class BinaryCrossEntropy(Loss):
    """-mean(t·log(y) + (1-t)·log(1-y)) over all elements, on probabilities or (from_logits=True) on logits."""

    @validate_params({"from_logits": [Boolean]})
    def __init__(self, from_logits: bool = False):
        super().__init__()
        self.from_logits = bool(from_logits)

    def _targets(self, y, t):
        y, t = self._same_shape(y, t)
        if t.min() < 0 or t.max() > 1:
            raise ValueError(f"BinaryCrossEntropy: targets must be in [0, 1], got values in [{t.min()}, {t.max()}]")
        return y, t

    def forward(self, y, t):
        y, t = self._targets(y, t)
        if self.from_logits:
            # log(1 + e^-|z|) form: stable for any z; e^-|z| also gives the sigmoid backward needs
            xp = get_array_module(y)
            e = xp.exp(-abs(y))
            loss = xp.log1p(e)
            loss += xp.maximum(y, 0)
            loss -= y * t
            self.cache = (sigmoid_from_exp(y, e), t, None)
        else:
            xp = get_array_module(y)
            p = y.clip(_EPS, 1 - _EPS)
            loss = -(t * xp.log(p) + (1 - t) * xp.log1p(-p))
            self.cache = (p, t, (y >= _EPS) & (y <= 1 - _EPS))
        return _mean(loss)

    def backward(self):
        p, t, inside = self._cached()
        if self.from_logits:
            return (p - t) / p.size
        return (p - t) / (p * (1 - p)) * inside / p.size

    def get_config(self):
        return {"from_logits": self.from_logits}


class SoftmaxCrossEntropy(_ClassLoss):
    """Softmax followed by cross-entropy, fused (the book's SoftmaxWithLoss), on logits.

    Computed through log-softmax, so extreme logits stay exact. Targets: class indices (N,) or one-hot rows.
    The gradient is (softmax(y) - t) / N.
    """

    def forward(self, y, t):
        y, (idx, onehot) = self._targets(y, t)
        logp = log_softmax(y, axis=1)
        n = y.shape[0]
        if idx is not None:
            loss = -logp[get_array_module(y).arange(n), idx].sum() / n
        else:
            loss = -(onehot * logp).sum() / n
        self.cache = (logp, idx, onehot)
        return float(loss)

    def backward(self):
        logp, idx, onehot = self._cached()
        n = logp.shape[0]
        xp = get_array_module(logp)
        dy = xp.exp(logp)  # softmax
        if idx is not None:
            dy[xp.arange(n), idx] -= 1
        else:
            dy = dy * onehot.sum(axis=1, keepdims=True) - onehot
        dy /= n
        return dy


_POSITIVE = Interval(Real, 0, None, closed="neither")


class BalancedL1(Loss):
    """Balanced L1 loss of Libra R-CNN on the difference x = y - t, averaged over all elements.

    With b = e^(gamma/alpha) - 1:  alpha/b·(b|x|+1)·ln(b|x|/beta+1) - alpha|x|  for |x| < beta,
    gamma|x| + gamma/b - alpha·beta otherwise (the two pieces meet with equal slope gamma at |x| = beta).
    """

    @validate_params({"alpha": [_POSITIVE], "gamma": [_POSITIVE], "beta": [_POSITIVE]})
    def __init__(self, alpha: float = 0.5, gamma: float = 1.5, beta: float = 1.0):
        super().__init__()
        self.alpha, self.gamma, self.beta = float(alpha), float(gamma), float(beta)

    def forward(self, y, t):
        y, t = self._targets(y, t)
        x = y - t
        xp = get_array_module(x)
        d = abs(x)
        a, g, beta = self.alpha, self.gamma, self.beta
        b = math.exp(g / a) - 1
        inner = a / b * (b * d + 1) * xp.log(b * d / beta + 1) - a * d
        outer = g * d + g / b - a * beta
        self.cache = x
        return float(xp.where(d < beta, inner, outer).mean())

    def backward(self):
        x = self._cached()
        xp = get_array_module(x)
        d = abs(x)
        a, g, beta = self.alpha, self.gamma, self.beta
        b = math.exp(g / a) - 1
        # d/dd of the inner piece: a·ln(b·d/beta + 1) + a/b·(b·d+1)·(b/beta)/(b·d/beta+1) - a
        inner = a * xp.log(b * d / beta + 1) + a * (b * d + 1) / (b * d + beta) - a
        slope = xp.where(d < beta, inner, g)
        return (xp.sign(x) * slope / x.size).astype(x.dtype, copy=False)

    def get_config(self):
        return {"alpha": self.alpha, "gamma": self.gamma, "beta": self.beta}


#: the book's name for the fused softmax + cross-entropy
SoftmaxWithLoss = SoftmaxCrossEntropy

_REGISTRY = {
    "mse": MSE, "mean_squared_error": MSE, "mae": MAE, "mean_absolute_error": MAE,
    "cross_entropy": CrossEntropy, "categorical_crossentropy": CrossEntropy,
    "binary_cross_entropy": BinaryCrossEntropy, "binary_crossentropy": BinaryCrossEntropy, "bce": BinaryCrossEntropy,
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "softmax_with_loss": SoftmaxCrossEntropy, "balanced_l1": BalancedL1,
}


def get(identifier) -> Loss:
    """A loss from an instance or a name ("mse", "softmax_cross_entropy", "binary_cross_entropy", ...)."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _REGISTRY:
            return _REGISTRY[key]()
        by_class = {cls.__name__.lower(): cls for cls in _REGISTRY.values()}
        if key in by_class:
            return by_class[key]()
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}; expected one of {sorted(_REGISTRY)}")
