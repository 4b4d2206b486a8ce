"""``python -m nerve.book SCRIPT [ARGS]``: run one of the book's scripts with its imports on nerve.book."""

from __future__ import annotations

import sys

from .importer import run_script


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("Set NERVE_BOOK_DATASET=fashion-mnist to use Fashion-MNIST where MNIST cannot be downloaded.")
        return 0 if argv else 2
    run_script(argv[0], argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
