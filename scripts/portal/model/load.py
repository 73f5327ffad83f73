"""Load record files: safe YAML, with the line and column of every value, in bounded time.

Nothing here trusts the input. A file that is not a regular file, too large, binary, empty, not
YAML, several documents, uses anchors/aliases or explicit tags, nests too deep, has too many values,
a value too long, a key that is not a plain name, a repeated key or an invisible control character
gets a Problem, never an exception: one problem per file, and the checks that need its content are
skipped (one typo must not produce twenty messages).

Parsing is one pass over libyaml's events (the C parser when PyYAML has it): the limits are checked
as the events arrive, so a megabyte of `[` stops at the 21st bracket instead of recursing, and the
data is built from the same events, with no second parse and no YAML type magic: a plain scalar is
a string exactly as written, except `null`/`~`/empty (None) and a plain decimal integer that reads
back the same (`2019`, not `010`, `0x1F`, `1_000` or 5,000 digits), which becomes an int.

load_tree(root, cache) takes a file whose very bytes parsed cleanly before from the parse cache
(parse_cache.py) instead of parsing it; its positions are parsed from those bytes when first asked
for (Loaded.cached), so a problem or a warning points where it always did.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, field_path
from .parse_cache import ParseCache

# Limits. The largest real record is 18 KB with 853 values nested 6 levels deep and a longest value
# of 1,583 characters; each limit leaves an order of magnitude of room and keeps the worst case
# (any file up to 1 MB) well under a second.
MAX_BYTES = 256 * 1024  # a record is a page of text; anything larger is a mistake or an attack
MAX_DEPTH = 20  # lists and mappings inside each other
MAX_NODES = 20_000  # values (scalars, lists, mappings) in one file
MAX_SCALAR = 20_000  # characters in one value or key; texts are limited further by the schema
MAX_INT_DIGITS = 18  # longer digit strings stay text (no int() on 5,000 digits)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 20x faster, same positions

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:0|-?[1-9][0-9]{0,%d})$" % (MAX_INT_DIGITS - 1))
# Characters no record needs and that would show up invisibly or break lines in pages and JSON:
# C0 controls other than tab and line breaks, DEL and C1 controls (NEL too), line/paragraph
# separators, a byte-order mark inside the text, bidirectional overrides and isolates (they can
# make text read differently from what is stored), unpaired surrogates and the non-characters
# U+FFFE/U+FFFF. They are refused, not silently removed, so the file says what the page shows.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff"
                             "\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
# Those of them libyaml cannot carry into a value (it stops without a line, or takes them for line
# breaks) are looked for in the whole text first; the others are found in each value, with its field.
_UNPARSABLE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
                               "\ud800-\udfff\ufffe\uffff]")
_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class Loaded:
    """One parsed file: plain Python data plus where each value and key stands."""

    path: str  # repository-relative, forward slashes
    data: Any = None
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # value path -> (line, col)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # key path -> (line, col)
    problem: Problem | None = None  # set when the file could not be read at all
    digest: str | None = field(default=None, compare=False, repr=False)  # SHA-256 of its bytes, if taken

    def __getattr__(self, name: str):
        # A file taken from the parse cache (parse_cache.py) has no positions yet: they are found by
        # parsing its bytes again the first time one is asked for (a problem or a warning to report).
        raw = self.__dict__.get("_raw")
        if raw is None or name not in ("positions", "key_positions"):
            raise AttributeError(name)
        again = parse_text(raw.decode("utf-8"), self.path)
        self.positions, self.key_positions = again.positions, again.key_positions
        self.__dict__.pop("_raw", None)
        return self.__dict__[name]

    @classmethod
    def cached(cls, path: str, data: Any, raw: bytes, digest: str) -> "Loaded":
        """A file whose bytes parsed cleanly before, with the data they gave; positions when asked."""
        loaded = cls.__new__(cls)
        loaded.__dict__.update(path=path, data=data, problem=None, digest=digest, _raw=raw)
        return loaded

    def where(self, path: tuple) -> tuple[int, int]:
        """Position of the value at path, or of its nearest parent that exists."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def key_where(self, path: tuple) -> tuple[int, int]:
        return self.key_positions.get(path) or self.where(path)


def _fail(rel: str, line: int, col: int, message: str) -> Loaded:
    return Loaded(path=rel, problem=Problem(rel, line, col, "", message))


def load_file(path: Path, root: Path, cache: ParseCache | None = None) -> Loaded:
    """The file parsed, or its one problem; cache: what files of the same bytes parsed to before."""
    return _load(os.fspath(path), display_path(path.relative_to(root)), cache)


def _load(path: str, rel: str, cache: ParseCache | None) -> Loaded:
    raw = _read(path, rel)
    if isinstance(raw, Loaded):
        return raw
    if b"\x00" in raw:
        return _fail(rel, 1, 1, "this is a binary file, not YAML text; save it as UTF-8 text")
    digest = hashlib.sha256(raw).hexdigest() if cache is not None else None
    data = cache.get(digest) if digest else None
    if data is not None:  # these bytes parsed cleanly before: they are UTF-8 (decoded when needed)
        return Loaded.cached(rel, data, raw, digest)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode("utf-8", "replace")) + 1
        return _fail(rel, line, col, "the file is not valid UTF-8; save it with UTF-8 encoding")
    loaded = parse_text(text, rel)
    if digest and loaded.problem is None:
        cache.put(digest, loaded.data)
        loaded.digest = digest
    return loaded


def _read(path: str, rel: str) -> bytes | Loaded:
    """The file's bytes, or the Loaded that says why they cannot be read."""
    try:
        # O_NOFOLLOW: a link swapped in after the folder was listed is still refused; O_NONBLOCK: a
        # named pipe does not hang the run (it is refused below as not a regular file).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if os.path.islink(path):
            return _fail(rel, 1, 1, SYMLINK_MESSAGE)
        return _fail(rel, 1, 1, f"cannot read the file ({exc.strerror}); check its permissions")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return _fail(rel, 1, 1, NOT_REGULAR_MESSAGE)
        if info.st_size > MAX_BYTES:  # refused from its size alone: a huge file is never read
            return _too_big(rel, info.st_size)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return _fail(rel, 1, 1, f"cannot read the file ({exc.strerror}); check its permissions")
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:  # it grew while being read
        return _too_big(rel, len(raw))
    return raw


def _too_big(rel: str, size: int) -> Loaded:
    return _fail(rel, 1, 1, f"file is {size} bytes; a record may be at most {MAX_BYTES} bytes "
                            "(split it, or move long text out)")


SYMLINK_MESSAGE = ("this is a symbolic link; records must be real files inside data/ (a link could "
                   "publish a file from outside the repository): replace the link with the file itself")
NOT_REGULAR_MESSAGE = "this is not a regular file (a pipe, socket or device); remove it from data/"


def display_path(rel: Path | str) -> str:
    """Forward slashes; a file name that is not valid UTF-8 is shown with \\x escapes, not a crash."""
    return _shown(Path(rel).as_posix())


def _shown(text: str) -> str:
    """display_path() of a path already with forward slashes and nothing for Path to tidy."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


# ---------------------------------------------------------------------------------------------
# Parsing: one pass over the events
# ---------------------------------------------------------------------------------------------

class _Refused(Exception):
    def __init__(self, line: int, col: int, message: str, path: tuple = ()):
        super().__init__(message)
        self.line, self.col, self.message, self.path = line, col, message, path


def _at(mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _refuse(mark, message: str, path: tuple = ()) -> _Refused:
    return _Refused(*_at(mark), message, path)


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index, counting line breaks as YAML does."""
    before = text[:index]
    return len(_BREAK.findall(before)) + 1, index - max(before.rfind("\n"), before.rfind("\r"))


def parse_text(text: str, rel: str) -> Loaded:
    text = text.removeprefix("\ufeff")
    bad = _UNPARSABLE_CHARS.search(text)
    if bad:
        return _fail(rel, *_position(text, bad.start()), _char_message(bad.group()))
    loaded = Loaded(path=rel)
    try:
        loaded.data = _compose(yaml.parse(text, Loader=_Loader), loaded, text)
    except _Refused as refused:
        return Loaded(path=rel, problem=Problem(rel, refused.line, refused.col, field_path(refused.path),
                                                refused.message))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _at(mark) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, _problem_text(exc.problem, text, line, col)) if x)
        hint = "check indentation, colons and quotes"
        if mark and _char_at(text, line, col) == "\t":
            hint = "a tab stands here: indent with spaces only"
        elif "escape" in (exc.problem or ""):
            hint = ("inside double quotes a backslash starts an escape: write \\\\ for a backslash, "
                    "or use single quotes")
        return _fail(rel, line, col, f"YAML syntax error: {what}; {hint}")
    except (yaml.YAMLError, UnicodeError, ValueError) as exc:  # reader errors carry no line
        return _fail(rel, 1, 1, f"YAML error: {' '.join(str(exc).split())}; save the file as plain "
                                "UTF-8 text")
    if loaded.data is None:
        return _fail(rel, 1, 1, "the file is empty; a record is a mapping of fields "
                                "(run `make new` for a commented template)")
    return loaded


def _problem_text(problem: str | None, text: str, line: int, col: int) -> str:
    """libyaml's "did not find expected ','" said as the guide shows it: "expected ',', but got ':'"."""
    match = re.match(r"did not find expected (.+)$", problem or "")
    if not match:
        return problem or ""
    found = _char_at(text, line, col)
    return f"expected {match.group(1)}, but got {found!r}" if found else \
        f"expected {match.group(1)}, but the file ends"


def _char_message(char: str) -> str:
    return f"{describe_char(char)} here; delete it (retype the text around it if you cannot see it)"


def describe_char(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        name = "an unpaired surrogate"
    else:
        name = unicodedata.name(char, "") or {0x85: "NEXT LINE"}.get(code, "a control character")
    kind = "invisible formatting character" if unicodedata.category(char) == "Cf" else \
        "invisible control character"
    return f"{kind} U+{code:04X} ({name})"


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n", line)
    if len(lines) < line:
        return ""
    row = lines[line - 1]
    return row[col - 1] if 0 < col <= len(row) else ""


def resolve_plain(value: str) -> Any:
    """A plain (unquoted) scalar: None, an int that reads back exactly as written, or the text."""
    if _NULL.match(value):
        return None
    if _INT.match(value):
        return int(value)
    return value


_TAG_PREFIX = "tag:yaml.org,2002:"
_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Frame:
    __slots__ = ("container", "path", "is_map", "key", "first_seen", "index")

    def __init__(self, container, path: tuple, is_map: bool):
        self.container, self.path, self.is_map = container, path, is_map
        self.key: Any = _Frame  # _Frame itself means "the next node is a key"
        self.first_seen: dict[str, int] = {}
        self.index = 0


def _compose(events, loaded: Loaded, text: str) -> Any:
    """Build plain data from parser events, checking every limit as the events arrive."""
    composer = _Composer(loaded, text)
    handlers = composer.handlers
    for event in events:
        handler = handlers.get(type(event))
        if handler is not None:  # stream and document ends need nothing
            handler(event)
    return composer.root


class _Composer:
    """One handler per kind of event: a document's start, a scalar, a list or mapping's start, an
    alias, a list or mapping's end. Each node's checks run in one order whatever its kind: anchors
    and aliases, the number of values, tags, then what only scalars or only collections can break."""

    def __init__(self, loaded: Loaded, text: str):
        self.loaded, self.text = loaded, text
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = self.nodes = 0
        self.handlers = {
            yaml.DocumentStartEvent: self.document_start,
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.collection_start,
            yaml.SequenceStartEvent: self.collection_start,
            yaml.AliasEvent: self.alias,
            yaml.MappingEndEvent: self.collection_end,
            yaml.SequenceEndEvent: self.collection_end,
        }

    def document_start(self, event) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _refuse(event.start_mark, "a second YAML document starts here (`---`); a record "
                                            "file holds one: remove it, or move it to a file of its own")
        if event.version or event.tags:
            line = next((i for i, row in enumerate(self.text.splitlines(), 1) if row.startswith("%")), 1)
            raise _Refused(line, 1, "YAML directives (%YAML, %TAG) are not used in record files; "
                                    "delete this line")

    def collection_end(self, event) -> None:
        self.stack.pop()

    def alias(self, event) -> None:
        self._node(event)  # refuses it

    def scalar(self, event) -> None:
        frame, is_key, path = self._node(event)
        if len(event.value) > MAX_SCALAR:
            raise _refuse(event.start_mark, f"a value of {len(event.value)} characters; at most "
                                            f"{MAX_SCALAR} are read (texts are limited further): "
                                            "shorten it", path)
        bad = FORBIDDEN_CHARS.search(event.value)
        if bad:
            raise _char_refused(event, bad.group(), self.text, path)
        if is_key:
            frame.key = _key(event, frame, self.loaded)
            return
        self.loaded.positions[path] = _at(event.start_mark)
        self._attach(frame, resolve_plain(event.value) if event.style in (None, "") else event.value)

    def collection_start(self, event) -> None:
        frame, is_key, path = self._node(event)
        if is_key:
            _key(event, frame, self.loaded)  # refuses it: a key is a name, not a list or mapping
        self.loaded.positions[path] = _at(event.start_mark)
        if len(self.stack) + 1 > MAX_DEPTH:
            raise _refuse(event.start_mark, f"lists and mappings nested more than {MAX_DEPTH} levels "
                                            "deep; a record needs a few: check the brackets and "
                                            "indentation", path)
        is_map = type(event) is yaml.MappingStartEvent
        value: Any = {} if is_map else []
        self._attach(frame, value)
        self.stack.append(_Frame(value, path, is_map))

    def _node(self, event) -> tuple[_Frame | None, bool, tuple]:
        """The frame the node stands in, whether it is a mapping's key, and its path (the field it is
        the value of; for a key, the mapping it is in), once the checks every node passes are done."""
        frame = self.stack[-1] if self.stack else None
        is_key = frame is not None and frame.is_map and frame.key is _Frame
        if frame is None:
            path: tuple = ()
        elif is_key:
            path = frame.path
        else:
            path = frame.path + ((frame.key,) if frame.is_map else (frame.index,))
        if type(event) is yaml.AliasEvent or event.anchor is not None:
            raise _refuse(event.start_mark, "YAML anchors and aliases (&name, *name) are not allowed in "
                                            "records; write the value out in full", path)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _refuse(event.start_mark, f"more than {MAX_NODES} values in one file; a record is much "
                                            "smaller: split it, or remove repeated entries", path)
        if event.tag is not None:
            raise _refuse(event.start_mark, _tag_message(event.tag), path)
        return frame, is_key, path

    def _attach(self, frame: _Frame | None, value: Any) -> None:
        """Put a value where it stands: the root, a mapping's value for its key, a list's next item."""
        if frame is None:
            self.root = value
        elif frame.is_map:
            frame.container[frame.key] = value
            frame.key = _Frame
        else:
            frame.container.append(value)
            frame.index += 1


def _char_refused(event, char: str, text: str, path: tuple) -> _Refused:
    """Point at the character itself when it is typed in the file, else at the value."""
    index = text.find(char, event.start_mark.index, event.end_mark.index)
    if index >= 0:
        return _Refused(*_position(text, index), _char_message(char), path)
    return _refuse(event.start_mark, f"this value contains the {describe_char(char)}, written as an "
                                     "escape; remove it", path)


def _key(event, frame: _Frame, loaded: Loaded) -> str:
    """A mapping key: a plain name, written once."""
    if type(event) is not yaml.ScalarEvent:
        raise _refuse(event.start_mark, "a key must be a field name, not a list or mapping "
                                        "(`? [..]` or `{..}: ...`); write `name: value`", frame.path)
    key = resolve_plain(event.value) if event.style in (None, "") else event.value
    if key is None:
        raise _refuse(event.start_mark, "a key is missing (empty or null before the colon); write "
                                        "`name: value`", frame.path)
    if not isinstance(key, str):
        raise _refuse(event.start_mark, f"the key {key} is a number; keys are field names or language "
                                        "codes such as `title` or `en` (quote it if it must be a number)",
                      frame.path)
    line, col = _at(event.start_mark)
    if key in frame.first_seen:
        raise _Refused(line, col, f"duplicate key '{key}' in this mapping (first at line "
                                  f"{frame.first_seen[key]}); keep one of them", frame.path)
    frame.first_seen[key] = line
    loaded.key_positions[frame.path + (key,)] = (line, col)
    return key


def _tag_message(tag: str) -> str:
    shown = "!!" + tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else tag
    if len(shown) > 60:
        shown = shown[:57] + "…"
    return (f"explicit YAML tag '{shown}' is not allowed in records; remove it and write the value "
            "plainly (in quotes if it is text)")


# ---------------------------------------------------------------------------------------------
# The tree: every file under data/ is loaded or reported
# ---------------------------------------------------------------------------------------------

RECORD_SUFFIXES = (".yml", ".yaml")
DOCUMENTATION = ("README.md",)  # data/README.md describes the records; it is not one


@dataclass
class LoadedTree:
    """Every file under data/, parsed or with the reason it was refused."""

    files: list[Loaded]
    cache: Path | None = None  # the parse cache's folder it was loaded with (validation's too)


def load_tree(root: Path, cache: Path | None = None) -> LoadedTree:
    """cache: the parse cache's folder (parse_cache.py), read before and brought up to date after."""
    files: list[Loaded] = []
    parsed = ParseCache(cache) if cache is not None else None
    for path, rel, problem in _walk_data(root):
        files.append(_fail(rel, 1, 1, problem) if problem else _load(path, rel, parsed))
    if parsed is not None:
        parsed.save()
    return LoadedTree(files, cache)


def walk_data(root: Path) -> list[tuple[Path, str | None]]:
    """(path, None) for each record file to load; (path, reason) for everything else found under
    data/, so nothing is silently ignored. Links are never followed."""
    return [(Path(path), problem) for path, _rel, problem in _walk_data(root)]


def _walk_data(root: Path) -> list[tuple[str, str, str | None]]:
    """walk_data() as (path, path shown: repository-relative, problem), in plain strings (pathlib
    was most of a load from the parse cache: 10,000 files)."""
    data = os.fspath(root / "data")
    pending = [data]
    found: list[tuple[str, str, str | None]] = []
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if folder != data or os.path.exists(data):
                found.append((folder, _shown("data" + folder[len(data):]),
                              f"cannot read this folder ({exc.strerror}); check its permissions"))
            continue
        for entry in entries:
            path, rel = entry.path, entry.path[len(data) + 1:]  # (rel: to data/)
            if entry.is_symlink():
                found.append((path, _shown(f"data/{rel}"), SYMLINK_MESSAGE))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif not entry.is_file(follow_symlinks=False):
                found.append((path, _shown(f"data/{rel}"), NOT_REGULAR_MESSAGE))
            elif rel not in DOCUMENTATION:
                found.append((path, _shown(f"data/{rel}"), _file_problem(entry.name)))
    return sorted(found, key=lambda item: item[0])


def _file_problem(name: str) -> str | None:
    """Why a file under data/ (its name) is not read as a record, or None when it is one."""
    if name != display_path(name):
        return "the file name is not valid UTF-8; rename it to <slug>.yml"
    if name.startswith("."):
        return ("a hidden file is not read; records are data/<folder>/<slug>.yml: delete it "
                "(editor swap and backup files too)")
    suffix = Path(name).suffix
    if suffix in RECORD_SUFFIXES:
        return None
    if suffix.lower() in RECORD_SUFFIXES:
        return f"the extension '{suffix}' must be lowercase: rename the file to '{Path(name).stem}.yml'"
    return ("not a record file: only data/<folder>/<slug>.yml files are read (and data/README.md); "
            "move it out of data/ or delete it")

