"""The package's shape: no import cycles between nerve's modules, no attributes bolted onto models from outside."""

import ast
import functools
from pathlib import Path

import nerve

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "nerve").rglob("*.py"))


@functools.cache
def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(sources) -> dict[str, set[str]]:
    """Module -> the nerve modules it imports, at the top or inside functions (lazy imports count too).

    Imports of the root package ``nerve`` itself (``from .. import __version__``) are left out: the root only
    gathers the public API.
    """
    modules = {_module_name(p): p for p in sources}
    graph = {m: set() for m in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                    if node.level else node.module
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t not in (name, "nerve")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt, path + [nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_the_cycle_finder_finds_a_planted_cycle(tmp_path):
    pkg = tmp_path / "nerve"
    (pkg / "io").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "model.py").write_text("def save():\n    from .io import save_model\n")
    (pkg / "io" / "__init__.py").write_text("from .file import save_model\n")
    (pkg / "io" / "file.py").write_text("def load():\n    from ..model import Sequential\n")
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        graph = import_graph(sorted(pkg.rglob("*.py")))
    finally:
        ROOT = old
    assert find_cycle(graph) == ["nerve.io", "nerve.io.file", "nerve.model", "nerve.io"]


def test_no_import_cycles_between_nerve_modules():
    cycle = find_cycle(import_graph(SOURCES))
    assert cycle is None, f"import cycle: {' -> '.join(cycle)}"


def _model_attribute_targets(tree):
    """(line, attribute) for every ``model.x = ...`` / ``self.model.x = ...`` / ``setattr(model, "x", ...)``."""
    def is_model(node):
        return (isinstance(node, ast.Name) and node.id == "model") or \
            (isinstance(node, ast.Attribute) and node.attr == "model")

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr" and node.args \
                and is_model(node.args[0]):
            yield node.lineno, getattr(node.args[1], "value", "?") if len(node.args) > 1 else "?"
        for target in targets:
            for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(t, ast.Attribute) and is_model(t.value):
                    yield node.lineno, t.attr


def test_other_modules_only_set_attributes_a_model_declares():
    declared = set(vars(nerve.Sequential()))
    bolted = [f"{p.relative_to(ROOT)}:{line}: model.{attr}" for p in SOURCES if p.name != "model.py"
              for line, attr in _model_attribute_targets(parsed(p))
              if attr not in declared and not attr.startswith("__")]
    assert not bolted, f"declare these in Sequential.__init__ (or keep them out of the model): {bolted}"
