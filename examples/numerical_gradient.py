"""Numerical differentiation (chapter 4): derivatives, a tangent line, partial derivatives and the gradient field."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nerve.gradcheck import numerical_diff, numerical_gradient


def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return float(np.sum(x**2))


def main(out: str | Path | None = None) -> dict:
    # derivatives of 0.01x² + 0.1x at 5 and 10 (exact: 0.2 and 0.3)
    d5, d10 = numerical_diff(function_1, 5.0), numerical_diff(function_1, 10.0)
    print(f"f'(5) = {d5!r}, f'(10) = {d10!r}")  # 0.1999999999990898, 0.2999999999986347

    # partial derivatives of x0² + x1²: at (3, 4) the gradient is (6, 8)
    grads = {p: numerical_gradient(function_2, np.array(p, dtype=np.float64)) for p in [(3.0, 4.0), (0.0, 2.0),
                                                                                        (3.0, 0.0)]}
    for point, g in grads.items():
        print(f"gradient at {point}: {np.round(g, 6)}")  # [6, 8], [0, 4], [6, 0]

    if out is not None:
        from nerve.plot import plot_gradient_field, plot_tangent

        plot_tangent(function_1, 5.0, path=Path(out) / "tangent.png")
        plot_gradient_field(function_2, path=Path(out) / "gradient_field.png")
        print(f"wrote {out}/tangent.png and gradient_field.png")
    return {"d5": d5, "d10": d10, "gradients": {k: v.tolist() for k, v in grads.items()}}


if __name__ == "__main__":
    main(out="runs/examples")
