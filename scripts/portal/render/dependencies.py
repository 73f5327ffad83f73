"""The dependency model: what each generated page is made of, so that a change renders only the pages
it reaches (issue 12 for the preview, issue 21 for every build).

While a page renders, everything it reads of the catalogue goes through Site's tracked views and is
noted as a dependency:

- a record, by kind and slug (its file and data), whether a slug exists, or a whole kind;
- an entry of the reverse links (links.py: who links to a record, which records carry a term), or a
  whole map of them;
- a reading order (Site.sorted_slugs, of a kind or of given slugs), a record's place in it.

The page's own arguments (its template, language, the values handed to the template, what its meta
function closes over) make its key. Everything a page can depend on beyond those is in the context
key instead: templates, interface strings, vocabularies, the code, hand-written pages, the site's
address. If the context changed, every page is rendered.

What a build keeps (in the generation manifest, docs/.generated-manifest.json, which CI restores
with the generated pages): per page, its key, its dependencies and a digest of their values, and the
size, mtime and SHA-256 of the file written. The next generation (the preview's next save, the next
`portal build`, a pull request's build on main's state) renders a page again only when its key, a
dependency's value, or its file changed; otherwise the file under docs/ stands and is not even read.
Values are compared by digest (SHA-256 of their repr: plain data from YAML, so the repr is exact), each
computed once per generation. tests/pipeline/test_dependencies.py checks the result against a full
generation after edits of every sort, in one process and across processes.

Why not a library: build-system memoisation ("verify by recomputation", as Salsa or Shake do) is a
few dozen lines on our own data model; the libraries for it would need every producer rewritten as
tasks.
"""
from __future__ import annotations

import hashlib
import os
import types
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from functools import partial
from typing import Any

_STATE: dict[str, Any] = {
    "on": True,  # the model in use (generate(full=True) renders every page instead)
    "site": None, "context": None,
    "known": {},  # path -> (key, deps, combined, size, mtime_ns, sha256) of the last generation
    "docs": None,  # the docs/ folder whose files the known entries describe
    "digests": {},  # dep -> digest of its value on this generation's site
    "keyed": {},  # id(dataclass argument) -> (it, its key), this generation
    "reads": None,  # the dependencies the page being rendered has read so far (dict: ordered set)
}


class Unkeyable(Exception):
    """A page argument without a stable digest: the page is rendered every time."""


def enabled() -> bool:
    return _STATE["on"]


def begin(site, context: str, known: dict | None, docs) -> None:
    """A new generation on `site`. `known`: the pages of the last generation, as state() returned
    them; they count only if their context key is this one."""
    _STATE.update(site=site, context=context, docs=os.fspath(docs), digests={}, keyed={})
    known = known if isinstance(known, dict) and known.get("context") == context else {}
    _STATE["known"] = _decode(known)
    _STATE["record_digests"] = _record_digests(site)


def end() -> None:
    """The generation is over: the catalogue it read is let go (the known pages stay for state())."""
    _STATE.update(site=None, digests={}, record_digests={}, keyed={})


# --- pages ----------------------------------------------------------------------------------------

def render(path: str, arguments: tuple, meta, produce: Callable[[], Any]):
    """produce()'s page, or a page with text None ("keep the file") when nothing it is made of has
    changed since the file under docs/ was written. The page carries what it is made of (inputs)."""
    if not _STATE["on"] or _STATE["site"] is None:
        return produce()
    try:
        key = digest(_keyed((arguments, _captured(meta))))
    except Unkeyable:
        return produce()
    old = _STATE["known"].get(path)
    if old is not None and old[0] == key and _combined(old[1]) == old[2] and _file_is(path, old):
        page = _kept(path)
        page.inputs = old[:3]
        page.file = old[3:]
        return page
    outer, _STATE["reads"] = _STATE["reads"], {}
    try:
        page = produce()
        deps = tuple(_STATE["reads"])
    finally:
        _STATE["reads"] = outer
    page.inputs = (key, deps, _combined(deps))
    return page


def _kept(path: str):
    from ..write import Page
    return Page(path, None)


def _file_is(path: str, old: tuple) -> bool:
    """Whether docs/<path> is still the file that generation wrote (size and mtime; else its SHA-256:
    a cache restored elsewhere, a checkout, may give the same bytes other mtimes)."""
    size, mtime, sha = old[3:6]
    full = os.path.join(_STATE["docs"], path)
    try:
        st = os.stat(full)
    except OSError:
        return False
    if st.st_size != size:
        return False
    if st.st_mtime_ns == mtime:
        return True
    try:
        with open(full, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest() == sha
    except OSError:
        return False


def state(pages, docs) -> dict:
    """What the next generation needs to know of these pages (written or kept): their inputs and
    their files as they are now. Pages without inputs (rendered every time) are left out."""
    deps_index: dict[tuple, int] = {}
    entries = {}
    top = os.fspath(docs)
    for page in pages:
        inputs = getattr(page, "inputs", None)
        if inputs is None:
            continue
        key, deps, combined = inputs
        file = getattr(page, "file", None)
        if file is None or page.text is not None:
            data = page.text if isinstance(page.text, bytes) else page.text.encode("utf-8")
            try:
                st = os.stat(os.path.join(top, page.path))
            except OSError:
                continue
            file = (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
        ids = [deps_index.setdefault(dep, len(deps_index)) for dep in deps]
        entries[page.path] = [key, ids, combined, *file]
    return {"context": _STATE["context"], "deps": [list(_jsonable(d)) for d in deps_index], "pages": entries}


def _decode(known: dict) -> dict:
    deps = [_tuple(d) for d in known.get("deps") or []]
    out = {}
    for path, entry in (known.get("pages") or {}).items():
        try:
            key, ids, combined, size, mtime, sha = entry
            out[path] = (key, tuple(deps[i] for i in ids), combined, size, mtime, sha)
        except (ValueError, TypeError, IndexError):
            continue  # a damaged entry: that page is rendered
    return out


def _jsonable(value):
    return [_jsonable(v) for v in value] if isinstance(value, tuple) else value


def _tuple(value):
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value


# --- reads ----------------------------------------------------------------------------------------

def note(dep: tuple) -> None:
    """A read of the page being rendered (no-op outside a tracked render)."""
    reads = _STATE["reads"]
    if reads is not None:
        reads[dep] = None


def tracking() -> bool:
    return _STATE["reads"] is not None


def _combined(deps: tuple) -> str:
    """One digest of the values of these dependencies on this generation's site."""
    h = hashlib.sha256()
    for dep in deps:
        h.update(_now(dep).encode())
    return h.hexdigest()


def _now(dep: tuple) -> str:
    """The digest of a dependency's value on this generation's site (computed once per generation)."""
    digests = _STATE["digests"]
    value = digests.get(dep)
    if value is None:
        reads, _STATE["reads"] = _STATE["reads"], None  # computing it is not a read of a page
        try:
            value = digests[dep] = _STATE["site"].dependency_digest(dep)
        finally:
            _STATE["reads"] = reads
    return value


def digest(value: Any) -> str:
    """SHA-256 of a value's repr: exact for the plain data YAML gives (str, int, list, dict, None)."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _record_digests(site) -> dict[int, str]:
    """id(record data) -> digest of (file, data), for every record: a page's arguments and reads name
    records by these instead of walking their data again."""
    out = {}
    for recs in site.records_unwatched().values():
        for rec in recs.values():
            out[id(rec.data)] = digest((rec.path, rec.data))
    return out


def record_digest(rec) -> str:
    if rec is None:
        return "none"
    known = _STATE.get("record_digests", {}).get(id(rec.data))
    return known if known is not None else digest((rec.path, rec.data))


_ATOMS = (str, int, float, bool, type(None))
_CONTAINERS = (list, tuple, dict)


def _keyed(value: Any) -> Any:
    """A plain-data stand-in for a page argument, whose repr is its digest's input."""
    if isinstance(value, _ATOMS):
        return value
    if type(value) in _CONTAINERS:
        return _keyed_container(value)
    if _is_record(value):  # model.validate.Record: its file and data, not where each value stands
        return ("record", value.kind, value.slug, record_digest(value))
    if is_dataclass(value) and not isinstance(value, type):
        return _keyed_dataclass(value)
    for kinds, keyed in _OTHERS:
        if isinstance(value, kinds):
            return keyed(value)
    raise Unkeyable(type(value).__qualname__)


def _keyed_container(value) -> Any:
    if type(value) is dict:
        known = _STATE.get("record_digests", {}).get(id(value))
        if known is not None:  # a record's data: its digest, taken once per generation
            return ("record data", known)
    if len(value) <= 16 or type(value) is not dict and is_dataclass(value[0]):
        return _walked(value)  # a page's arguments, a list of sections: each item by its cheapest means
    # Fast path for long plain data (a listing's rows): the repr is exact, and made in C. Anything
    # with a default repr (a view, a function: "<… at 0x…>") or a "<" in the text is walked.
    text = repr(value)
    return ("repr", text) if "<" not in text else _walked(value)


def _walked(value) -> Any:
    if type(value) is dict:
        return ("dict", tuple((_keyed(k), _keyed(v)) for k, v in value.items()))
    return (type(value).__name__, tuple(_keyed(v) for v in value))


def _keyed_dataclass(value) -> Any:
    """The render's dataclasses (a listing's sections) are shared by many pages: keyed once per
    generation (the entry holds the object, so its id is not reused meanwhile)."""
    cached = _STATE["keyed"].get(id(value))
    if cached is not None:
        return cached[1]
    key = ("dataclass", digest((type(value).__qualname__,
                                tuple(_keyed(getattr(value, f.name)) for f in fields(value)))))
    _STATE["keyed"][id(value)] = (value, key)
    return key


def _keyed_function(value) -> Any:
    # The code itself is in the context key (scripts/portal); what it closes over is not.
    cells = tuple(_keyed(c.cell_contents) for c in getattr(value, "__closure__", None) or ())
    return ("function", value.__module__, value.__qualname__, cells, _keyed(getattr(value, "__defaults__", None)))




def _is_record(value) -> bool:
    from ..model.validate import Record
    return type(value) is Record


def _captured(meta) -> tuple:
    """What a meta function closes over (its code, defaults and cells): part of the page's key."""
    if not callable(meta) or not hasattr(meta, "__code__"):
        return (meta,)
    cells = tuple(cell.cell_contents for cell in meta.__closure__ or ())
    return (meta.__code__, meta.__defaults__, cells)


# --- the tracked views Site gives the templates ---------------------------------------------------

class Tracked:
    """Base of Site's tracked views: their reads are noted, so as an argument only the type counts."""


# _keyed()'s other kinds of page argument, in the order they are tried.
_OTHERS = (
    (Tracked, lambda v: ("view", type(v).__qualname__)),  # its reads are noted one by one
    (partial, lambda v: ("partial", _keyed(v.func), _keyed(v.args), _keyed(v.keywords))),
    ((types.FunctionType, types.BuiltinFunctionType), _keyed_function),
    (types.CodeType, lambda v: ("code", v.co_filename.rsplit("/", 1)[-1], v.co_qualname)),
    ((list, tuple, dict), _walked),  # subclasses (a defaultdict)
    ((set, frozenset), lambda v: ("set", tuple(sorted(repr(_keyed(x)) for x in v)))),
    (date, lambda v: ("date", v.isoformat())),
)


def freeze(value: Any) -> Any:
    """A reverse-links entry as plain data (defaultdicts as dicts) for its digest."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value


def observe(entries: dict, dep: tuple) -> str:
    """The digest of a read (area, part, what[, key]) of one mapping: an entry, a membership, a walk."""
    area, _part, what, *key = dep
    if area == "rec":
        if what == "has":
            return "1" if key[0] in entries else "0"
        if what == "entry":
            return record_digest(entries.get(key[0]))
        return digest(tuple((k, record_digest(v)) for k, v in entries.items()))  # "all"
    # The reverse links are defaultdicts: a look-up with [] adds an empty entry, so a missing entry
    # and an empty one are the same value (else a page's digest would depend on what read it first).
    if what == "has":
        return "1" if entries.get(key[0]) else "0"
    if what == "entry":
        return digest(freeze(entries.get(key[0]) or None))
    return digest(tuple((k, freeze(v)) for k, v in entries.items() if v))


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
        if reads is not None:
            reads[(self._area, self._part, what, *key)] = None

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


def read_digest(site, cat, links, dep: tuple) -> str:
    """The digest of a noted read on this generation's catalogue and links (unwrapped)."""
    if dep[0] == "rec":
        return observe(cat.records.get(dep[1], {}), dep)
    if dep[0] == "links":
        return observe(getattr(links, dep[1]), dep)
    if dep[0] == "place":
        return digest(site._reading_order(dep[1]).get(dep[2]))
    if dep[0] == "order":
        try:
            return digest(tuple(site.sorted_slugs(dep[1], None if dep[2] is None else list(dep[2]))))
        except KeyError:  # a record of that list is gone: the page that read it is rendered again
            return "gone"
    raise ValueError(f"unknown read {dep!r}")
