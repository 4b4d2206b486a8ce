"""The ``nerve`` command: train, evaluate, predict, summary, plot, lr-find, examples, playground, sweep."""

from __future__ import annotations

import argparse
import os
import sys

from ._common import CLIError

__all__ = ["main", "build_parser", "CLIError"]

#: hints for expected exceptions that carry none of their own
_HINTS = {
    FileNotFoundError: "check the path",
    ImportError: "install the extras: pip install 'nerve[all]'",
    MemoryError: "use a smaller --batch-size or --limit",
}


def build_parser() -> argparse.ArgumentParser:
    from . import model_commands, sweep, tools, train

    parser = argparse.ArgumentParser(prog="nerve", description="Deep learning from scratch on NumPy.")
    parser.add_argument("--version", action="version", version=f"nerve {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    train.add_parser(sub)
    model_commands.add_parsers(sub)
    tools.add_parsers(sub)
    sweep.add_parser(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return __version__


def _fail(message: str, hint: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
    return 2


def main(argv=None) -> int:
    """Run the command line ``argv`` (default: sys.argv[1:]); returns the exit code."""
    from ..data.download import DownloadError
    from ..errors import TrainingDivergedError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except BrokenPipeError:
        # NOTE: `nerve examples | head -1`: the reader left; say nothing, and keep Python's exit-time flush of
        # stdout from failing again (the recipe of the signal module's documentation)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except CLIError as e:
        return _fail(str(e), e.hint)
    except DownloadError:
        name = getattr(args, "dataset", "dataset")
        return _fail(f"the {name} files are not on this machine and could not be downloaded",
                     "put the four IDX .gz files in a folder and pass --data-dir DIR (or set NERVE_DATA); "
                     "--dataset digits works offline")
    except TrainingDivergedError as e:
        return _fail(str(e), "lower --lr, or find one with `nerve lr-find`")
    except KeyboardInterrupt:
        return _fail("interrupted", "")
    except (ValueError, TypeError, OSError, ImportError, MemoryError) as e:
        hint = next((h for cls, h in _HINTS.items() if isinstance(e, cls)), f"see `nerve {args.command} --help`")
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        return _fail(message, hint)


if __name__ == "__main__":
    sys.exit(main())
