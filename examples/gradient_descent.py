"""Gradient descent: x ← x - lr·∇f(x) on x0² + x1² from (-3, 4), and what a too-large or too-small lr does."""

from __future__ import annotations

import numpy as np

from nerve.gradcheck import gradient_descent


def function_2(x):
    return float(np.sum(x**2))


def main(step_num: int = 100) -> dict:
    results = {}
    for lr in (0.1, 10.0, 1e-10):
        x = gradient_descent(function_2, np.array([-3.0, 4.0]), lr=lr, step_num=step_num)
        results[lr] = x
        print(f"lr = {lr:<6g}: x = {x}")
    # lr 0.1 reaches (0, 0) (the book: [-6.1e-10, 8.1e-10]); lr 10 diverges; lr 1e-10 hardly moves
    return {"good": results[0.1], "too_large": results[10.0], "too_small": results[1e-10]}


if __name__ == "__main__":
    main()
