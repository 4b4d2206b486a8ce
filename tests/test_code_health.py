"""House rules that stay habits because a test checks them."""

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
