"""The tutorial's twelve learning-rate schedules (Paddle's formulas): values at a few steps, and their curves."""

from __future__ import annotations

from pathlib import Path

from nerve import schedules as S


def all_schedules(lr: float = 0.1, total: int = 100) -> dict:
    """One of each schedule, spanning ``total`` steps from ``lr``."""
    plateau = S.ReduceOnPlateau(lr, factor=0.5, patience=2)
    for loss in [1.0, 0.9, 0.9, 0.9, 0.9]:  # loss-adaptive: it moves only when told the loss
        plateau.step(loss)
    return {
        "piecewise constant": S.PiecewiseConstant([30, 60], [lr, lr / 2, lr / 10]),
        "exponential": S.ExponentialDecay(lr, gamma=0.97),
        "natural exp": S.NaturalExpDecay(lr, gamma=0.03),
        "polynomial": S.PolynomialDecay(lr, decay_steps=total, end_lr=0.0, power=2.0),
        "polynomial (cycle)": S.PolynomialDecay(lr, decay_steps=total // 3, end_lr=0.0, cycle=True),
        "step": S.StepDecay(lr, step_size=25, gamma=0.5),
        "multi-step": S.MultiStepDecay(lr, milestones=[20, 50, 80], gamma=0.5),
        "inverse time": S.InverseTimeDecay(lr, gamma=0.1),
        "lambda": S.LambdaDecay(lr, lambda step: 0.95**step),
        "cosine": S.CosineDecay(lr, T_max=total),
        "noam": S.NoamDecay(d_model=1, warmup_steps=10, learning_rate=lr * 10**0.5),
        "loss-adaptive": plateau,
        "linear warm-up + cosine": S.LinearWarmup(S.CosineDecay(lr, T_max=total - 10), 10, 0.0, lr),
    }


def main(out: str | Path | None = None) -> dict:
    table = all_schedules()
    steps = [0, 10, 50, 99]
    print(f"{'schedule':26}" + "".join(f"step {s:<6}" for s in steps))
    values = {}
    for name, schedule in table.items():
        values[name] = [schedule(s) for s in steps]
        print(f"{name:26}" + "".join(f"{v:<11.5f}" for v in values[name]))
    if out is not None:
        from nerve.plot import plot_schedules

        plot_schedules(table, steps=100, path=Path(out) / "lr_schedules.png")
        print(f"wrote {out}/lr_schedules.png")
    return values


if __name__ == "__main__":
    main(out="runs/examples")
