"""Checked downloads: a list of mirrors, SHA-256 verification, a ``.part`` file renamed only when verified."""

from __future__ import annotations

import hashlib
import http.client
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from tqdm.auto import tqdm

__all__ = ["DownloadError", "sha256_file", "cache_dir", "download"]

_CHUNK = 1 << 20


class DownloadError(RuntimeError):
    """No mirror delivered a file that passed its checksum."""


def sha256_file(path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def cache_dir() -> Path:
    """Where nerve keeps downloaded data: ``$XDG_CACHE_HOME/nerve`` or ``~/.cache/nerve``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nerve"


def _fetch(url: str, part: Path, timeout: float, progress: bool | None) -> None:
    """Stream ``url`` into ``part``; raise if the body is shorter than announced."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"only http(s) URLs are downloaded, got {url!r}")
    req = urllib.request.Request(url, headers={"User-Agent": "nerve"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        got = 0
        with open(part, "wb") as out, tqdm(
            total=total, unit="B", unit_scale=True, desc=part.name[: -len(".part")], leave=False,
            disable=None if progress is None else not progress,
        ) as bar:
            while chunk := resp.read(_CHUNK):
                out.write(chunk)
                got += len(chunk)
                bar.update(len(chunk))
    if total is not None and got != total:
        raise OSError(f"incomplete download: got {got} of {total} bytes")


def download(
    urls: Iterable[str],
    dest,
    *,
    sha256: str | Iterable[str] | None = None,
    check: Callable[[Path], bool] | None = None,
    timeout: float = 30.0,
    progress: bool | None = None,
) -> Path:
    """Download to ``dest`` from the first of ``urls`` whose file passes the checksum; return ``dest``.

    ``sha256`` is the expected hex digest (or several accepted ones); ``check(path) -> bool`` may replace it.
    Data goes to ``dest + ".part"`` and is renamed to ``dest`` only once complete and verified, so an
    interrupted or bad download never leaves a file that looks valid. Each failing mirror is reported in the
    final :class:`DownloadError` when all fail. ``progress=None`` shows a tqdm bar only on a terminal.
    """
    if sha256 is None and check is None:
        raise ValueError("download: refusing to download without a checksum; pass `sha256` or `check`")
    if sha256 is not None:
        accepted = {sha256.lower()} if isinstance(sha256, str) else {s.lower() for s in sha256}

        def check(p: Path) -> bool:  # noqa: F811 - the digest check replaces the missing callable
            return sha256_file(p) in accepted

    dest = Path(os.fspath(dest))
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    failures = []
    for url in urls:
        try:
            _fetch(url, part, timeout, progress)
            if not check(part):
                raise ValueError("checksum mismatch (SHA-256 differs from the expected value)")
        except (OSError, ValueError, http.client.HTTPException, urllib.error.URLError) as e:
            failures.append(f"  {url}: {e}")
            part.unlink(missing_ok=True)
            continue
        except BaseException:  # Ctrl-C and friends: leave nothing half-written behind
            part.unlink(missing_ok=True)
            raise
        os.replace(part, dest)
        return dest
    tried = "\n".join(failures) or "  (no mirrors given)"
    raise DownloadError(f"could not download {dest.name}; every mirror failed:\n{tried}")
