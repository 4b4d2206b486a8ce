"""The twelve learning-rate schedules against Paddle's formulas, evaluated by hand at several steps."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from nerve import schedules as S


def _values(schedule, steps):
    return [schedule(s) for s in steps]


def test_piecewise_constant_switches_at_each_boundary():
    lr = S.PiecewiseConstant(boundaries=[3, 6], values=[0.1, 0.05, 0.01])
    assert _values(lr, [0, 2, 3, 5, 6, 100]) == [0.1, 0.1, 0.05, 0.05, 0.01, 0.01]


def test_exponential_decay_multiplies_by_gamma_each_step():
    lr = S.ExponentialDecay(0.5, gamma=0.9)
    assert _values(lr, [0, 1, 2, 3]) == pytest.approx([0.5, 0.45, 0.405, 0.3645], rel=1e-12)


def test_natural_exp_decay_is_exp_of_minus_gamma_step():
    lr = S.NaturalExpDecay(0.5, gamma=0.1)
    expected = [0.5, 0.45241870901797976, 0.18393972058572117]  # 0.5 * e^-0.1, 0.5 * e^-1
    assert _values(lr, [0, 1, 10]) == pytest.approx(expected, rel=1e-12)


def test_inverse_time_decay_divides_by_one_plus_gamma_step():
    lr = S.InverseTimeDecay(0.5, gamma=0.1)
    assert _values(lr, [0, 1, 10, 30]) == pytest.approx([0.5, 0.5 / 1.1, 0.25, 0.125], rel=1e-12)


def test_polynomial_decay_reaches_end_lr_and_stays():
    lr = S.PolynomialDecay(0.1, decay_steps=10, end_lr=0.0, power=1.0)
    assert _values(lr, [0, 5, 10, 20]) == pytest.approx([0.1, 0.05, 0.0, 0.0], abs=1e-15)
    squared = S.PolynomialDecay(0.1, decay_steps=10, end_lr=0.0, power=2.0)
    assert squared(5) == pytest.approx(0.025, rel=1e-12)
    default_end = S.PolynomialDecay(0.1, decay_steps=10)  # end_lr=0.0001 as in Paddle
    assert default_end(5) == pytest.approx(0.0999 * 0.5 + 0.0001, rel=1e-12)
    assert default_end(50) == pytest.approx(0.0001, rel=1e-12)


def test_polynomial_decay_with_cycle_restarts_with_longer_period():
    lr = S.PolynomialDecay(0.1, decay_steps=10, end_lr=0.0, cycle=True)
    # decay_steps becomes 10 * ceil(step / 10) (1 at step 0)
    assert _values(lr, [0, 10, 15, 20, 21]) == pytest.approx([0.1, 0.0, 0.025, 0.0, 0.03], abs=1e-15)


def test_step_decay_drops_every_step_size():
    lr = S.StepDecay(0.5, step_size=3, gamma=0.1)
    assert _values(lr, [0, 2, 3, 5, 6]) == pytest.approx([0.5, 0.5, 0.05, 0.05, 0.005], rel=1e-12)


def test_multistep_decay_drops_at_each_milestone():
    lr = S.MultiStepDecay(0.5, milestones=[2, 4, 6], gamma=0.1)
    expected = [0.5, 0.5, 0.05, 0.05, 0.005, 0.005, 0.0005, 0.0005]
    assert _values(lr, range(8)) == pytest.approx(expected, rel=1e-12)


def test_lambda_decay_scales_by_the_function():
    lr = S.LambdaDecay(0.5, lambda step: 0.95**step)
    assert _values(lr, [0, 1, 2]) == pytest.approx([0.5, 0.475, 0.45125], rel=1e-12)


def test_lambda_decay_rejects_a_function_returning_nan():
    lr = S.LambdaDecay(0.5, lambda step: float("nan"))
    with pytest.raises(ValueError, match="lr_lambda"):
        lr(1)


def test_cosine_decay_anneals_from_lr_to_eta_min():
    lr = S.CosineDecay(0.1, T_max=10, eta_min=0.01)
    assert lr(0) == pytest.approx(0.1)
    assert lr(5) == pytest.approx(0.055, rel=1e-12)
    assert lr(10) == pytest.approx(0.01, rel=1e-12)
    assert lr(2) == pytest.approx(0.01 + 0.09 * (1 + math.cos(math.pi * 0.2)) / 2, rel=1e-12)
    assert lr(20) == pytest.approx(0.1, rel=1e-12)  # closed form: the cosine comes back up


def test_noam_decay_warms_up_then_decays_as_inverse_sqrt():
    lr = S.NoamDecay(d_model=512, warmup_steps=4000)
    assert lr(0) == 0.0
    assert lr(1) == pytest.approx(512**-0.5 * 4000**-1.5, rel=1e-12)
    assert lr(4000) == pytest.approx(0.000698771242968684, rel=1e-9)
    assert lr(16000) == pytest.approx(512**-0.5 * 16000**-0.5, rel=1e-12)
    peak = max(_values(lr, range(0, 20000, 100)))
    assert peak == pytest.approx(lr(4000))


def test_reduce_on_plateau_cuts_after_patience_bad_epochs():
    lr = S.ReduceOnPlateau(1.0, factor=0.5, patience=2)
    rates = [lr.step(loss) for loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]]
    #       best=1  better  bad1  bad2  bad3->cut  bad1  bad2  bad3->cut
    assert rates == [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    assert lr(123) == 0.25  # the step argument does not matter, the losses do


def test_reduce_on_plateau_relative_threshold_ignores_tiny_improvements():
    lr = S.ReduceOnPlateau(1.0, factor=0.1, patience=0, threshold=0.01)
    assert lr.step(1.0) == 1.0
    assert lr.step(0.995) == pytest.approx(0.1)  # 0.5% better is below the 1% threshold


def test_reduce_on_plateau_cooldown_min_lr_and_max_mode():
    lr = S.ReduceOnPlateau(1.0, mode="max", factor=0.1, patience=0, cooldown=1, min_lr=0.05)
    rates = [lr.step(acc) for acc in [0.5, 0.4, 0.4, 0.4, 0.4, 0.4]]
    #                                 best  cut   cool  cut->min  cool  no cut below min
    assert rates == pytest.approx([1.0, 0.1, 0.1, 0.05, 0.05, 0.05])


def test_reduce_on_plateau_state_round_trip():
    lr = S.ReduceOnPlateau(1.0, factor=0.5, patience=1)
    for loss in [1.0, 1.0, 1.0]:
        lr.step(loss)
    copy = S.get(json.loads(json.dumps(S.serialize(lr))))
    assert copy(0) == lr(0) == 0.5
    assert copy.state_dict() == lr.state_dict()


def test_linear_warmup_then_constant():
    lr = S.LinearWarmup(0.5, warmup_steps=4, start_lr=0.0, end_lr=0.5)
    assert _values(lr, [0, 1, 2, 4, 100]) == pytest.approx([0.0, 0.125, 0.25, 0.5, 0.5])


def test_linear_warmup_wraps_another_schedule_shifted_by_warmup():
    lr = S.LinearWarmup(S.ExponentialDecay(0.5, 0.9), warmup_steps=4, start_lr=0.1, end_lr=0.5)
    assert _values(lr, [0, 2, 4, 5, 6]) == pytest.approx([0.1, 0.3, 0.5, 0.45, 0.405])


def test_per_epoch_counts_epochs_from_steps():
    lr = S.PerEpoch(S.StepDecay(0.5, step_size=1, gamma=0.5), steps_per_epoch=10)
    assert _values(lr, [0, 9, 10, 25]) == [0.5, 0.5, 0.25, 0.125]


def test_every_serialisable_schedule_round_trips_through_json():
    schedules = [
        S.PiecewiseConstant([3, 6], [0.1, 0.05, 0.01]), S.ExponentialDecay(0.5, 0.9),
        S.NaturalExpDecay(0.5, 0.1),
        S.InverseTimeDecay(0.5, 0.1), S.PolynomialDecay(0.1, 10, cycle=True), S.StepDecay(0.5, 3),
        S.MultiStepDecay(0.5, [2, 4]), S.CosineDecay(0.1, 10), S.NoamDecay(64, 10), S.ReduceOnPlateau(0.1),
        S.LinearWarmup(S.CosineDecay(0.1, 10), 5, 0.0, 0.1), S.PerEpoch(S.StepDecay(0.5, 1), 7),
    ]
    for schedule in schedules:
        copy = S.get(json.loads(json.dumps(S.serialize(schedule))))
        assert type(copy) is type(schedule)
        assert _values(copy, range(0, 40, 3)) == _values(schedule, range(0, 40, 3)), schedule


def test_lambda_decay_cannot_be_serialised_but_describes_itself():
    with pytest.raises(ValueError, match="function"):
        S.serialize(S.LambdaDecay(0.1, abs))
    with pytest.raises(ValueError, match="function"):
        S.serialize(S.LinearWarmup(S.LambdaDecay(0.1, abs), 2, 0.0, 0.1))
    assert "built-in function abs" in repr(S.LambdaDecay(0.1, abs))
    from nerve.optimizers import SGD

    assert "LambdaDecay" in repr(SGD(lr=S.LambdaDecay(0.1, abs)))
    assert "LambdaDecay" in repr(S.PerEpoch(S.LinearWarmup(S.LambdaDecay(0.1, abs), 2, 0.0, 0.1), 3))
    with pytest.raises(ValueError, match="function"):
        S.serialize(S.PerEpoch(lambda epoch: 0.1, 3))


def test_get_builds_by_short_name_and_class_name():
    assert isinstance(S.get("cosine", learning_rate=0.1, T_max=5), S.CosineDecay)
    assert isinstance(S.get("NoamDecay", d_model=8, warmup_steps=2), S.NoamDecay)
    assert isinstance(S.get("multi-step", learning_rate=0.1, milestones=[1]), S.MultiStepDecay)
    same = S.StepDecay(0.1, 2)
    assert S.get(same) is same
    assert "noam" in S.names() and "warmup" in S.names()


@pytest.mark.parametrize(
    ("identifier", "kwargs", "match"),
    [
        ("bogus", {}, "Could not interpret schedule"),
        ("cosine", {"learning_rate": 0.1}, "T_max"),
        ("step", {"learning_rate": -1.0, "step_size": 2}, "learning_rate"),
        ("step", {"learning_rate": 0.1, "step_size": 0}, "step_size"),
        ("piecewise", {"boundaries": [1, 2], "values": [0.1]}, "len"),
        ("piecewise", {"boundaries": [2, 1], "values": [0.1, 0.2, 0.3]}, "increase"),
        ("plateau", {"learning_rate": 0.1, "mode": "up"}, "mode"),
        ("plateau", {"learning_rate": 0.1, "factor": 1.5}, "factor"),
        (3.5, {}, "Could not interpret"),
    ],
)
def test_bad_arguments_raise_clear_errors(identifier, kwargs, match):
    with pytest.raises(ValueError, match=match):
        S.get(identifier, **kwargs)


def test_negative_or_non_numeric_step_is_rejected():
    lr = S.ExponentialDecay(0.1, 0.9)
    for step in (-1, float("nan"), "3", True):
        with pytest.raises(ValueError, match="step"):
            lr(step)


def test_get_accepts_the_flat_form_optimizers_write():
    lr = S.get({"class": "StepDecay", "learning_rate": 0.5, "step_size": 2, "gamma": 0.5})
    assert _values(lr, [0, 2, 4]) == [0.5, 0.25, 0.125]


def test_optimizer_uses_a_schedule_per_step():
    from nerve.optimizers import SGD

    opt = SGD(lr=S.StepDecay(0.5, step_size=1, gamma=0.5))
    w = np.zeros(1)
    for _ in range(3):
        opt.update({"w": w}, {"w": np.ones(1)})
    assert w[0] == pytest.approx(-(0.5 + 0.25 + 0.125))
