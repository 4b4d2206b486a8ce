"""A row of images with titles: an input next to what filters or layers make of it."""

from __future__ import annotations

import numpy as np

from ._figure import finish, new_figure

__all__ = ["plot_images"]

_DIVERGING = {"RdBu_r", "RdBu", "coolwarm", "bwr", "seismic"}


def plot_images(images, titles=None, cmaps="gray", path=None, panel_size: float = 2.5):
    """Each 2-D array in ``images`` side by side; diverging colour maps are centred on 0 (signed responses).

    ``cmaps`` is one colour-map name or one per image. Returns the Figure; saves a PNG when ``path`` is given.
    """
    images = [np.asarray(im) for im in images]
    if not images or any(im.ndim != 2 for im in images):
        raise ValueError(f"plot_images: expected 2-D images, got shapes {[im.shape for im in images]}")
    titles = list(titles) if titles is not None else [""] * len(images)
    cmaps = [cmaps] * len(images) if isinstance(cmaps, str) else list(cmaps)
    if len(titles) != len(images) or len(cmaps) != len(images):
        raise ValueError(f"plot_images: {len(images)} images but {len(titles)} titles and {len(cmaps)} colour maps")
    fig = new_figure(figsize=(panel_size * len(images), panel_size * 1.1))
    for k, (image, title, cmap) in enumerate(zip(images, titles, cmaps), start=1):
        ax = fig.add_subplot(1, len(images), k)
        if cmap in _DIVERGING:
            limit = float(np.abs(image).max()) or 1.0
            ax.imshow(image, cmap=cmap, vmin=-limit, vmax=limit)
        else:
            ax.imshow(image, cmap=cmap)
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    return finish(fig, path)
