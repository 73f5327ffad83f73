"""Load record files: safe YAML, with the line and column of every value.

Nothing here trusts the input. A file that is too large, binary, empty, not YAML, several documents,
uses anchors/aliases or repeats a key gets a Problem, never an exception: one problem per file, and
the checks that need its content are skipped (one typo must not produce twenty messages).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

MAX_BYTES = 256 * 1024  # a record is a page of text; anything larger is a mistake or an attack


@dataclass
class Loaded:
    """One parsed file: plain Python data plus where each value and key stands."""

    path: str  # repository-relative, forward slashes
    data: Any = None
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # value path -> (line, col)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # key path -> (line, col)
    problem: Problem | None = None  # set when the file could not be read at all

    def where(self, path: tuple) -> tuple[int, int]:
        """Position of the value at path, or of its nearest parent that exists."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def key_where(self, path: tuple) -> tuple[int, int]:
        return self.key_positions.get(path) or self.where(path)


def _fail(rel: str, line: int, col: int, message: str) -> Loaded:
    return Loaded(path=rel, problem=Problem(rel, line, col, "", message))


def load_file(path: Path, root: Path) -> Loaded:
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _fail(rel, 1, 1, f"cannot read the file ({exc.strerror}); check its permissions")
    if len(raw) > MAX_BYTES:
        return _fail(rel, 1, 1, f"file is {len(raw)} bytes; a record may be at most {MAX_BYTES} bytes "
                                "(split it, or move long text out)")
    if b"\x00" in raw:
        return _fail(rel, 1, 1, "this is a binary file, not YAML text; save it as UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _fail(rel, line, col, "the file is not valid UTF-8; save it with UTF-8 encoding")
    return parse_text(text, rel)


def parse_text(text: str, rel: str) -> Loaded:
    text = text.removeprefix("\ufeff")
    # Anchors and aliases are refused before anything is built, so an alias bomb never expands.
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                mark = event.start_mark
                return _fail(rel, mark.line + 1, mark.column + 1,
                             "YAML anchors and aliases (&name, *name) are not allowed in records; "
                             "write the value out in full")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        return _fail(rel, line, col, f"YAML syntax error: {what}; check indentation, colons and quotes")
    except yaml.YAMLError as exc:  # errors without a position (rare: reader errors)
        return _fail(rel, 1, 1, f"YAML error: {exc}")
    if node is None:
        return _fail(rel, 1, 1, "the file is empty; a record is a mapping of fields "
                                "(run `make new` for a commented template)")
    loaded = Loaded(path=rel)
    try:
        loaded.data = _build(node, (), loaded)
    except _DuplicateKey as dup:
        return _fail(rel, dup.line, dup.col,
                     f"duplicate key '{dup.key}' in this mapping (first at line {dup.first_line}); "
                     "keep one of them")
    return loaded


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, col: int, first_line: int):
        self.key, self.line, self.col, self.first_line = key, line, col, first_line


_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_constructor = yaml.constructor.SafeConstructor()


def _build(node: yaml.Node, path: tuple, loaded: Loaded) -> Any:
    loaded.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            # Keys are taken as written: `no:` or `on:` stay strings, not YAML 1.1 booleans.
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in first_seen:
                raise _DuplicateKey(key, line, col, first_seen[key])
            first_seen[key] = line
            loaded.key_positions[path + (key,)] = (line, col)
            out[key] = _build(value_node, path + (key,), loaded)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), loaded) for i, item in enumerate(node.value)]
    # Scalars: numbers and null are typed; everything else (dates, yes/no, text) stays the string
    # the editor wrote, so `2019-05` or a country id `no` mean what they say.
    if node.tag in (_INT, _FLOAT, _NULL):
        return _constructor.construct_object(node)
    return node.value


@dataclass
class LoadedTree:
    """Every file under data/, by folder."""

    files: list[Loaded]


def load_tree(root: Path) -> LoadedTree:
    data = root / "data"
    paths = sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))
    return LoadedTree([load_file(p, root) for p in paths])
