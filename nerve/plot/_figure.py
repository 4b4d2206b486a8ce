"""Figures that never touch pyplot's global state (headless- and thread-safe), and atomic PNG saving."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fig.savefig(fh, format=path.suffix[1:] or "png", dpi=dpi)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return fig
