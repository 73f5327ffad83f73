"""What each record file parsed to, kept between runs: a build after a one-record edit parses one
file, not 10,000 (load.py's parse was 5 s of every build at 10,000 records).

Keyed by the SHA-256 of the file's bytes, so an entry stands for exactly the bytes it was made from,
whatever the file is called now (an edit, a rename, a file restored elsewhere). Only files that
parsed without a problem are kept: a file with a problem is parsed every time, and its message is
the one the parser gives today. Positions are not kept: a file taken from the cache is parsed again
from the same bytes the first time a position is asked for (a problem or a warning to report; see
load.Loaded), which is rare and exact.

The cache (CACHE at the top of the repository, git-ignored) is a folder of 16 files, by the
first hex digit of the digest, so that an edit rewrites one or two of them, not 66 MB. Each is one
header line (the format's version, a digest of the parser's code and of the YAML library, the
SHA-256 of the rest), then one line per file: its digest and its data as JSON (exact for the plain
data the loader makes: str keys, str, int, None, lists, mappings). A file that does not read back
whole, of another version or of other code is ignored and written again, never trusted. Written
atomically, only when it changed, with the entries of the files loaded this time (a deleted file's
entry goes with it).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CACHE = ".portal-parse-cache"
VERSION = 2

# path -> ((inode, size, mtime_ns, ctime_ns), entries): a second load in one process (validation,
# then the terminology warnings) reads the files it wrote without decoding them again.
_READ: dict[str, tuple[tuple, dict[str, str]]] = {}


@lru_cache(maxsize=1)
def code_key() -> str:
    """What the parse depends on beside the bytes: load.py itself, PyYAML and its C parser, Python."""
    digest = hashlib.sha256((Path(__file__).parent / "load.py").read_bytes())
    digest.update(f"\0{yaml.__version__}\0{getattr(yaml, '__with_libyaml__', False)}\0"
                  f"{sys.version_info[:2]}".encode())
    return digest.hexdigest()


class ParseCache:
    """One run's view of the cache: look-ups, the entries used, and save() at the end."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._shards = [_read(folder / shard) if folder is not None else {} for shard in SHARDS]
        self._used: list[dict[str, str]] = [{} for _ in SHARDS]
        self._added: set[int] = set()

    def get(self, digest: str) -> Any:
        """The data parsed from the bytes with this digest, or None."""
        shard = int(digest[0], 16)
        text = self._shards[shard].get(digest)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if data is None:
            return None
        self._used[shard][digest] = text
        return data

    def put(self, digest: str, data: Any) -> None:
        """What a file with this digest parsed to, without a problem."""
        shard = int(digest[0], 16)
        if digest not in self._used[shard]:
            self._used[shard][digest] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            self._added.add(shard)

    def save(self) -> None:
        """Write each shard whose entries used this run differ from its file's; a failure to write (a
        read-only checkout) only means the next run parses again."""
        if self.folder is None:
            return
        for shard, name in enumerate(SHARDS):
            used = self._used[shard]
            if shard in self._added or used.keys() != self._shards[shard].keys():
                _write(self.folder / name, used)


SHARDS = tuple("0123456789abcdef")
CHECKS = "checks"  # in the folder: CheckCache's file


class CheckCache:
    """The record files their kind's schema check found clean, by the digest of their bytes and
    their kind, each under the digest of what else the check read: the context (vocabularies, the
    slugs of every kind, unreadable files, former slugs), the language codes and the model's code
    (context_key()). A file whose entry names this context is not checked again; any other change
    (a term, a record added, removed or renamed, the code) checks every file. Only clean results are
    kept: a file with a problem is checked every time. The file is the shards' format, written when
    it changed, with the entries of this run."""

    def __init__(self, folder: Path, context: str):
        self.path, self.context = folder / CHECKS, context
        self._entries = _read(self.path)
        self._used: dict[str, str] = {}

    def clean(self, digest: str | None, kind: str) -> bool:
        """Whether a file of these bytes and kind was found clean in this context (and is again)."""
        if digest is None or self._entries.get(f"{digest}-{kind}") != self.context:
            return False
        self._used[f"{digest}-{kind}"] = self.context
        return True

    def found_clean(self, digest: str | None, kind: str) -> None:
        if digest is not None:
            self._used[f"{digest}-{kind}"] = self.context

    def save(self) -> None:
        if self._used != self._entries:
            _write(self.path, self._used)


@lru_cache(maxsize=1)
def model_key() -> str:
    """The code of a schema check: model/ and languages.py (the registry's codes are in the context)."""
    folder = Path(__file__).parent
    digest = hashlib.sha256(code_key().encode())
    for path in sorted(folder.glob("*.py")) + [folder.parent / "languages.py"]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def context_key(ctx, langs: tuple) -> str:
    """A digest of what a record's schema check reads beside its data: the check's code, the
    vocabularies, every kind's slugs (and those of unreadable files), the unreadable vocabularies,
    the former slugs and the language codes (reprs of plain data from YAML: exact)."""
    slugs = {kind: sorted(found) for kind, found in sorted(ctx.slugs.items())}
    text = repr((model_key(), langs, ctx.vocab, slugs, sorted(ctx.unreadable), ctx.former))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _write(path: Path, entries: dict[str, str]) -> None:
    body = "".join(f"{digest} {entries[digest]}\n" for digest in sorted(entries)).encode("utf-8")
    header = json.dumps({"version": VERSION, "code": code_key(),
                         "check": hashlib.sha256(body).hexdigest()}).encode()
    from ..write import atomic_write  # (model/ already uses write.py: validate.page_collisions)
    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, header + b"\n" + body)
        info = os.stat(path)
    except OSError:
        return
    _READ[os.fspath(path)] = (_stat_key(info), dict(entries))


def _stat_key(info: os.stat_result) -> tuple:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _read(path: Path) -> dict[str, str]:
    """digest -> the JSON text of its data; {} for a missing, damaged or foreign file."""
    key = os.fspath(path)
    try:
        known = _READ.get(key)
        if known and known[0] == _stat_key(os.stat(key)):
            return known[1]
        with open(key, "rb") as fh:
            info = os.fstat(fh.fileno())  # of the file read, whatever replaces it meanwhile
            raw = fh.read()
        header, _, body = raw.partition(b"\n")
        meta = json.loads(header)
        if not (isinstance(meta, dict) and meta.get("version") == VERSION and meta.get("code") == code_key()
                and meta.get("check") == hashlib.sha256(body).hexdigest()):
            return {}
        entries = dict(line.split(" ", 1) for line in body.decode("utf-8").split("\n") if line)
    except (OSError, ValueError):
        return {}
    _READ[key] = (_stat_key(info), entries)
    return entries
