"""Learning-rate schedules: the tutorial's twelve, with the formulas of Paddle's ``paddle.optimizer.lr``.

Each schedule is a callable ``lr(step) -> float`` that any optimizer accepts as its ``lr``; the optimizer
calls it with its ``iterations`` counter (per-step). Wrap a schedule in :class:`PerEpoch` to count epochs
instead, or hand it to the ``LearningRateScheduler`` callback. ``step`` is Paddle's ``last_epoch``.
"""

from __future__ import annotations

from .base import Schedule, describe
from .decay import (
    CosineDecay,
    ExponentialDecay,
    InverseTimeDecay,
    LambdaDecay,
    MultiStepDecay,
    NaturalExpDecay,
    NoamDecay,
    PiecewiseConstant,
    PolynomialDecay,
    StepDecay,
)
from .plateau import ReduceOnPlateau
from .warmup import LinearWarmup, PerEpoch

__all__ = [
    "Schedule", "PiecewiseConstant", "ExponentialDecay", "NaturalExpDecay", "PolynomialDecay", "StepDecay",
    "MultiStepDecay", "InverseTimeDecay", "LambdaDecay", "CosineDecay", "NoamDecay", "ReduceOnPlateau",
    "LinearWarmup", "PerEpoch", "get", "serialize", "names",
]


_CLASSES = {cls.__name__: cls for cls in (
    PiecewiseConstant, ExponentialDecay, NaturalExpDecay, PolynomialDecay, StepDecay, MultiStepDecay,
    InverseTimeDecay, LambdaDecay, CosineDecay, NoamDecay, ReduceOnPlateau, LinearWarmup, PerEpoch)}
_ALIASES = {
    "piecewise": PiecewiseConstant, "piecewise_constant": PiecewiseConstant,
    "exponential": ExponentialDecay, "natural_exp": NaturalExpDecay, "polynomial": PolynomialDecay,
    "step": StepDecay, "multistep": MultiStepDecay, "multi_step": MultiStepDecay,
    "inverse_time": InverseTimeDecay, "lambda": LambdaDecay, "cosine": CosineDecay, "noam": NoamDecay,
    "plateau": ReduceOnPlateau, "reduce_on_plateau": ReduceOnPlateau,
    "warmup": LinearWarmup, "linear_warmup": LinearWarmup, "per_epoch": PerEpoch,
}


def names() -> list[str]:
    """The short names :func:`get` understands."""
    return sorted(_ALIASES)


def _lookup(name: str) -> type[Schedule]:
    cls = _CLASSES.get(name) or _ALIASES.get(name.lower().replace("-", "_"))
    if cls is None:
        raise ValueError(f"Could not interpret schedule identifier: {name!r}; expected one of {names()}")
    return cls


def get(identifier, **kwargs) -> Schedule:
    """A schedule from an instance, a name with its arguments (``get("cosine", learning_rate=0.1, T_max=50)``)
    or a config dict ``{"class_name": "CosineDecay", "config": {...}}`` written by :func:`serialize`
    (``{"class": "CosineDecay", **config}`` works too)."""
    if isinstance(identifier, Schedule):
        return identifier
    if isinstance(identifier, dict) and "class_name" in identifier:
        config = dict(identifier.get("config", {}))
        for key in ("learning_rate", "schedule"):
            if isinstance(config.get(key), dict):
                config[key] = get(config[key])
        schedule = _lookup(str(identifier["class_name"]))(**config)
        if "state" in identifier and hasattr(schedule, "load_state_dict"):
            schedule.load_state_dict(identifier["state"])
        return schedule
    if isinstance(identifier, dict) and "class" in identifier:  # the form Optimizer.get_config() writes
        config = {k: v for k, v in identifier.items() if k != "class"}
        return get({"class_name": identifier["class"], "config": config})
    if isinstance(identifier, str):
        cls = _lookup(identifier)
        try:
            return cls(**kwargs)
        except TypeError as e:
            raise ValueError(f"schedule {identifier!r}: {e}") from None
    raise ValueError(
        f"Could not interpret schedule identifier: {identifier!r}; expected a name, a config or a Schedule"
    )


def serialize(schedule: Schedule) -> dict:
    """``{"class_name", "config"[, "state"]}`` for a model file; the inverse of :func:`get`."""
    if not isinstance(schedule, Schedule):
        raise ValueError(f"serialize: expected a nerve schedule, got {schedule!r}")
    if not schedule.serializable:
        raise ValueError(f"{schedule!r} holds a Python function and cannot be written to a file")
    return describe(schedule)
