"""Closed-form decays (Paddle's formulas): piecewise, exponential, natural-exp, inverse-time,
polynomial, step, multi-step, lambda, cosine and Noam."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ..validation import Boolean, Integral, Interval, ListOf, Real, check_param, validate_params
from .base import Schedule

__all__ = [
    "PiecewiseConstant", "ExponentialDecay", "NaturalExpDecay", "InverseTimeDecay", "PolynomialDecay",
    "StepDecay", "MultiStepDecay", "LambdaDecay", "CosineDecay", "NoamDecay",
]

_POSITIVE = [Interval(Real, 0, None, closed="neither")]
_NON_NEGATIVE = [Interval(Real, 0, None)]
_COUNT = [Interval(Integral, 1, None)]


class PiecewiseConstant(Schedule):
    """``values[i]`` while ``boundaries[i-1] <= step < boundaries[i]`` (Paddle ``PiecewiseDecay``).

    Args:
        boundaries: increasing steps where the rate changes.
        values: one more rate than boundaries.
    """

    @validate_params({"boundaries": [ListOf(_NON_NEGATIVE[0], min_length=0)], "values": [ListOf(_NON_NEGATIVE[0])]})
    def __init__(self, boundaries: Sequence[int], values: Sequence[float]):
        self.boundaries = [float(b) for b in boundaries]
        self.values = [float(v) for v in values]
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(
                f"PiecewiseConstant: expected len(values) == len(boundaries) + 1, "
                f"got {len(self.values)} values for {len(self.boundaries)} boundaries"
            )
        if any(b >= c for b, c in zip(self.boundaries, self.boundaries[1:])):
            raise ValueError(f"PiecewiseConstant: `boundaries` must increase, got {self.boundaries}")

    def value(self, step):
        for boundary, v in zip(self.boundaries, self.values):
            if step < boundary:
                return v
        return self.values[-1]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values}


class ExponentialDecay(Schedule):
    """Exponential decay: lr = learning_rate * gamma ** step.

    Args:
        learning_rate: the rate at step 0.
        gamma: factor per step, e.g. 0.9 (in (0, 1) to decay).
    """

    @validate_params({"learning_rate": _POSITIVE, "gamma": _POSITIVE})
    def __init__(self, learning_rate: float, gamma: float):
        self.learning_rate = float(learning_rate)
        self.gamma = float(gamma)

    def value(self, step):
        return self.learning_rate * self.gamma**step

    def get_config(self):
        return {"learning_rate": self.learning_rate, "gamma": self.gamma}


class NaturalExpDecay(Schedule):
    """Natural exponential decay: lr = learning_rate * exp(-gamma * step).

    Args:
        learning_rate: the rate at step 0.
        gamma: decay speed (>= 0).
    """

    @validate_params({"learning_rate": _POSITIVE, "gamma": _NON_NEGATIVE})
    def __init__(self, learning_rate: float, gamma: float):
        self.learning_rate = float(learning_rate)
        self.gamma = float(gamma)

    def value(self, step):
        return self.learning_rate * math.exp(-self.gamma * step)

    def get_config(self):
        return {"learning_rate": self.learning_rate, "gamma": self.gamma}


class InverseTimeDecay(Schedule):
    """Inverse time decay: lr = learning_rate / (1 + gamma * step).

    Args:
        learning_rate: the rate at step 0.
        gamma: decay speed (>= 0).
    """

    @validate_params({"learning_rate": _POSITIVE, "gamma": _NON_NEGATIVE})
    def __init__(self, learning_rate: float, gamma: float):
        self.learning_rate = float(learning_rate)
        self.gamma = float(gamma)

    def value(self, step):
        return self.learning_rate / (1.0 + self.gamma * step)

    def get_config(self):
        return {"learning_rate": self.learning_rate, "gamma": self.gamma}


class PolynomialDecay(Schedule):
    """lr = (learning_rate - end_lr) * (1 - step / decay_steps) ** power + end_lr.

    Without ``cycle`` the step stops at ``decay_steps`` (the rate stays at ``end_lr``); with ``cycle``
    ``decay_steps`` grows to ``decay_steps * ceil(step / decay_steps)`` so the rate jumps back up and decays
    again (``ceil`` is taken as 1 at step 0).

    Args:
        learning_rate: the rate at step 0.
        decay_steps: steps to go from ``learning_rate`` to ``end_lr``.
        end_lr: the final rate (default 0.0001).
        power: exponent of the polynomial (1 = linear).
        cycle: restart the decay every ``decay_steps`` instead of staying at ``end_lr``.
    """

    @validate_params({"learning_rate": _POSITIVE, "decay_steps": _COUNT, "end_lr": _NON_NEGATIVE, "power": _POSITIVE,
                      "cycle": [Boolean]})
    def __init__(self, learning_rate: float, decay_steps: int, end_lr: float = 0.0001, power: float = 1.0,
                 cycle: bool = False):
        self.learning_rate = float(learning_rate)
        self.decay_steps = int(decay_steps)
        self.end_lr = float(end_lr)
        self.power = float(power)
        self.cycle = bool(cycle)

    def value(self, step):
        decay_steps = self.decay_steps
        if self.cycle:
            decay_steps *= max(1, math.ceil(step / self.decay_steps))
        else:
            step = min(step, decay_steps)
        return (self.learning_rate - self.end_lr) * (1.0 - step / decay_steps) ** self.power + self.end_lr

    def get_config(self):
        return {"learning_rate": self.learning_rate, "decay_steps": self.decay_steps, "end_lr": self.end_lr,
                "power": self.power, "cycle": self.cycle}


class StepDecay(Schedule):
    """Step decay: lr = learning_rate * gamma ** floor(step / step_size).

    Args:
        learning_rate: the rate at step 0.
        step_size: steps between two drops.
        gamma: factor applied at each drop (default 0.1).
    """

    @validate_params({"learning_rate": _POSITIVE, "step_size": _COUNT, "gamma": _POSITIVE})
    def __init__(self, learning_rate: float, step_size: int, gamma: float = 0.1):
        self.learning_rate = float(learning_rate)
        self.step_size = int(step_size)
        self.gamma = float(gamma)

    def value(self, step):
        return self.learning_rate * self.gamma ** (step // self.step_size)

    def get_config(self):
        return {"learning_rate": self.learning_rate, "step_size": self.step_size, "gamma": self.gamma}


class MultiStepDecay(Schedule):
    """Multi-step decay: lr = learning_rate * gamma ** (number of milestones <= step).

    Args:
        learning_rate: the rate at step 0.
        milestones: increasing steps at which the rate drops.
        gamma: factor applied at each milestone (default 0.1).
    """

    @validate_params({"learning_rate": _POSITIVE, "milestones": [ListOf(_NON_NEGATIVE[0])], "gamma": _POSITIVE})
    def __init__(self, learning_rate: float, milestones: Sequence[int], gamma: float = 0.1):
        self.learning_rate = float(learning_rate)
        self.milestones = [float(m) for m in milestones]
        if not self.milestones or any(a >= b for a, b in zip(self.milestones, self.milestones[1:])):
            raise ValueError(
                f"MultiStepDecay: `milestones` must be a non-empty increasing list, got {milestones!r}"
            )
        self.gamma = float(gamma)

    def value(self, step):
        passed = sum(step >= m for m in self.milestones)
        return self.learning_rate * self.gamma**passed

    def get_config(self):
        return {"learning_rate": self.learning_rate, "milestones": self.milestones, "gamma": self.gamma}


class LambdaDecay(Schedule):
    """lr = learning_rate * lr_lambda(step), for any Python function ``lr_lambda``.

    Model files cannot store a function, so a model compiled with this schedule saves without it;
    ``get_config`` describes the function by its repr, and ``schedules.serialize`` refuses it.

    Args:
        learning_rate: the base rate.
        lr_lambda: ``f(step) -> factor``, e.g. ``lambda step: 0.95 ** step``.
    """

    serializable = False

    @validate_params({"learning_rate": _POSITIVE, "lr_lambda": [callable]})
    def __init__(self, learning_rate: float, lr_lambda: Callable[[float], float]):
        self.learning_rate = float(learning_rate)
        self.lr_lambda = lr_lambda

    def value(self, step):
        factor = self.lr_lambda(step)
        return self.learning_rate * float(check_param(self, "lr_lambda(step)", factor, Interval(Real, None, None)))

    def get_config(self):
        return {"learning_rate": self.learning_rate, "lr_lambda": repr(self.lr_lambda)}


class CosineDecay(Schedule):
    """Cosine annealing: lr = eta_min + (learning_rate - eta_min) * (1 + cos(pi * step / T_max)) / 2.

    Paddle's ``CosineAnnealingDecay`` in closed form; past ``T_max`` the cosine rises again.

    Args:
        learning_rate: the rate at step 0.
        T_max: steps of the half cosine, from ``learning_rate`` down to ``eta_min``.
        eta_min: the lowest rate (default 0).
    """

    @validate_params({"learning_rate": _POSITIVE, "T_max": _COUNT, "eta_min": _NON_NEGATIVE})
    def __init__(self, learning_rate: float, T_max: int, eta_min: float = 0.0):
        self.learning_rate = float(learning_rate)
        self.T_max = int(T_max)
        self.eta_min = float(eta_min)

    def value(self, step):
        cosine = (1 + math.cos(math.pi * step / self.T_max)) / 2
        return self.eta_min + (self.learning_rate - self.eta_min) * cosine

    def get_config(self):
        return {"learning_rate": self.learning_rate, "T_max": self.T_max, "eta_min": self.eta_min}


class NoamDecay(Schedule):
    """Noam (Transformer) decay: lr = learning_rate * d_model**-0.5 * min(step**-0.5, step * warmup**-1.5).

    It rises linearly for ``warmup_steps`` steps, then decays as 1/sqrt(step); step**-0.5 is taken as 1 at
    step 0 (so the rate starts at 0), as in Paddle.

    Args:
        d_model: the model width the rate is scaled by (d_model**-0.5).
        warmup_steps: steps of linear rise; the peak is at this step.
        learning_rate: an extra factor (default 1).
    """

    @validate_params({"d_model": _COUNT, "warmup_steps": _COUNT, "learning_rate": _POSITIVE})
    def __init__(self, d_model: int, warmup_steps: int, learning_rate: float = 1.0):
        self.d_model = int(d_model)
        self.warmup_steps = int(warmup_steps)
        self.learning_rate = float(learning_rate)

    def value(self, step):
        a = 1.0 if step == 0 else step**-0.5
        b = step * self.warmup_steps**-1.5
        return self.learning_rate * self.d_model**-0.5 * min(a, b)

    def get_config(self):
        return {"d_model": self.d_model, "warmup_steps": self.warmup_steps,
                "learning_rate": self.learning_rate}
