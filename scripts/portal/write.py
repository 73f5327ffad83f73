"""Write generated pages under docs/: atomically, only when the content changed, and remove pages
whose record is gone.

A live preview watches docs/, so a file rewritten with the same bytes would make it rebuild
everything; a half-written file would be served broken. Generated files are recognised by their
"generated from" line, so a hand-written page is never deleted.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


GENERATED_MARK = "generated from"  # every generated file names its source on its first lines

GENERATED_SUFFIXES = (".md", ".json")  # pages, and data files such as the search alias tables


@dataclass
class Page:
    """One generated file: the renderer makes them, this module writes them."""

    path: str  # relative to docs/, e.g. "ru/projects/startup-connect.md"
    text: str


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.written)} written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # atomic on POSIX: readers see the old file or the new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_generated(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(400)
    except OSError:
        return False
    return GENERATED_MARK in "\n".join(head.splitlines()[:2])


class HandWrittenPage(Exception):
    """A generated page would replace a hand-written one: nothing is written."""

    def __init__(self, message: str, paths: list[str]):
        super().__init__(message)
        self.paths = paths


def write_pages(pages: list[Page], docs: Path) -> WriteReport:
    report = WriteReport()
    wanted = set()
    changed: list[tuple[Path, bytes, str]] = []
    for page in pages:
        target = docs / page.path
        wanted.add(target.resolve())
        data = page.text.encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            report.unchanged += 1
        else:
            changed.append((target, data, page.path))
    # Checked for every page before any is written, so a collision leaves docs/ as it was.
    clashes = [path for target, _, path in changed if target.exists() and not is_generated(target)]
    if clashes:
        raise HandWrittenPage(f"docs/{clashes[0]} is a hand-written page; the generator will not "
                              "overwrite it. Rename the page or the record"
                              + (f" ({len(clashes) - 1} more such pages)" if len(clashes) > 1 else ""),
                              clashes)
    for target, data, path in changed:
        atomic_write(target, data)
        report.written.append(path)
    for path in sorted(p for p in docs.rglob("*") if p.suffix in GENERATED_SUFFIXES):
        if path.resolve() not in wanted and is_generated(path):
            path.unlink()
            report.removed.append(path.relative_to(docs).as_posix())
    _remove_empty_dirs(docs)
    return report


def _remove_empty_dirs(docs: Path) -> None:
    for folder in sorted((p for p in docs.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
