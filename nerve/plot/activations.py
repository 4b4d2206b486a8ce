"""The activation zoo: each function and its derivative, computed by the layers' own forward/backward."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["plot_activations", "ACTIVATION_NAMES", "SOFTMAX_EXAMPLE"]

ACTIVATION_NAMES = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "prelu", "softmax")
#: the book's softmax example: softmax([0.3, 2.9, 4.0]) = [0.018, 0.245, 0.737]
SOFTMAX_EXAMPLE = (0.3, 2.9, 4.0)
_LAYERS = {"step": ("Step", {}), "sigmoid": ("Sigmoid", {}), "tanh": ("Tanh", {}), "relu": ("ReLU", {}),
           "leaky_relu": ("LeakyReLU", {"alpha": 0.1}), "elu": ("ELU", {"alpha": 1.0}), "prelu": ("PReLU", {})}


def _curve(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from .. import layers

    if name not in _LAYERS:
        raise ValueError(f"plot_activations: unknown activation {name!r}; expected some of {ACTIVATION_NAMES}")
    cls, kwargs = _LAYERS[name]
    layer = layers.get(cls, **kwargs)
    if name == "prelu":
        layer.build((1,))
        layer.params["alpha"][...] = 0.25  # PyTorch's starting slope, so the negative side is visible
    column = x.reshape(-1, 1)  # (N,) -> (N, 1): N samples of one feature
    y = layer.forward(column, training=True)
    dy = layer.backward(np.ones_like(column))  # elementwise, so backward of ones is the derivative
    return y.ravel(), dy.ravel()


def _softmax_panel(ax) -> None:
    from .. import layers

    logits = np.array([SOFTMAX_EXAMPLE])
    probs = layers.Softmax().forward(logits)[0]
    labels = [f"{v:g}" for v in SOFTMAX_EXAMPLE]
    ax.bar(labels, probs, color="tab:blue")
    for i, p in enumerate(probs):
        ax.text(i, p, f"{p:.3f}", ha="center", va="bottom", fontsize=7)
    ax.set_xlabel("logit")
    ax.set_ylim(0, 1)
    ax.set_title("softmax")


def plot_activations(names=ACTIVATION_NAMES, x_range: tuple[float, float] = (-5.0, 5.0), path=None):
    """One panel per activation: f(x) and f'(x) (from the layer's backward) over ``x_range``; softmax, a
    function of a whole vector, as bars of softmax([0.3, 2.9, 4.0])."""
    names = list(names)
    if not names:
        raise ValueError("plot_activations: give at least one activation name")
    x = np.linspace(*x_range, 401)
    cols = min(4, len(names))
    rows = -(-len(names) // cols)
    fig = new_figure(figsize=(3.2 * cols, 2.8 * rows))
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, names):
        if name == "softmax":  # a function of a vector: show it on the book's example
            _softmax_panel(ax)
            continue
        y, dy = _curve(name, x)
        ax.plot(x, y, label="f(x)")
        ax.plot(x, dy, "--", label="f'(x)")
        ax.axhline(0, color="grey", lw=0.5)
        ax.axvline(0, color="grey", lw=0.5)
        ax.set_title(name)
        ax.legend(fontsize=7)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    return finish(fig, path)
