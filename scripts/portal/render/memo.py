"""Pages rendered again only when something they read has changed (the live preview, issue 12).

A save in `make serve` changes one record; of today's ~450 pages a few dozen show it, and
rendering the rest again was half of the time from the save to the reloaded page. With the memo
on (site/serve.py turns it on; `portal build` and `portal generate` never use it), each page's
render notes what it read of the catalogue through Site's tracked views, with the value it saw:

- a record, by kind and slug (its data and file), whether a slug exists, or a whole kind;
- an entry of the reverse links (links.py: who links to a record, which records carry a term);
- a reading order (Site.sorted_slugs, of a kind or of given slugs), a record's place in it.

On the next generation of the same process, a page whose arguments are equal to last time's and
whose every read gives the same value again is not rendered: last time's text is used. Everything
else a page can depend on is not tracked but in the context key: templates, interface strings,
vocabularies, the code, hand-written pages, the commit checked out, today's date. If any of those
changed, every page is rendered. tests/pipeline/test_render_memo.py checks the result against a
full render after edits of every sort.

Why not a library: build-system memoisation (Salsa-like "verify by recomputation") is a few dozen
lines on our own data model; the libraries for it (e.g. a general build system) would need every
producer rewritten as tasks.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any

_STATE: dict[str, Any] = {"on": False, "context": None, "pages": {}, "site": None, "current": {},
                          "reads": None, "rendered": 0, "reused": 0}


def enable(on: bool = True) -> None:
    """Turn the memo on for this process (the preview) or off (and forget every page)."""
    _STATE.update(on=on, context=None, pages={}, site=None, current={})


def enabled() -> bool:
    return _STATE["on"]


@contextmanager
def suspended():
    """Render without the memo for a while (keeping what it holds): tests compare with it."""
    was, _STATE["on"] = _STATE["on"], False
    try:
        yield
    finally:
        _STATE["on"] = was


def begin(site, context: str) -> None:
    """A new generation on `site`: its context key (context_key()) decides whether last time's pages
    can be used at all."""
    if context != _STATE["context"]:
        _STATE.update(context=context, pages={})
    _STATE.update(site=site, current={}, rendered=0, reused=0)


def counts() -> tuple[int, int]:
    """(pages rendered, pages reused) in this generation."""
    return _STATE["rendered"], _STATE["reused"]


def context_key(stats: dict[str, tuple[int, int]], record_folders: set[str], checkout: str) -> str:
    """A digest of every input but the records: stats is pipeline.input_stats() ({path: (size,
    mtime_ns)}); a record file is data/<folder>/<name> with folder in record_folders."""
    digest = hashlib.sha256(f"{checkout}\0{date.today().isoformat()}\0".encode())
    for rel, (size, mtime) in sorted(stats.items()):
        parts = rel.split("/")
        if not (len(parts) == 3 and parts[0] == "data" and parts[1] in record_folders):
            digest.update(f"{rel}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


# --- reads ----------------------------------------------------------------------------------------

def note(dep: tuple, value: Any) -> None:
    """A read of the page being rendered (no-op outside a tracked render)."""
    reads = _STATE["reads"]
    if reads is not None and dep not in reads:
        reads[dep] = value


def tracking() -> bool:
    return _STATE["reads"] is not None


def _now(dep: tuple) -> Any:
    """The value a read gives on this generation's site (computed once per generation)."""
    current = _STATE["current"]
    if dep not in current:
        site = _STATE["site"]
        reads, _STATE["reads"] = _STATE["reads"], None  # computing it is not a read of a page
        try:
            current[dep] = site.read_again(dep)
        finally:
            _STATE["reads"] = reads
    return current[dep]


# --- pages ----------------------------------------------------------------------------------------

def render(path: str, arguments: tuple, meta, produce: Callable[[], Any]):
    """produce()'s page, or last generation's one for `path` when nothing it read has changed."""
    if not _STATE["on"] or _STATE["site"] is None:
        return produce()
    captured = _captured(meta)
    old = _STATE["pages"].get(path)
    if old is not None and same(old[0], arguments) and same(old[1], captured) \
            and all(value == _now(dep) for dep, value in old[2].items()):  # (plain data: ==)
        _STATE["reused"] += 1
        return old[3]
    outer, _STATE["reads"] = _STATE["reads"], {}
    try:
        page = produce()
        reads = _STATE["reads"]
    finally:
        _STATE["reads"] = outer
    _STATE["pages"][path] = (arguments, captured, reads, page)
    _STATE["rendered"] += 1
    return page


def _captured(meta) -> tuple:
    """What a meta function closes over (its code, defaults and cells): part of the page's input."""
    if not callable(meta) or not hasattr(meta, "__code__"):
        return (meta,)
    cells = tuple(cell.cell_contents for cell in meta.__closure__ or ())
    return (meta.__code__, meta.__defaults__, cells)


class Tracked:
    """Base of Site's tracked views: their reads are noted, so as an argument only the type counts."""


def same(a: Any, b: Any) -> bool:
    """Equality of page inputs: tracked views by type, partial functions by what they call."""
    if isinstance(a, Tracked) or isinstance(b, Tracked):
        return type(a) is type(b)
    if a is b:
        return True
    if isinstance(a, partial):
        return isinstance(b, partial) and a.func is b.func and same(a.args, b.args) and same(a.keywords, b.keywords)
    if isinstance(a, (list, tuple, dict)):
        try:
            if a == b:  # compared in C; only a container holding a view or a partial goes on below
                return True
        except Exception:
            pass
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return type(a) is type(b) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    try:
        return bool(a == b)
    except Exception:  # an object that cannot be compared: render again
        return False


# --- the tracked views Site gives the templates while the memo is on ------------------------------

def freeze(value: Any) -> Any:
    """A copy of a reverse-links entry that later changes to the links cannot reach."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value


def record_value(rec) -> Any:
    return None if rec is None else (rec.path, rec.data)


# What a read of an entry notes, per area: a record by its file and data; a reverse-links entry frozen.
_VALUE = {"rec": record_value, "links": freeze}


def observe(entries: dict, dep: tuple) -> Any:
    """The value of a read (area, part, what[, key]) of one mapping: an entry, a membership, a walk."""
    area, _part, what, *key = dep
    if what == "entry":
        return _VALUE[area](entries.get(key[0]))
    if what == "has":
        return key[0] in entries
    return tuple((k, _VALUE[area](v)) for k, v in entries.items())  # "all"


class CatalogueView(Tracked):
    """The validated Catalogue, with its records read through TrackedMap."""

    def __init__(self, cat):
        self._cat = cat
        self.records = RecordsView(cat.records)

    def __getattr__(self, name):  # vocabularies, former slugs, …: in the context key
        return getattr(self._cat, name)


class RecordsView(Tracked):
    """kind -> its records' TrackedMap (the kinds themselves are fixed by the schema: not a read)."""

    def __init__(self, records: dict):
        self._kinds = {kind: TrackedMap("rec", kind, recs) for kind, recs in records.items()}

    def __getitem__(self, kind):
        return self._kinds[kind]

    def get(self, kind, default=None):
        return self._kinds.get(kind, default)

    def __contains__(self, kind):
        return kind in self._kinds

    def __iter__(self):
        return iter(self._kinds)

    def __len__(self):
        return len(self._kinds)

    def keys(self):
        return self._kinds.keys()

    def values(self):
        return self._kinds.values()

    def items(self):
        return self._kinds.items()


class LinksView(Tracked):
    """links.Links with each of its maps read through TrackedMap."""

    def __init__(self, links):
        self._links, self._maps = links, {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        view = self._maps.get(name)
        if view is None:
            view = self._maps[name] = TrackedMap("links", name, getattr(self._links, name))
        return view


class TrackedMap(Tracked):
    """One mapping of the catalogue (a kind's records: area "rec", part = the kind) or of the reverse
    links (area "links", part = the map's name), read as a dict is: a look-up is a read of that entry,
    `in` of the membership, a walk of everything."""

    def __init__(self, area: str, part: str, entries: dict):
        self._area, self._part, self._entries = area, part, entries

    def _note(self, what: str, *key) -> None:
        reads = _STATE["reads"]
        dep = (self._area, self._part, what, *key)
        if reads is not None and dep not in reads:  # (before the access: a defaultdict adds a key)
            reads[dep] = observe(self._entries, dep)

    def __getitem__(self, key):
        self._note("entry", key)
        return self._entries[key]

    def get(self, key, default=None):
        self._note("entry", key)
        return self._entries.get(key, default)

    def __contains__(self, key):
        self._note("has", key)
        return key in self._entries

    def __iter__(self):
        self._note("all")
        return iter(self._entries)

    def __len__(self):
        self._note("all")
        return len(self._entries)

    def keys(self):
        self._note("all")
        return self._entries.keys()

    def values(self):
        self._note("all")
        return self._entries.values()

    def items(self):
        self._note("all")
        return self._entries.items()


def read_again(site, cat, links, dep: tuple) -> Any:
    """The value of a noted read on a new generation's catalogue and links (unwrapped)."""
    if dep[0] == "rec":
        return observe(cat.records.get(dep[1], {}), dep)
    if dep[0] == "links":
        return observe(getattr(links, dep[1]), dep)
    if dep[0] == "place":
        return site._reading_order(dep[1]).get(dep[2])
    if dep[0] == "order":
        return tuple(site.sorted_slugs(dep[1], None if dep[2] is None else list(dep[2])))
    raise ValueError(f"unknown read {dep!r}")
