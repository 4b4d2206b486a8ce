"""Figures that never touch pyplot's global state (headless- and thread-safe), and atomic PNG saving."""

from __future__ import annotations

from pathlib import Path

from ..io.atomic import atomic_write

__all__ = ["new_figure", "finish"]


def new_figure(**kwargs):
    """A ``matplotlib.figure.Figure`` (constrained layout unless told otherwise)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("nerve.plot needs matplotlib: pip install 'nerve[plot]'") from None
    kwargs.setdefault("layout", "constrained")
    return Figure(**kwargs)


def finish(fig, path=None, dpi: int = 110):
    """Save ``fig`` as a PNG at ``path`` (if given; written to a temporary file, then renamed) and return it."""
    if path is not None:
        path = Path(path)
        atomic_write(path, lambda fh: fig.savefig(fh, format=path.suffix[1:] or "png", dpi=dpi))
    return fig
