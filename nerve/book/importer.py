"""Run the book's own scripts on nerve: ``common.X`` imports ``nerve.book.X``, ``dataset.mnist`` imports
``nerve.book.mnist``.

``python -m nerve.book ch05/train_neuralnet.py`` runs a script of the book's repository as it is (its folder
first on ``sys.path``, so its neighbours such as ``two_layer_net.py`` are found as the book expects);
``with book_imports(): ...`` does the same mapping inside Python. The mapping is a finder on
``sys.meta_path``; nothing is copied or patched.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys

__all__ = ["BookFinder", "book_imports", "run_script", "target_of"]

_ALIASES = {"common": "nerve.book", "dataset": "nerve.book", "dataset.mnist": "nerve.book.mnist"}


def target_of(fullname: str) -> str | None:
    """The nerve module that the book's module ``fullname`` stands for, or None."""
    if fullname in _ALIASES:
        return _ALIASES[fullname]
    head, _, rest = fullname.partition(".")
    if head == "common" and rest:
        return "nerve.book." + rest
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands out the already imported nerve module, leaving its own ``__spec__`` as it was."""

    def __init__(self, target: str):
        self.target = target
        self.spec = None

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self.spec  # the import system wrote the alias's spec over it


class BookFinder(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` finder that maps the book's ``common``/``dataset`` packages to ``nerve.book``."""

    def find_spec(self, fullname, path=None, target=None):
        name = target_of(fullname)
        if name is None:
            return None
        if importlib.util.find_spec(name) is None:
            return None  # e.g. common.three_layer_net: no such module in nerve.book
        return importlib.util.spec_from_loader(fullname, _AliasLoader(name), is_package=fullname in _ALIASES
                                               and fullname != "dataset.mnist")


@contextlib.contextmanager
def book_imports():
    """Within the block, ``import common.layers`` etc. give nerve.book's modules; afterwards they are gone."""
    finder = BookFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if target_of(n) is not None]:
            del sys.modules[name]


def run_script(path, argv=()) -> dict:
    """Run the book's script at ``path`` as ``__main__`` with :func:`book_imports`; returns its globals."""
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    old_argv, old_path, old_cwd = sys.argv, list(sys.path), os.getcwd()
    sys.argv = [path, *argv]
    sys.path.insert(0, folder)
    os.chdir(folder)  # the book's scripts open files next to themselves (e.g. ../dataset/lena_gray.png)
    try:
        with book_imports():
            return runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv, sys.path[:] = old_argv, old_path
        os.chdir(old_cwd)
