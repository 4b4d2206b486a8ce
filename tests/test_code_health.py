"""House rules that stay habits because a test checks them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "nerve").rglob("*.py"))


def test_no_source_file_exceeds_the_line_budget():
    long = {str(p.relative_to(ROOT)): n for p in SOURCES if (n := len(p.read_text().splitlines())) > 400}
    assert not long, f"split these by concept: {long}"


def test_no_pickle_anywhere_in_the_library():
    offenders = [str(p.relative_to(ROOT)) for p in SOURCES
                 if "import pickle" in p.read_text() or "allow_pickle=True" in p.read_text()]
    assert not offenders


def test_no_global_numpy_random_functions():
    offenders = [str(p.relative_to(ROOT)) for p in SOURCES
                 if any(f"np.random.{fn}(" in p.read_text() for fn in ("rand", "randn", "seed", "choice", "shuffle",
                                                                        "permutation", "normal", "uniform"))]
    assert not offenders


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_parts(path: Path, root: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def private_uses(path: Path, root: Path) -> list[str]:
    """Cross-module uses of private names in one source file (the rule is in the test below)."""
    tree = ast.parse(path.read_text())
    me = _module_parts(path, root)
    package = me if path.name == "__init__.py" else me[:-1]
    found, bound = [], set()

    def check_module(parts: list[str], line: int) -> None:
        for i, part in enumerate(parts):
            if _is_private(part):
                if package != parts[:i]:
                    found.append(f"{line}: private module {'.'.join(parts)} used outside its package")
                return

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            base = package[:len(package) - node.level + 1] if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            check_module(target, node.lineno)
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                is_module = (root.joinpath(*target, alias.name + ".py").exists()
                             or root.joinpath(*target, alias.name).is_dir())
                if is_module:
                    check_module(target + [alias.name], node.lineno)
                elif _is_private(alias.name):
                    found.append(f"{node.lineno}: from {'.'.join(target)} import {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                check_module(alias.name.split("."), node.lineno)
                bound.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _is_private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in bound):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_names_imported_across_modules():
    """A name with one leading underscore is private to the module that defines it.

    Rule: no module of nerve/ imports another module's private name (``from .ops import _helper``) or reaches
    one through a name bound by an import (``ops._helper``, ``Layer._registry`` where ``Layer`` was imported).
    A private module (``metrics/_checks.py``, ``cli/_common.py``, ``callbacks/_monitor.py``) is private to its
    package: only modules of that same package import it, and only its public names. Attributes of other
    objects (``self._x``, ``model._cache``) are not judged here. What two modules share is public in one.
    """
    offenders = {str(p.relative_to(ROOT)): found for p in SOURCES if (found := private_uses(p, ROOT))}
    assert not offenders, offenders


def test_private_use_checker_catches_each_kind(tmp_path):
    pkg = tmp_path / "nerve"
    (pkg / "sub").mkdir(parents=True)
    for name in ("__init__.py", "ops.py", "sub/__init__.py", "sub/_checks.py"):
        (pkg / name).write_text("")
    cases = {
        "from .ops import _helper\n": True,
        "from . import ops\nops._helper(1)\n": True,
        "import nerve.ops as o\no._helper\n": True,
        "from .ops import Thing\nThing._registry\n": True,
        "from .sub._checks import public_name\n": True,  # a private module from outside its package
        "from .ops import helper\nclass A:\n    def f(self):\n        return self._x, helper\n": False,
        "from .ops import __version__\n": False,
    }
    for source, bad in cases.items():
        (pkg / "user.py").write_text(source)
        assert bool(private_uses(pkg / "user.py", tmp_path)) == bad, source
    (pkg / "sub" / "user.py").write_text("from ._checks import public_name\nfrom . import _checks\n")
    assert private_uses(pkg / "sub" / "user.py", tmp_path) == []
    (pkg / "sub" / "user.py").write_text("from ._checks import _private\n")
    assert private_uses(pkg / "sub" / "user.py", tmp_path)
