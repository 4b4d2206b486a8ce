"""Optimizers: ``update(params, grads)`` changes the arrays in place; state is keyed by parameter name."""

from __future__ import annotations

import math

import numpy as np

from .backend import get_array_module, to_device
from .training.transforms import apply_transforms, clipping
from .validation import Interval, ListOf, Real, Satisfies, validate_params

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "AdamW", "get"]


_FLAT = "<all parameters>"  # the key of the fused step's single flat array
_CLIP_ARGS = ("clipnorm", "clipvalue", "global_clipnorm")  # Keras's names, saved in get_config when set
_CLIP = [Interval(Real, 0, None, closed="neither"), None]
_TRANSFORMS = ListOf(Satisfies(callable, "a callable transform(grads, params)"), min_length=0)


class Optimizer:
    """Base class. ``lr`` is a float or a schedule: any callable ``lr(step) -> float``.

    Every optimizer takes Keras's gradient clipping: ``clipvalue`` (clamp each element), ``clipnorm`` (rescale
    each parameter's gradient to at most that L2 norm) or ``global_clipnorm`` (rescale all together), and
    ``transforms``: callables ``transform(grads, params)`` (see ``nerve.training.transforms``). ``update`` runs
    ``transforms`` (e.g. an Allreduce across processes), then the clipping, then the step. Clipping changes the
    gradient arrays it is given in place, as torch's ``clip_grad_norm_`` does.

    Adaptive methods set ``fuse``: they make about ten NumPy calls per parameter array, so for a small model
    (at most ``FUSE_MAX_SIZE`` numbers in all) ``update`` gathers every parameter and gradient into one flat
    array and makes those calls once. Each number sees the same arithmetic either way, so the results are
    bit-identical; the state stays keyed by parameter name (the per-name arrays are views of flat buffers).
    """

    fuse = False
    FUSE_MAX_SIZE = 1 << 16

    @validate_params({"lr": [Interval(Real, 0, None, closed="neither"), callable], "clipnorm": _CLIP,
                      "clipvalue": _CLIP, "global_clipnorm": _CLIP, "transforms": [_TRANSFORMS]})
    def __init__(self, lr, *, clipnorm=None, clipvalue=None, global_clipnorm=None, transforms=()):
        self.lr = lr if callable(lr) else float(lr)
        self._clipping = clipping(clipnorm, clipvalue, global_clipnorm, owner=type(self).__name__)
        self.clipnorm, self.clipvalue, self.global_clipnorm = (
            None if v is None else float(v) for v in (clipnorm, clipvalue, global_clipnorm))
        self.transforms = list(transforms)
        self.iterations = 0
        self.slots: dict[str, dict[str, np.ndarray]] = {}  # slot name -> parameter name -> array
        self._layout: tuple = ()  # ((name, shape), ...) of the fused step's parameters
        self._flat: dict[str, np.ndarray] = {}  # slot name -> the flat buffer behind its per-name views
        self._work: tuple = (None, None, [])  # flat parameters, flat gradients, per-parameter views

    @property
    def current_lr(self) -> float:
        """The learning rate the next update uses."""
        return float(self.lr(self.iterations)) if callable(self.lr) else self.lr

    def _slot(self, slot: str, key: str, like: np.ndarray) -> np.ndarray:
        if key == _FLAT:
            return self._flat_slot(slot, like)
        arrays = self.slots.setdefault(slot, {})
        buf = arrays.get(key)
        if buf is None or buf.shape != like.shape or buf.dtype != like.dtype:
            buf = arrays[key] = get_array_module(like).zeros_like(like)
        return buf

    def update(self, params: dict, grads: dict) -> None:
        """One step on every array of ``params`` using ``grads`` (same keys), in place."""
        if params.keys() != grads.keys():
            missing = sorted(set(params) ^ set(grads))
            raise ValueError(f"{type(self).__name__}.update: params and grads have different keys: {missing}")
        if self.transforms or self._clipping:
            grads = apply_transforms([*self.transforms, *self._clipping], grads, params)
        lr = self.current_lr
        self.iterations += 1
        if self.fuse and len(params) > 1 and self._fusable(params):
            self._fused_update(params, grads, lr)
            return
        for key, p in params.items():
            self._step(key, p, grads[key], lr)

    def _fusable(self, params: dict) -> bool:
        dtype = next(iter(params.values())).dtype
        total = 0
        for p in params.values():
            if p.dtype != dtype:
                return False
            total += p.size
        return total <= self.FUSE_MAX_SIZE

    def _fused_update(self, params: dict, grads: dict, lr: float) -> None:
        """One ``_step`` over all parameters concatenated, then each parameter gets its slice back."""
        layout = tuple((key, p.shape) for key, p in params.items())
        first = next(iter(params.values()))
        xp, dtype = get_array_module(first), first.dtype
        if layout != self._layout or self._work[0] is None or self._work[0].dtype != dtype:
            self._layout, self._flat = layout, {}
            flat = xp.empty(sum(p.size for p in params.values()), dtype)
            self._work = (flat, xp.empty_like(flat), self._split(flat))
        flat, g, views = self._work
        xp.concatenate([p.reshape(-1) for p in params.values()], out=flat)
        xp.concatenate([grads[key].reshape(-1) for key in params], out=g, casting="same_kind")
        self._step(_FLAT, flat, g, lr)
        for p, view in zip(params.values(), views):
            xp.copyto(p, view)

    def _split(self, buf: np.ndarray) -> list[np.ndarray]:
        """Views of a flat buffer, one per parameter of the current layout, in its shapes."""
        views, start = [], 0
        for _, shape in self._layout:
            size = math.prod(shape)
            views.append(buf[start:start + size].reshape(shape))
            start += size
        return views

    def _flat_slot(self, slot: str, like: np.ndarray) -> np.ndarray:
        """The flat buffer of ``slot``; made on first use, taking over existing per-name state (resume)."""
        buf = self._flat.get(slot)
        if buf is not None and buf.dtype == like.dtype:
            return buf
        buf = self._flat[slot] = get_array_module(like).zeros_like(like)
        arrays = self.slots.setdefault(slot, {})
        for (key, shape), view in zip(self._layout, self._split(buf)):
            old = arrays.get(key)
            if old is not None and old.shape == shape:
                view[...] = old
            arrays[key] = view
        return buf

    def _step(self, key: str, p: np.ndarray, g: np.ndarray, lr: float) -> None:
        raise NotImplementedError

    # -- state for checkpoints ---------------------------------------------------------------------
    def get_config(self) -> dict:
        lr = self.lr
        if callable(lr):
            lr = lr.get_config() | {"class": type(lr).__name__} if hasattr(lr, "get_config") else None
        clip = {k: getattr(self, k) for k in _CLIP_ARGS if getattr(self, k) is not None}
        return {"lr": lr, **clip}

    def state_dict(self) -> dict:
        """``{"iterations": n, "slots": {slot: {param name: array}}}``."""
        return {"iterations": self.iterations, "slots": {s: dict(a) for s, a in self.slots.items()}}

    def load_state_dict(self, state: dict) -> None:
        self.iterations = int(state["iterations"])
        # copies on the arrays' own device (a rolled-back step restores GPU state on the GPU)
        self.slots = {s: {k: get_array_module(v).array(v) for k, v in a.items()} for s, a in state["slots"].items()}
        self._layout, self._flat = (), {}  # the next fused step re-packs the loaded per-name state

    def to(self, device) -> Optimizer:
        """Move the state (slots) to ``device`` ("cpu", "cuda", "cuda:1"); ``Sequential.to`` calls it."""
        self.slots = {s: {k: to_device(v, device) for k, v in a.items()} for s, a in self.slots.items()}
        self._layout, self._flat, self._work = (), {}, (None, None, [])  # the next fused step re-packs there
        return self

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_config().items())})"


def _scaled_step(p, g, h, eps, lr):
    """p ← p - lr·g / (√h + eps), with a single temporary array (the adaptive methods' shared step)."""
    xp = get_array_module(h)
    step = xp.sqrt(h, out=xp.empty_like(h))  # out=: an array even for 0-d parameters
    step += eps
    xp.divide(g, step, out=step)
    step *= lr
    p -= step


_DECAY = [Interval(Real, 0, 1, closed="left")]  # momentum, decay, beta1, beta2
_NON_NEGATIVE = [Interval(Real, 0, None)]  # eps, weight_decay


class SGD(Optimizer):
    """W ← W - lr·∂L/∂W."""

    def __init__(self, lr=0.01, **kwargs):
        super().__init__(lr, **kwargs)

    def _step(self, key, p, g, lr):
        p -= lr * g


class Momentum(Optimizer):
    """v ← momentum·v - lr·g;  W ← W + v."""

    @validate_params({"momentum": _DECAY})
    def __init__(self, lr=0.01, momentum=0.9, **kwargs):
        super().__init__(lr, **kwargs)
        self.momentum = float(momentum)

    def _step(self, key, p, g, lr):
        v = self._slot("v", key, p)
        v *= self.momentum
        v -= lr * g
        p += v

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum}


class Nesterov(Momentum):
    """Nesterov momentum (PyTorch's form): v ← momentum·v - lr·g;  W ← W + momentum·v - lr·g."""

    def _step(self, key, p, g, lr):
        v = self._slot("v", key, p)
        v *= self.momentum
        v -= lr * g
        p += self.momentum * v - lr * g  # = momentum·v_new - lr·g: look-ahead step


class AdaGrad(Optimizer):
    """h ← h + g²;  W ← W - lr·g / (√h + eps)."""

    fuse = True

    @validate_params({"eps": _NON_NEGATIVE})
    def __init__(self, lr=0.01, eps=1e-7, **kwargs):
        super().__init__(lr, **kwargs)
        self.eps = float(eps)

    def _step(self, key, p, g, lr):
        h = self._slot("h", key, p)
        h += g * g
        _scaled_step(p, g, h, self.eps, lr)

    def get_config(self):
        return {**super().get_config(), "eps": self.eps}


class RMSprop(Optimizer):
    """h ← decay·h + (1 - decay)·g²;  W ← W - lr·g / (√h + eps)."""

    fuse = True

    @validate_params({"decay": _DECAY, "eps": _NON_NEGATIVE})
    def __init__(self, lr=0.01, decay=0.99, eps=1e-7, **kwargs):
        super().__init__(lr, **kwargs)
        self.decay = float(decay)
        self.eps = float(eps)

    def _step(self, key, p, g, lr):
        h = self._slot("h", key, p)
        h *= self.decay
        sq = g * g
        sq *= 1 - self.decay
        h += sq
        _scaled_step(p, g, h, self.eps, lr)

    def get_config(self):
        return {**super().get_config(), "decay": self.decay, "eps": self.eps}


class Adam(Optimizer):
    """m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²;  W ← W - lr·m̂ / (√v̂ + eps) with bias-corrected m̂, v̂."""

    fuse = True

    @validate_params({"beta1": _DECAY, "beta2": _DECAY, "eps": _NON_NEGATIVE})
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, **kwargs):
        super().__init__(lr, **kwargs)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def update(self, params, grads):
        t = self.iterations + 1
        # fold both bias corrections into the step size: lr·√(1-β2ᵗ)/(1-β1ᵗ)
        # NOTE: Python floats, not np.float64: under NumPy 2 a float64 scalar would promote float32 arrays.
        self._lr_t = math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        self._eps_t = self.eps * math.sqrt(1.0 - self.beta2 ** t)
        super().update(params, grads)

    def _step(self, key, p, g, lr):
        m, v = self._slot("m", key, p), self._slot("v", key, p)
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * (g * g)
        _scaled_step(p, m, v, self._eps_t, lr * self._lr_t)

    def get_config(self):
        return {**super().get_config(), "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}


class AdamW(Adam):
    """Adam with decoupled weight decay: W ← W - lr·(adam step + weight_decay·W)."""

    @validate_params({"weight_decay": _NON_NEGATIVE})
    def __init__(self, lr=0.001, weight_decay=0.01, beta1=0.9, beta2=0.999, eps=1e-8, **kwargs):
        super().__init__(lr, beta1, beta2, eps, **kwargs)
        self.weight_decay = float(weight_decay)

    def _step(self, key, p, g, lr):
        p *= 1 - lr * self.weight_decay
        super()._step(key, p, g, lr)

    def get_config(self):
        return {**super().get_config(), "weight_decay": self.weight_decay}


_REGISTRY = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad,
             "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}


def get(identifier, **kwargs) -> Optimizer:
    """An optimizer from an instance or a name ("sgd", "adam", ...) with constructor ``kwargs``."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _REGISTRY:
        return _REGISTRY[identifier.lower()](**kwargs)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}; expected one of {sorted(_REGISTRY)}")
