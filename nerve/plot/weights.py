"""Looking inside a network: activation histograms per layer, conv filters, feature maps."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["plot_activation_histograms", "plot_filters", "plot_feature_maps"]


def plot_activation_histograms(activations, bins: int = 30, value_range=(0.0, 1.0), path=None):
    """One histogram per layer's activations, one row per setting (the book's weight-init experiment).

    ``activations`` is a list of arrays (one row) or a dict ``{label: [arrays per layer]}`` (one row each,
    e.g. std 1 vs 0.01 vs Xavier).
    """
    rows = activations if isinstance(activations, dict) else {"": list(activations)}
    if not rows or not all(len(v) for v in rows.values()):
        raise ValueError("plot_activation_histograms: expected at least one array of activations per row")
    cols = max(len(v) for v in rows.values())
    fig = new_figure(figsize=(2.2 * cols, 2.0 * len(rows)))
    axes = fig.subplots(len(rows), cols, squeeze=False, sharey="row")
    for r, (label, layers) in enumerate(rows.items()):
        for c in range(cols):
            ax = axes[r, c]
            if c >= len(layers):
                ax.set_visible(False)
                continue
            ax.hist(np.asarray(layers[c]).ravel(), bins=bins, range=value_range)
            ax.set_title(f"layer {c + 1}", fontsize=8)
            if c:
                ax.tick_params(labelleft=False)
        if label:
            axes[r, 0].set_ylabel(label)
    return finish(fig, path)


def _grid(fig, images: np.ndarray, cols: int, titles=None, cmap="gray"):
    rows = -(-len(images) // cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for i, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= len(images):
            ax.set_visible(False)
            continue
        ax.imshow(images[i], cmap=cmap, interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[i], fontsize=7)


def plot_filters(W, cols: int = 8, path=None):
    """Each first-layer filter as a grey image: ``W`` (out_channels, in_channels, kh, kw), channel 0 shown.

    Accepts a Conv2D layer too (its ``params["W"]``).
    """
    W = np.asarray(getattr(W, "params", {}).get("W", W) if hasattr(W, "params") else W)
    if W.ndim != 4:
        raise ValueError(f"plot_filters: expected weights (out, in, kh, kw), got shape {W.shape}")
    images = W[:, 0]  # (out, in, kh, kw) -> (out, kh, kw)
    cols = max(1, min(cols, len(images)))
    fig = new_figure(figsize=(1.2 * cols, 1.2 * -(-len(images) // cols)))
    _grid(fig, images, cols, cmap="gray_r")
    return finish(fig, path)


def plot_feature_maps(maps, cols: int = 8, max_maps: int = 32, path=None):
    """The channels of one sample's feature maps: ``maps`` (C, H, W) or (1, C, H, W)."""
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]  # (1, C, H, W) -> (C, H, W)
    if maps.ndim != 3:
        raise ValueError(f"plot_feature_maps: expected (C, H, W) or (1, C, H, W), got shape {maps.shape}")
    maps = maps[:max_maps]
    cols = max(1, min(cols, len(maps)))
    fig = new_figure(figsize=(1.4 * cols, 1.4 * -(-len(maps) // cols)))
    _grid(fig, maps, cols, titles=[f"ch {i}" for i in range(len(maps))], cmap="viridis")
    return finish(fig, path)
