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

Checking a page's key means making its arguments, which for 34,678 pages at 10,000 records was most
of a generation. So a record's pages are one group (group(), Site.page_group): what making their
arguments read through the tracked views (the record, its reverse links, their reading order) is
noted as the group's dependencies, with `pre`, the plain data it used besides (the record's date);
when those and each page's own inputs and file are as they were, the pages are kept without making
the arguments at all. A file made without a template (a data file: Site.file_page) has a key made
by its producer (the digest of its rows) and no dependencies. The state numbers the dependencies as
the last one did, so a kept page's entry is carried over as it was read.

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
    "groups": {},  # first page's path -> (check, deps, paths) of the last generation (group())
    "raw": ([], {}, {}),  # the last state as read: its dependency list, page and group entries
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
    _STATE["known"], _STATE["groups"], _STATE["raw"] = _decode(known)
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


def group(owner: str, pre: tuple, make: Callable[[], list]) -> list:
    """The pages make() returns (a record's page and its list's later pages: one group, named by the
    first page's path), or the same pages kept, without calling make(), when nothing make() uses has
    changed: `pre` (plain data: whatever make() uses that the catalogue's views do not note, such
    as the record's date), what make() read through them outside the pages' own renders (the
    record, its reverse links, their reading order), and each page's own inputs and file, as
    render() checks them. Then the pages' arguments are the same, hence their keys: what render()
    would keep is kept without making the arguments (at 10,000 records most of a generation)."""
    if not _STATE["on"] or _STATE["site"] is None:
        return make()
    key = digest(("group", pre))
    old = _STATE["groups"].get(owner)
    if old is not None and old[0] == _group_check(key, old[1]):
        kept = [_kept_as_before(path) for path in old[2]]
        if all(kept):
            kept[0].group = old
            return kept
    outer, _STATE["reads"] = _STATE["reads"], {}
    try:
        pages = make()
        deps = tuple(_STATE["reads"])
    finally:
        _STATE["reads"] = outer
    if pages and pages[0].path == owner and all(page.inputs is not None for page in pages):
        pages[0].group = (_group_check(key, deps), deps, tuple(page.path for page in pages))
    return pages


def _group_check(key: str, deps: tuple) -> str:
    """One digest of a group's `pre` (its key) and of its reads' values now."""
    return hashlib.sha256(f"{key}{_combined(deps)}".encode()).hexdigest()


def _kept_as_before(path: str):
    """The page at path kept, if its dependencies and its file are as the last generation left them."""
    old = _STATE["known"].get(path)
    if old is None or _combined(old[1]) != old[2] or not _file_is(path, old):
        return None
    page = _kept(path)
    page.inputs, page.file = old[:3], old[3:]
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
    their files as they are now. Pages without inputs (rendered every time) are left out.

    The dependencies are numbered as the last state numbered them, new ones after: a kept page's
    entry is then the last state's, as it was read (at 10,000 records numbering 600,000 reads
    again was a second of every generation). Numbers no page uses any more are dropped, all of
    them renumbered, once they are a quarter of the list."""
    number = _Numbering(_STATE["raw"][0])
    entries, groups = {}, {}
    top = os.fspath(docs)
    old_pages, old_groups = _STATE["raw"][1], _STATE["raw"][2]
    for page in pages:
        inputs = getattr(page, "inputs", None)
        if inputs is None:
            continue
        if page.text is None and page.path in old_pages:  # kept: as it was (render(), group())
            entries[page.path] = old_pages[page.path]
        elif (entry := _entry(page, top, number)) is not None:
            entries[page.path] = entry
        else:
            continue
        if page.group is not None:  # the group that page opens (group())
            kept = page.path in old_groups and page.group == _STATE["groups"].get(page.path)
            groups[page.path] = old_groups[page.path] if kept else _group_entry(page.group, number)
    out = {"context": _STATE["context"], "deps": number.deps, "pages": entries, "groups": groups}
    used: set[int] = set()
    for entry in (*entries.values(), *groups.values()):
        used.update(entry[1])
    return out if len(used) >= 0.75 * len(number.deps) else _renumbered(out)


def _entry(page, top: str, number) -> list | None:
    """A rendered page's entry: key, dependency numbers, their digest, and its file as written."""
    key, deps, combined = page.inputs
    file = page.file
    if file is None or page.text is not None:
        data = page.text if isinstance(page.text, bytes) else page.text.encode("utf-8")
        try:
            st = os.stat(os.path.join(top, page.path))
        except OSError:
            return None
        file = (st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return [key, number(deps), combined, *file]


def _group_entry(group: tuple, number) -> list:
    """[check, dependency numbers] and the paths of the group's later pages, if it has any."""
    check, deps, paths = group
    return [check, number(deps), list(paths[1:])] if len(paths) > 1 else [check, number(deps)]


def _renumbered(out: dict) -> dict:
    """The state with only the dependencies its entries use, numbered in the order they are met."""
    deps = [_tuple(d) for d in out["deps"]]
    number = _Numbering([])
    pages = {path: [e[0], number(tuple(deps[i] for i in e[1])), *e[2:]] for path, e in out["pages"].items()}
    groups = {path: [e[0], number(tuple(deps[i] for i in e[1])), *e[2:]] for path, e in out["groups"].items()}
    return {**out, "deps": number.deps, "pages": pages, "groups": groups}


class _Numbering:
    """Each dependency's number in state()'s list: those of the last state first (`deps`, as read),
    new ones after in the order they are met. A page's dependencies are mostly the objects
    _decode() made, shared by every page that has them: they are known by their id after the first
    look-up (hashing a tuple is not cached). The objects live as long as the pages, so an id is not
    reused meanwhile."""

    def __init__(self, deps: list):
        self.deps = list(deps)
        self.index: dict[tuple, int] = {}
        for n, dep in enumerate(deps):
            self.index.setdefault(_tuple(dep), n)
        self._ids: dict[int, int] = {}

    def __call__(self, deps: tuple) -> list[int]:
        out = []
        for dep in deps:
            n = self._ids.get(id(dep))
            if n is None:
                n = self.index.get(dep)
                if n is None:
                    n = self.index[dep] = len(self.deps)
                    self.deps.append(dep)  # (a tuple: JSON writes it as the list it is read back as)
                self._ids[id(dep)] = n
            out.append(n)
        return out


def written_files(known) -> dict[str, tuple[int, int]]:
    """docs-relative path -> (size, mtime_ns) of each file in a state() (as the manifest keeps it)."""
    pages = known.get("pages") if isinstance(known, dict) else None
    out = {}
    for path, entry in pages.items() if isinstance(pages, dict) else ():
        if isinstance(entry, list) and len(entry) == 6 and type(entry[3]) is int and type(entry[4]) is int:
            out[path] = (entry[3], entry[4])
    return out


def for_parent(pages: list) -> list:
    """The pages a forked worker hands back (render/pages/parallel.py): a kept page as its path
    alone, since the parent knows the rest from the same state (from_worker() puts it back)."""
    for page in pages:
        if page.text is None and page.inputs is not None:
            page.inputs = page.file = None
    return pages


def from_worker(pages: list) -> list:
    """for_parent()'s kept pages with what they were made of and their files, as render() gave them."""
    known = _STATE["known"]
    for page in pages:
        if page.text is None and page.inputs is None and page.path in known:
            old = known[page.path]
            page.inputs, page.file = old[:3], old[3:]
    return pages


def _decode(known: dict) -> tuple[dict, dict, tuple]:
    """(path -> page entry, first page's path -> group entry, the state as read: its dependency
    list, page and group entries, for state()) of a state(); a damaged entry is left out."""
    raw_deps = known.get("deps") if isinstance(known.get("deps"), list) else []
    deps = [_tuple(d) for d in raw_deps]
    out, raw_pages = {}, {}
    for path, entry in (known.get("pages") or {}).items():
        try:
            key, ids, combined, size, mtime, sha = entry
            out[path] = (key, tuple([deps[i] for i in ids]), combined, size, mtime, sha)
            raw_pages[path] = entry
        except (ValueError, TypeError, IndexError):
            continue  # a damaged entry: that page is rendered
    groups, raw_groups = {}, {}
    for owner, entry in (known.get("groups") or {}).items():
        try:
            check, ids, *later = entry
            groups[owner] = (check, tuple([deps[i] for i in ids]), (owner, *(later[0] if later else ())))
            raw_groups[owner] = entry
        except (ValueError, TypeError, IndexError):
            continue  # a damaged entry: the group is made again
    return out, groups, (raw_deps, raw_pages, raw_groups)


def _tuple(value):
    """A dependency as read back from JSON (lists) as it was noted (tuples)."""
    if type(value) is not list:
        return value
    return tuple([_tuple(v) if type(v) is list else v for v in value])


# --- reads ----------------------------------------------------------------------------------------

def note(dep: tuple) -> None:
    """A read of the page being rendered (no-op outside a tracked render)."""
    reads = _STATE["reads"]
    if reads is not None:
        reads[dep] = None


def tracking() -> bool:
    return _STATE["reads"] is not None


def _combined(deps: tuple) -> str:
    """One digest of the values of these dependencies on this generation's site (of the digests
    one after the other: the same as one update each, in one call)."""
    digests = _STATE["digests"]
    return hashlib.sha256("".join([digests.get(dep) or _now(dep) for dep in deps]).encode()).hexdigest()


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
    keyed = _BY_TYPE.get(type(value))
    if keyed is None:  # which of the rules below a value takes depends on its type alone
        keyed = _BY_TYPE[type(value)] = _rule(type(value))
    return keyed(value)


def _rule(kind: type) -> Callable[[Any], Any]:
    """How _keyed() turns a value of this type into plain data: the first rule that applies."""
    from ..model.validate import Record
    if issubclass(kind, _ATOMS):
        return _atom
    if kind in _CONTAINERS:
        return _keyed_container
    if kind is Record:  # model.validate.Record: its file and data, not where each value stands
        return _keyed_record
    if is_dataclass(kind) and not issubclass(kind, type):
        return _keyed_dataclass
    for kinds, keyed in _OTHERS:
        if issubclass(kind, kinds):
            return keyed
    return partial(_unkeyable, kind)


_BY_TYPE: dict[type, Callable[[Any], Any]] = {}  # type -> its rule (one look-up per value: 34,678 pages)


def _atom(value):
    return value


def _keyed_record(value) -> tuple:
    return ("record", value.kind, value.slug, record_digest(value))


def _unkeyable(kind: type, value) -> Any:
    raise Unkeyable(kind.__qualname__)


def _keyed_container(value) -> Any:
    if type(value) is dict:
        known = _STATE.get("record_digests", {}).get(id(value))
        if known is not None:  # a record's data: its digest, taken once per generation
            return ("record data", known)
    if len(value) <= 16 or type(value) is not dict and is_dataclass(value[0]):
        if type(value) is not dict and _plain(value):  # a listing's rows: (slug, role), …
            return ("repr", repr(value))
        return _walked(value)  # a page's arguments, a list of sections: each item by its cheapest means
    # Fast path for long plain data (a listing's rows): the repr is exact, and made in C. Anything
    # with a default repr (a view, a function: "<… at 0x…>") or a "<" in the text is walked.
    text = repr(value)
    return ("repr", text) if "<" not in text else _walked(value)


_PLAIN = (str, int, float, bool, type(None))


def _plain(items) -> bool:
    """Only atoms of those exact types, in lists and tuples of them: data whose repr is exact."""
    for item in items:
        kind = type(item)
        if kind not in _PLAIN and not ((kind is tuple or kind is list) and _plain(item)):
            return False
    return True


def _walked(value) -> Any:
    if type(value) is dict:
        return ("dict", tuple([(_keyed(k), _keyed(v)) for k, v in value.items()]))
    return (type(value).__name__, tuple([_keyed(v) for v in value]))


def _keyed_dataclass(value) -> Any:
    """The render's dataclasses (a listing's sections) are shared by many pages: keyed once per
    generation (the entry holds the object, so its id is not reused meanwhile)."""
    cached = _STATE["keyed"].get(id(value))
    if cached is not None:
        return cached[1]
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    key = ("dataclass", digest((type(value).__qualname__, tuple([_keyed(getattr(value, n)) for n in names]))))
    _STATE["keyed"][id(value)] = (value, key)
    return key


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass -> its fields' names


def _keyed_function(value) -> Any:
    # The code itself is in the context key (scripts/portal); what it closes over is not.
    cells = tuple(_keyed(c.cell_contents) for c in getattr(value, "__closure__", None) or ())
    return ("function", value.__module__, value.__qualname__, cells, _keyed(getattr(value, "__defaults__", None)))




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
