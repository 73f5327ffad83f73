"""When each record was added and last changed, from the git history of its file.

What a record's page ("updated"), the feeds and the data tables show, so it stands beside render/
and export/, in neither (they do not import each other); the pipeline keys its runs by the commit.

One `git log` over data/ per build (no per-record call). Deterministic for a given checkout: the
dates are commit dates, not the clock. Where git cannot tell, the record's own dates stand in:

- no repository (a copy of the files, the tests' temporary repositories), or a file not committed yet:
  the latest `retrieved` date of the record's sources, if any;
- a shallow clone (CI often checks out one commit): a file whose newest commit is a shallow boundary
  has a history that was cut off, so its real date is unknown; it is treated like an uncommitted file
  and `Dates.shallow` says so (the build prints a hint: check out with full history, e.g.
  actions/checkout's `fetch-depth: 0`, for exact dates).
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .model import schema as S


@dataclass
class Dates:
    updated: dict[str, str] = field(default_factory=dict)  # repo-relative path -> RFC 3339 date-time
    added: dict[str, str] = field(default_factory=dict)
    git: bool = False  # the history of a repository was read
    shallow: bool = False  # ... and it was cut off (shallow clone)
    head: str = ""  # the commit checked out ("" without git)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def checkout_key(root: Path) -> str:
    """The commit checked out, so that generation runs again after a commit (dates may change)."""
    # One git call (every no-op check of the pages runs this): the top folder, then the commit.
    top, _, head = (_git(root, "rev-parse", "--show-toplevel", "HEAD") or "").strip().partition("\n")
    if not top or Path(top).resolve() != root.resolve():
        return ""
    return head.strip()


def read(root: Path) -> Dates:
    dates = Dates()
    head = checkout_key(root)
    if not head:  # not the top of a repository: the tests' copies, an exported tarball
        return dates
    dates.git, dates.head = True, head
    boundary: set[str] = set()
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        dates.shallow = True
        shallow_file = (_git(root, "rev-parse", "--git-path", "shallow") or "").strip()
        try:
            boundary = set((root / shallow_file).read_text().split())
        except OSError:
            boundary = set()
    log = _git(root, "log", "--no-renames", "--format=%x01%H %cI", "--name-only", "--", "data")
    for block in (log or "").split("\x01")[1:]:
        head_line, _, names = block.partition("\n")
        commit, _, when = head_line.partition(" ")
        for name in names.split("\n"):
            if not name.startswith("data/"):
                continue
            if commit in boundary:
                # History cut off here: the file may be older than this commit; its date is unknown.
                dates.updated.setdefault(name, "")
                continue
            dates.updated.setdefault(name, when)  # newest first: the first one seen is the last change
            dates.added[name] = when  # ... and the last one seen is when it was added
    dates.updated = {k: v for k, v in dates.updated.items() if v}
    return dates


def own_date(data: dict, documents: dict | None = None) -> str:
    """The record's own latest date of review: the newest `retrieved` of its sources, a cited
    document's own `retrieved` included ("" if none)."""
    best = None
    for source in data.get("sources") or []:
        if isinstance(source, dict) and source.get("document") and documents:
            source = documents.get(source["document"]) or source
        parts = S.parse_date(source.get("retrieved")) if isinstance(source, dict) else None
        if parts and len(parts) == 3 and (best is None or parts > best):
            best = parts
    return "%04d-%02d-%02dT00:00:00Z" % best if best else ""


@dataclass
class RecordDates:
    """(kind, slug) -> RFC 3339 date-time of the last change and of the addition, for the records
    that have one (git's, else the record's own `retrieved` for the last change)."""

    updated: dict[tuple[str, str], str] = field(default_factory=dict)
    added: dict[tuple[str, str], str] = field(default_factory=dict)


def record_dates(site) -> RecordDates:
    """The dates of every record of the site's catalogue, read once per Site (one `git log`)."""
    cached = site.__dict__.get("_record_dates")
    if cached is None:
        dates = read(site.root)
        cached = RecordDates()
        for kind in S.KINDS:
            for slug, rec in site.cat.records[kind].items():
                when = dates.updated.get(rec.path) or own_date(rec.data, site.cat.vocab.get("documents"))
                if when:
                    cached.updated[(kind, slug)] = when
                if dates.added.get(rec.path):
                    cached.added[(kind, slug)] = dates.added[rec.path]
        site.__dict__["_record_dates"] = cached
    return cached
