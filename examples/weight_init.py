"""Weight initialisation (chapter 6): activations of 5 layers of 100 units for weights of std 1, std 0.01,
Xavier (sigmoid) and He (ReLU). Std 1 saturates sigmoids at 0 and 1; std 0.01 squeezes them at 0.5."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nerve
from nerve.layers import Dense, ReLU, Sigmoid


def activations(weight_init, activation, n_samples: int = 1000, seed: int = 0) -> list[np.ndarray]:
    """Outputs of each of 5 (Dense 100 without bias -> activation) layers for random inputs."""
    nerve.seed(seed)
    x = np.random.default_rng(seed).standard_normal((n_samples, 100)).astype(np.float32)
    out = []
    for _ in range(5):
        x = Dense(100, weight_init=weight_init, use_bias=False).forward(x)
        x = activation().forward(x)
        out.append(x)
    return out


def main(n_samples: int = 1000, out: str | Path | None = None) -> dict:
    settings = {"sigmoid, std 1": (1.0, Sigmoid), "sigmoid, std 0.01": (0.01, Sigmoid),
                "sigmoid, Xavier": ("xavier", Sigmoid), "ReLU, std 0.01": (0.01, ReLU), "ReLU, He": ("he", ReLU)}
    acts = {label: activations(init, act, n_samples) for label, (init, act) in settings.items()}
    stats = {}
    for label, layers in acts.items():
        last = layers[-1]
        saturated = float(np.mean((last < 0.01) | (last > 0.99))) if "sigmoid" in label else None
        stats[label] = {"std_last_layer": float(last.std()), "saturated": saturated}
        extra = f", saturated {saturated:.0%}" if saturated is not None else ""
        print(f"{label:18} layer-5 activations: mean {last.mean():.3f}, std {last.std():.4f}{extra}")
    if out is not None:
        from nerve.plot import plot_activation_histograms

        plot_activation_histograms({k: v for k, v in acts.items() if "sigmoid" in k},
                                   path=Path(out) / "weight_init_sigmoid.png")
        plot_activation_histograms({k: v for k, v in acts.items() if "ReLU" in k}, value_range=(0.0, 2.0),
                                   path=Path(out) / "weight_init_relu.png")
        print(f"wrote {out}/weight_init_sigmoid.png and weight_init_relu.png")
    return stats


if __name__ == "__main__":
    main(out="runs/examples")
