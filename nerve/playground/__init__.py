"""The browser playground: fit y = ax + b to clicked points, or watch a small network classify 2-D data.

Training runs in Python on nerve itself; the page (plain HTML/CSS/JS) only draws. ``nerve playground``
calls :func:`serve`; tests use :func:`make_server`.
"""

from __future__ import annotations

from .server import make_server, serve

__all__ = ["serve", "make_server"]
