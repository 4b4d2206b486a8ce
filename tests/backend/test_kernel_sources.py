"""Kernels compute with ``xp`` (the arrays' own module), never with NumPy: a walk over their source."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNELS = sorted([*(ROOT / "nerve" / "layers").glob("*.py"),
                  *(ROOT / "nerve" / name for name in ("losses.py", "optimizers.py", "im2col.py", "ops.py",
                                                       "regularizers.py", "initializers.py", "conv_grid.py",
                                                       "channel_bias.py", "layout.py"))])

#: what a kernel may still name through ``np``: dtypes, type tests and constants, never a computation
ALLOWED = {"float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "intp", "bool_",
           "dtype", "ndarray", "generic", "integer", "floating", "number", "finfo", "iinfo", "issubdtype",
           "inf", "nan", "pi", "newaxis",
           "errstate"}  # NOTE: errstate only silences NumPy's floating-point warnings; on a GPU it does nothing
#: functions that create parameters on the host with nerve's seeded generator (moved to the device afterwards):
#: layers' ``build`` and initializers' ``__call__``
HOST_CREATION = {"build"}
HOST_CREATION_INITIALIZERS = {"build", "__call__"}


def _np_uses(tree: ast.AST, host_creation: set[str]):
    """(line, name) of every ``np.<name>`` outside host-creation functions."""
    found = []

    def visit(node, exempt):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            exempt = exempt or node.name in host_creation
        if (not exempt and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "np"):
            found.append((node.lineno, node.attr))
        for child in ast.iter_child_nodes(node):
            visit(child, exempt)

    visit(tree, False)
    return found


def stray_numpy_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    uses = _np_uses(tree, HOST_CREATION_INITIALIZERS if path.name == "initializers.py" else HOST_CREATION)
    return [f"{path.relative_to(ROOT)}:{line}: np.{name}" for line, name in uses if name not in ALLOWED]


def test_kernels_name_numpy_only_for_dtypes_and_constants():
    offenders = [line for path in KERNELS for line in stray_numpy_calls(path)]
    assert not offenders, "use xp = get_array_module(...) instead:\n" + "\n".join(offenders)


def test_the_walk_finds_a_planted_numpy_call(tmp_path):
    planted = tmp_path / "kernel.py"
    planted.write_text("import numpy as np\nclass L:\n    def build(self, s):\n        self.W = np.zeros(s)\n"
                       "    def forward(self, x):\n        return np.maximum(x, 0).astype(np.float32)\n")
    tree = ast.parse(planted.read_text())
    assert [name for _, name in _np_uses(tree, HOST_CREATION) if name not in ALLOWED] == ["maximum"]
