"""Smaller search downloads: the Pagefind files every search fetches first, compressed again.

Pagefind writes its files gzip-compressed (its JS inflates them); a reader's first search on any
page fetches the language's `.pf_meta` (the list of every page, 97 KB at 10,000 records) and its
WebAssembly (72 KB) before anything else. Zopfli writes the same gzip format 5–12 % smaller (it
searches harder for the same deflate stream), so those two files are compressed again with it after
every index. The content is byte for byte the same once inflated; only what is sent shrinks.

Why only those: the index chunks and fragments a query needs are many small files; zopfli costs
about 100 KB/s, which would add minutes at 10,000 records for a few KB per search. The WebAssembly
is the same file in every build of one Pagefind version, so its compressed form is kept in a cache
per user and machine (keyed by its content) and compressed once.

Why zopfli (PyPI `zopfli`, pinned, a wheel with the C library inside) rather than our own code:
deflate search is not something to write by hand; Python's zlib at level 9 gains under 1 %.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

ITERATIONS = 5  # zopfli's default is 15; on these files 5 gives the same size (±0.1 %) in half the time


def targets(bundle: Path) -> list[Path]:
    """The files of a Pagefind bundle that every search downloads first."""
    return sorted([*bundle.glob("pagefind.*.pf_meta"), *bundle.glob("wasm.*.pagefind")])


def recompress_bundle(bundle: Path, cache: Path | None = None) -> tuple[int, int]:
    """Recompress targets(bundle) in place; returns (bytes before, bytes after)."""
    before = after = 0
    for path in targets(bundle):
        data = path.read_bytes()
        smaller = recompressed(data, cache if path.suffix == ".pagefind" else None)
        before += len(data)
        if len(smaller) < len(data):
            _replace(path, smaller)
            data = smaller
        after += len(data)
    return before, after


def recompressed(data: bytes, cache: Path | None = None) -> bytes:
    """The same gzip content, compressed by zopfli (the input unchanged if it is not gzip)."""
    import zopfli.gzip
    key = hashlib.sha256(data).hexdigest()
    cached = cache / f"{key}.gz" if cache else None
    if cached and cached.is_file():
        return cached.read_bytes()
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError):  # not gzip: leave it as Pagefind wrote it
        return data
    out = zopfli.gzip.compress(raw, numiterations=ITERATIONS)
    if gzip.decompress(out) != raw:  # never ship a file the reader's browser would inflate wrongly
        return data
    if cached:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            _replace(cached, out)
        except OSError:  # a read-only home: no cache, same result
            pass
    return out


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "portal" / "zopfli"


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
