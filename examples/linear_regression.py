"""House-price style linear regression by gradient descent: train/validation loss per iteration, and a
learning-rate sweep (tutorial 000's "try different learning rates and watch the loss")."""

from __future__ import annotations

from pathlib import Path

from nerve.classic import LinearRegression
from nerve.datasets import make_linear, train_test_split
from nerve.preprocessing import StandardScaler


def main(n_samples: int = 200, n_iter: int = 300, out: str | Path | None = None) -> dict:
    # price = 3 * size + 50 + noise; sizes 50..150 square metres
    x, y = make_linear(n_samples, a=3.0, b=50.0, noise=10.0, x_range=(50.0, 150.0), seed=0)
    x_train, x_val, y_train, y_val = train_test_split(x, y.ravel(), test_size=0.25, seed=0)
    scaler = StandardScaler().fit(x_train)  # feature scaling lets one learning rate suit every feature
    x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)

    final = {}
    histories = {}
    for lr in (0.001, 0.01, 0.1, 2.5):  # 2.5 is too large: each step overshoots further
        model = LinearRegression(solver="gd", lr=lr, n_iter=n_iter)
        model.fit(x_train, y_train, validation_data=(x_val, y_val))
        histories[lr] = model.history_
        final[lr] = model.history_["val_loss"][-1]
        print(f"lr {lr:<6g} train loss {model.history_['loss'][-1]:10.4g}   validation loss {final[lr]:10.4g}")
    exact = LinearRegression().fit(x_train, y_train)
    slope = float(exact.coef_[0] / scaler.scale_[0])
    print(f"normal equation: price = {slope:.3f} * size + {float(exact.intercept_ - slope * scaler.mean_[0]):.2f}")

    if out is not None:
        from nerve.plot import plot_history

        plot_history(histories[0.1], path=Path(out) / "linear_regression_loss.png")
        print(f"wrote {out}/linear_regression_loss.png")
    best = min(final, key=final.get)
    return {"val_loss": final, "best_lr": best, "slope": slope, "histories": histories}


if __name__ == "__main__":
    main(out="runs/examples")
