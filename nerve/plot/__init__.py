"""matplotlib figures (headless-safe: every function returns a Figure and can save a PNG)."""

from __future__ import annotations

from .history import plot_history

__all__ = ["plot_history"]
