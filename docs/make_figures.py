"""Make the tutorial pages' figures (docs/figures/*.png) with the examples: python docs/make_figures.py.

The PNGs are committed (small, 80 dpi), so `mkdocs build` needs no training; run this after changing an example.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES = ROOT / "docs" / "figures"


def example(name: str):
    sys.path.insert(0, str(ROOT / "examples"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gender_loss(path: Path) -> None:
    import nerve
    from nerve.datasets import load_gender
    from nerve.layers import Dense, Sigmoid
    from nerve.plot import plot_history

    x, y = load_gender()
    nerve.seed(0)
    model = nerve.Sequential([Dense(2, weight_init=1.0), Sigmoid(), Dense(1, weight_init=1.0), Sigmoid()],
                             input_shape=(2,))
    model.compile(optimizer=nerve.optimizers.SGD(lr=0.1), loss="mse")
    history = model.fit(x, y.reshape(-1, 1), epochs=300, batch_size=1, verbose=0)
    plot_history(history.history, path=path)


def main() -> None:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["savefig.dpi"] = 80
    FIGURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        example("sobel_edges").main(out_dir=tmp)
        example("numerical_gradient").main(out=tmp)
        example("logistic_regression").main(out=tmp)
        example("polynomial_overfitting").main(out=tmp)
        for name in ("sobel_edges", "tangent", "logistic_boundary", "polynomial_overfitting"):
            (FIGURES / f"{name}.png").write_bytes((Path(tmp) / f"{name}.png").read_bytes())
    gender_loss(FIGURES / "gender_loss.png")
    print(f"wrote {sorted(p.name for p in FIGURES.glob('*.png'))} into {FIGURES}")


if __name__ == "__main__":
    main()
