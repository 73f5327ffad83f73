"""Write generated pages under docs/: atomically, only when the content changed, and remove pages
whose record is gone.

A live preview watches docs/, so a file rewritten with the same bytes would make it rebuild
everything; a half-written file would be served broken. Generated files are recognised by their
"generated from" line, so a hand-written page is never deleted.
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import faults, staging


GENERATED_MARK = "generated from"  # every generated file names its source on its first lines

GENERATED_SUFFIXES = (".md", ".json", ".xml")  # pages, data files, feeds
MARKED_SUFFIXES = (".md", ".xml")  # files that carry the mark; JSON and CSV data files cannot


@dataclass
class Page:
    """One generated file: the renderer makes them, this module writes them."""

    path: str  # relative to docs/, e.g. "ru/projects/startup-connect.md"
    # Text is written as UTF-8; bytes (a spreadsheet) as they are; None: the file under docs/ is
    # already this page (render/dependencies.py found nothing it is made of changed): keep it.
    text: str | bytes | None
    inputs: tuple | None = None  # what the page is made of (render/dependencies.py), if known
    file: tuple | None = None  # (size, mtime_ns, sha256) of a kept page's file
    group: tuple | None = None  # the group of pages this page opens, if any (render/dependencies.py)


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.written)} written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")


def atomic_write(path: Path, data: bytes, made_dirs: set[Path] | None = None) -> None:
    """data at path, atomically: readers see the old file or the new one. made_dirs: folders known
    to exist already (one mkdir per folder, not per page)."""
    temp = _write_temp(path, data, made_dirs if made_dirs is not None else set())
    try:
        os.replace(temp, path)  # atomic on POSIX
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


_MARKED: dict[str, tuple[int, int, bool]] = {}  # path -> (size, mtime_ns, generated?)
RACY_NS = 2_000_000_000  # a file written this recently may change again within the same mtime


def is_generated(path: Path) -> bool:
    """Whether the file carries the "generated from" mark on its first two lines. Remembered per
    size and mtime: the preview asks this of every page under docs/ on every save (validation and
    the fallback pages look for hand-written pages), and opening 1,000 files was 0.1 s of it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    key = os.fspath(path)
    known = _MARKED.get(key)
    if known and known[0] == info.st_size and known[1] == info.st_mtime_ns:
        return known[2]
    try:
        fd = os.open(key, os.O_RDONLY)
        try:
            raw = os.read(fd, _HEAD_BYTES)
        finally:
            os.close(fd)
    except OSError:
        return False
    marked = GENERATED_MARK in "\n".join(_head(raw).splitlines()[:2])
    if info.st_mtime_ns < time.time_ns() - RACY_NS:
        _MARKED[key] = (info.st_size, info.st_mtime_ns, marked)
    return marked


def remember_generated(docs: Path, files: dict) -> None:
    """What the last generation wrote (docs-relative path -> (size, mtime_ns), from its manifest):
    is_generated() is True of such a file while it keeps that size and mtime, without reading it
    (validation and the fallback pages ask it of each of docs/'s 34,000 pages at 10,000 records)."""
    top, limit = os.fspath(docs), time.time_ns() - RACY_NS
    for rel, (size, mtime) in files.items():
        if mtime < limit:  # (a file written just now may be written again within the same mtime)
            _MARKED[os.path.join(top, rel)] = (size, mtime, True)


_HEAD_BYTES = 2048  # enough for 400 characters: UTF-8 takes at most 4 bytes for one


def _head(raw: bytes) -> str:
    """The first 400 characters as open(encoding="utf-8", errors="replace").read(400) gives them
    (universal newlines), from the bytes (os.read: a third of the time of a text file's read)."""
    return raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")[:400]


def hand_written_pages(folder: Path) -> list[str]:
    """The hand-written Markdown pages under folder (docs/<lang>/): paths relative to it, with /, of
    what folder.rglob("*.md") finds (links to folders are not followed) but for those with a part
    that starts with "." and the generated ones; in no particular order. os.walk and plain strings:
    at 10,000 records docs/<lang>/ holds 10,000 generated pages, and pathlib doubled the time."""
    top = os.fspath(folder)
    out = []
    for path, dirs, names in os.walk(top):
        rel = path[len(top) + 1:].replace(os.sep, "/")
        if rel.startswith(".") or "/." in rel:
            dirs[:] = []  # nothing under a hidden folder counts
            continue
        for name in names + dirs:
            if name.endswith(".md") and not name.startswith(".") \
                    and not is_generated(os.path.join(path, name)):
                out.append(f"{rel}/{name}" if rel else name)
    return out


class HandWrittenPage(Exception):
    """A generated page would replace a hand-written one: nothing is written."""

    def __init__(self, message: str, paths: list[str]):
        super().__init__(message)
        self.paths = paths


def write_pages(pages: list[Page], docs: Path, known: set[str] | None = None) -> WriteReport:
    """known: paths (relative to docs/) the previous generation wrote, from its manifest: files such
    as CSV that cannot carry a "generated from" line are recognised as generated by it."""
    known = known or set()
    report, resolve = WriteReport(), _Resolver()
    wanted, changed = _compare(pages, docs, resolve, report)
    # Checked for every page before any is written, so a collision leaves docs/ as it was.
    clashes = [path for target, _, path, exists in changed if exists and not _ours(target, path, known)]
    if clashes:
        raise HandWrittenPage(f"docs/{clashes[0]} is a hand-written page; the generator will not "
                              "overwrite it. Rename the page or the record"
                              + (f" ({len(clashes) - 1} more such pages)" if len(clashes) > 1 else ""),
                              clashes)
    removals = _unwanted(docs, wanted, known, resolve)  # decided before anything changes
    if not changed and not removals:
        _remove_empty_dirs(docs)
        return report
    _replace(docs, changed, removals, report)
    return report


def _ours(path: Path, rel: str, known: set[str]) -> bool:
    """Whether the generator may replace or remove this file. A page with a place for the mark is
    ours only while it carries it: the last generation may have written docs/fi/about.md as a
    fallback that a translator has since replaced."""
    if path.suffix in MARKED_SUFFIXES:
        return is_generated(path)
    return rel in known or is_generated(path)


def _compare(pages: list[Page], docs: Path, resolve, report: WriteReport):
    """(every wanted file, resolved (a string: resolve.text); the pages whose bytes differ from their
    file's, as (target, bytes, path, whether the file exists)). A kept page (text None) is wanted and
    not read. Plain strings for the paths: at 10,000 records pathlib was most of this."""
    wanted, changed = set(), []
    top = os.fspath(docs)
    for page in pages:
        target = os.path.join(top, page.path)
        wanted.add(resolve.text(target))
        if page.text is None:
            report.unchanged += 1
            continue
        info = _stat(target)
        data = page.text if isinstance(page.text, bytes) else page.text.encode("utf-8")
        # An existing file is read only when it could be equal: a regular file of another size is not.
        if info is not None and (info.st_size == len(data) or not stat.S_ISREG(info.st_mode)) \
                and Path(target).read_bytes() == data:
            report.unchanged += 1
        else:
            changed.append((docs / page.path, data, page.path, info is not None))
    return wanted, changed


def _unwanted(docs: Path, wanted: set, known: set[str], resolve) -> list[str]:
    """The generated files no page wants any more (a deleted record's pages), docs-relative."""
    top = os.fspath(docs)
    found = [rel for rel in _entries(top) if _suffix(rel) in GENERATED_SUFFIXES
             and resolve.text(os.path.join(top, rel)) not in wanted]
    removals = [rel for rel in sorted(found, key=_parts) if is_generated(docs / rel)]
    marked = set(removals)
    return removals + [rel for rel in sorted(known) if rel not in marked
                       and resolve.text(os.path.join(top, rel)) not in wanted and (docs / rel).is_file()
                       and _ours(docs / rel, rel, known)]


def _entries(top: str):
    """What Path(top).rglob("*") finds (files and folders; links to folders not followed), as paths
    relative to top with /."""
    for path, dirs, names in os.walk(top):
        rel = path[len(top) + 1:].replace(os.sep, "/")
        for name in names + dirs:
            yield f"{rel}/{name}" if rel else name


def _suffix(rel: str) -> str:
    """Path(rel).suffix."""
    name = rel.rsplit("/", 1)[-1]
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _parts(rel: str) -> list[str]:
    """The order of Path objects (by their parts), for a relative path with /."""
    return rel.split("/")


def _replace(docs: Path, changed: list, removals: list[str], report: WriteReport) -> None:
    """docs/ changes as a whole: every new page is first written beside its target as a temp file;
    then the journal names every rename and removal; then they are done and the journal removed.
    A run killed before the journal exists left only temp files (the next run removes them: the
    old pages stand); one killed after it is finished by the next run (recover()), before that run
    reads docs/. Why not build a new docs/ and swap it in: docs/ holds the hand-written pages too,
    and the preview's MkDocs rebuilds only the pages whose files changed (mtimes), which a copy of
    the whole tree on every save would defeat; renames in place keep both."""
    made_dirs: set[Path] = set()
    renames: list[tuple[Path, Path]] = []
    try:
        for n, (target, data, path, _) in enumerate(changed):
            renames.append((_write_temp(target, data, made_dirs), target))
            report.written.append(path)
            if n == len(changed) // 2:
                faults.point("generate-temp")
    except BaseException:
        for temp, _ in renames:
            temp.unlink(missing_ok=True)
        raise
    journal = {"renames": [[temp.relative_to(docs).as_posix(), target.relative_to(docs).as_posix()]
                           for temp, target in renames],
               "removals": removals}
    atomic_write(docs / JOURNAL, json.dumps(journal, ensure_ascii=False).encode("utf-8"))
    _apply(docs, journal, halfway=lambda: faults.point("generate-rename"))
    report.removed.extend(removals)


JOURNAL = ".generated-journal.json"  # in docs/, while a batch of renames is under way
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # what _write_temp and atomic_write name a temp file


def _write_temp(path: Path, data: bytes, made_dirs: set[Path]) -> Path:
    """data in a new temp file beside path (same folder, so the rename is atomic)."""
    if path.parent not in made_dirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        made_dirs.add(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _apply(docs: Path, journal: dict, halfway=lambda: None) -> None:
    """Do the journal's renames and removals, then remove it. Replaying a journal that was partly
    done is safe: a temp file that is gone was renamed already, a removal is done once."""
    renames = journal.get("renames", [])
    for n, (temp, target) in enumerate(renames):
        try:
            os.replace(docs / temp, docs / target)
        except FileNotFoundError:
            pass
        if n == len(renames) // 2:
            halfway()
    for rel in journal.get("removals", []):
        (docs / rel).unlink(missing_ok=True)
    _remove_empty_dirs(docs)
    (docs / JOURNAL).unlink(missing_ok=True)


def recover(docs: Path, sweep: bool = True) -> list[str]:
    """What an interrupted write_pages left, finished or undone: a journal is replayed, and with
    sweep, every temp file left under docs/ is removed. Under the docs/ lock that every writer
    holds (pipeline.docs_lock; re-entrant), so no live run's temp file is touched: a generation
    running meanwhile is waited for. Returns what it did, for the log."""
    if not docs.is_dir():
        return []
    with staging.locked(docs):
        return _recover(docs, sweep)


def _recover(docs: Path, sweep: bool) -> list[str]:
    done = []
    try:
        journal = json.loads((docs / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        journal = None
    except (OSError, ValueError):
        journal = {}  # unreadable (it is written atomically, so this is a hand-made file): dropped
    if journal is not None:
        _apply(docs, journal if isinstance(journal, dict) else {})
        done.append(f"finished an interrupted generation ({len(journal.get('renames', []))} pages)"
                    if isinstance(journal, dict) and journal.get("renames") else
                    "finished an interrupted generation")
    if sweep and docs.is_dir():
        stale = [os.path.join(folder, name) for folder, _dirs, names in os.walk(docs)
                 for name in names if _TEMP.match(name)]
        for path in stale:
            Path(path).unlink(missing_ok=True)
        if stale:
            _remove_empty_dirs(docs)  # folders made for the temp files of new pages
            done.append(f"removed {len(stale)} temp files of an interrupted generation")
    return done


def _stat(path: Path | str) -> os.stat_result | None:
    """The file's status, or None where Path.exists() says there is nothing."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise


class _Resolver:
    """Path.resolve() for tens of thousands of files in a few folders: each folder is resolved once,
    a file only when it is itself a symbolic link (the same answer, with one lstat per file)."""

    def __init__(self):
        self._folders: dict[str, str] = {}
        self._files: dict[str, str] = {}

    def __call__(self, path: Path) -> Path:
        return Path(self.text(os.fspath(path)))

    def text(self, path: str) -> str:
        """The same for a path as a string (os.path.realpath is what Path.resolve() calls); each
        path once per write (the wanted pages, then the files found under docs/)."""
        known = self._files.get(path)
        if known is None:
            known = self._files[path] = self._resolve(path)
        return known

    def _resolve(self, path: str) -> str:
        if "//" in path or "/." in path or path.endswith("/") or path.startswith("."):
            path = os.fspath(Path(path))  # what Path makes of it ("a//b", "a/./b"; not "..")
        parent, name = os.path.split(path)
        folder = self._folders.get(parent)
        if folder is None:
            folder = self._folders[parent] = os.path.realpath(parent or ".")
        if os.path.islink(path):
            return os.path.realpath(path)
        return os.path.join(folder, name)


def _remove_empty_dirs(docs: Path) -> None:
    """Every empty folder under docs/, deepest first (a walk bottom up: a folder after its own)."""
    top = os.fspath(docs)
    for path, _dirs, _names in os.walk(top, topdown=False):
        if path == top:
            continue
        with os.scandir(path) as entries:
            empty = next(entries, None) is None
        if empty:
            os.rmdir(path)
