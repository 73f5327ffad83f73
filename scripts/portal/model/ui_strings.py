"""Check the interface strings (scripts/locales/<code>.yml) as records are checked, before generation.

The source language's file (en.yml) must hold every string the pages read, in the shape they read
it; the other languages' files may leave a string out (the page shows the source language's and
`make status` lists it, as for record texts), but what they do write must fit: a key the source
file has, the same shape (text, list of the same length, plural forms of that language), and no
`{placeholder}` the source text does not give.

Which strings the pages read is found in the code itself, so this list cannot fall behind it: every
`ui["a.b"]` (or `ui(...)`) of the templates (scripts/templates/, through Jinja's parser) and of the
Python modules (scripts/portal/, through `ast`), and every key a module names with `ui_key("...")`
for a template to look up later. A key built from a variable (`"catalogue." ~ folder ~ ".title"`,
f"facets.{vocab}") is a family whose values FAMILIES lists from the schema and the exports; a
family found in the code without an entry there is a problem of the code, named on the command
line (and tests/pipeline/test_ui_strings.py renders the whole site checking that every string read
was required here).
"""
from __future__ import annotations

import ast
import hashlib
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from . import registry
from . import schema as S
from .errors import Problem, field_path
from .load import Loaded

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# Strings read as a whole section: the keys the code reads inside them.
SECTIONS = {"notice.fallback": ("title", "text")}


def _kind_fields() -> list[str]:
    return sorted({name for kind in S.KINDS.values() for name in kind.schema.fields})


def _table_columns() -> list[str]:
    from ..export import tables
    return sorted({c.name for columns in tables.COLUMNS.values() for c in columns})


def _dimensions() -> list[str]:
    from ..export import stats
    return [d.key for d in stats.DIMENSIONS]


def _not_given() -> list[str]:
    """The statistics whose records may not give a value: a note under the chart (export/stats.py)."""
    from ..export import stats
    return [d.key for d in stats.DIMENSIONS if d.single]


def _map_ids() -> list[str]:
    from ..export import map as map_page
    return [map_page.DETAIL, map_page.OVERVIEW]


def _facets() -> list[str]:
    """The vocabularies with a page per term, and those the catalogues filter by."""
    from ..render.search_fields import CATALOGUE_FILTERS
    return list(dict.fromkeys([*S.FACETS, *(v for f in CATALOGUE_FILTERS.values() for v, _ in f)]))


# Family pattern (a '*' where the code puts a variable) -> the values the variable takes.
FAMILIES: dict[str, Callable[[], list]] = {
    "catalogue.*.title": lambda: [k.folder for k in S.KINDS.values()],
    "catalogue.*.intro": lambda: [k.folder for k in S.KINDS.values()],
    "catalogue.columns.*": lambda: list(S.KINDS),
    "data.columns.*": _table_columns,
    "data.headers.*": _table_columns,  # the spreadsheets' headers (export/tables.py)
    "event_roles.*": lambda: ["organizer", "speaker", "participant"],  # render/links.py
    "facets.*": lambda: _facets(),
    "feed.kinds.*": lambda: list(S.KINDS),
    "fields.*": _kind_fields,  # a source's `covers:` names any field of its record
    "search.kinds.*": lambda: list(S.KINDS),
    "statistics.dimensions.*": _dimensions,
    "statistics.not_given_notes.*": lambda: _not_given(),
    "map.svg_titles.*": lambda: _map_ids(),
}


# Families the code reads with a fallback of its own: en.yml may leave them out.
OPTIONAL_FAMILIES = {
    "language_names.*": "render/pages/status.py shows a language's own name where none is given",
}


@dataclass(frozen=True)
class Use:
    key: str  # "notice.read_more" or a family "facets.*"
    shape: str  # text, list, plural or section
    where: str  # scripts/templates/project.html.j2


def _shape_word(shape: str) -> str:
    return {"text": "a text", "any": "a text or a mapping of texts", "list": "a list of texts", "plural": "plural forms such as "
            "{one: …, other: …}", "section": "a mapping of texts"}[shape]


# ---------------------------------------------------------------------------------------------
# Finding the strings the code reads
# ---------------------------------------------------------------------------------------------

def _template_uses(folder: Path, root: Path) -> Iterator[Use]:
    import jinja2
    from jinja2 import nodes
    env = jinja2.Environment()
    for path in sorted(folder.glob("*.j2")):
        where = path.relative_to(root).as_posix()
        tree = env.parse(path.read_text(encoding="utf-8"))
        parents = {id(child): node for node in tree.find_all(nodes.Node)
                   for child in node.iter_child_nodes()}
        for node in tree.find_all((nodes.Getitem, nodes.Call)):
            if not _is_jinja_ui(node.node):
                continue
            arg = node.arg if isinstance(node, nodes.Getitem) else (node.args[0] if node.args else None)
            key = _jinja_key(arg)
            if key:
                yield Use(key, _jinja_shape(node, parents.get(id(node))), where)


def _is_jinja_ui(node) -> bool:
    """`ui` (the strings escaped for the page) or `p.ui` (the page context's own, not yet escaped)."""
    from jinja2 import nodes
    return (isinstance(node, nodes.Name) and node.name == "ui") or \
        (isinstance(node, nodes.Getattr) and node.attr == "ui")


def _jinja_shape(node, parent) -> str:
    """How a template reads the string: looped over (a list), kept whole (`set s = ui[…]`, handed to a
    helper: text or a mapping) or written out (a text)."""
    from jinja2 import nodes
    if isinstance(parent, nodes.For) and parent.iter is node:
        return "list"
    if isinstance(parent, nodes.Assign) or (isinstance(parent, nodes.Call) and node in parent.args):
        return "any"
    return "text"


def _jinja_key(node) -> str | None:
    from jinja2 import nodes
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return node.value
    if isinstance(node, nodes.Concat):
        return "".join(p.value if isinstance(p, nodes.Const) else "*" for p in node.nodes)
    return None  # a key held in a variable: named with ui_key() where it is made


def _python_key(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(p.value if isinstance(p, ast.Constant) else "*" for p in node.values)
    return None


def _is_ui(node: ast.AST) -> bool:
    """`ui`, `ctx.ui`, `self.ui`, `site.ui[lang]`: the page's strings."""
    if isinstance(node, ast.Subscript):
        node = node.value
    return (isinstance(node, ast.Name) and node.id == "ui") or \
        (isinstance(node, ast.Attribute) and node.attr == "ui")


_MENTIONS_UI = re.compile(r"\bui\[|\.ui\b|\bui_key\(")


def _python_uses(folder: Path, root: Path) -> Iterator[Use]:
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts or path.parent.name == "model":
            continue
        text = path.read_text(encoding="utf-8")
        if _MENTIONS_UI.search(text):  # most modules read no string: not parsed
            yield from _module_uses(ast.parse(text), path.relative_to(root).as_posix())


def _module_uses(tree: ast.Module, where: str) -> Iterator[Use]:
    """`ui[…]` (a text, a section, or plural forms when handed to a `…plural(…)` call) and `ui_key(…)`."""
    plural_args = {id(call.args[0]) for call in ast.walk(tree) if isinstance(call, ast.Call)
                   and call.args and ast.unparse(call.func).endswith("plural")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_ui(node.value):
            key = _python_key(node.slice)
            if key:
                shape = "plural" if id(node) in plural_args else SECTIONS.get(key) and "section" or "text"
                yield Use(key, shape, where)
        elif _is_ui_key_call(node):
            key = _python_key(node.args[0])
            if key:
                yield Use(key, "text", where)


def _is_ui_key_call(node: ast.AST) -> bool:
    """`ui_key("…")`: a key named where it is made, read later from a variable."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ui_key" \
        and bool(node.args)


def _scan(scripts: Path) -> tuple[Use, ...]:
    root = scripts.parent
    return tuple(dict.fromkeys([*_template_uses(scripts / "templates", root),
                                *_python_uses(scripts / "portal", root)]))


# Scans by the code's content (paths relative to the checkout, file digests): a copy of the same code
# elsewhere (every test's repository, a fresh clone) is not parsed again; the uses name files by their
# relative path, so they are the same for every copy.
_SCANS: dict[tuple, tuple[Use, ...]] = {}


def _code_stamp(scripts: Path) -> tuple:
    """The code the scan reads, by content: (path relative to the checkout, digest) of each file."""
    files = sorted([*(scripts / "templates").glob("*.j2"), *(scripts / "portal").rglob("*.py")])
    return tuple((p.relative_to(scripts.parent).as_posix(), hashlib.blake2b(p.read_bytes(), digest_size=16).digest())
                 for p in files)


def uses(scripts: Path, stamp: tuple | None = None) -> tuple[Use, ...]:
    """Every string the code reads (families not expanded), scanned once per version of the code
    (`stamp`: its _code_stamp(), when the caller has it)."""
    stamp = stamp if stamp is not None else _code_stamp(scripts)
    if stamp not in _SCANS:
        if len(_SCANS) >= 8:
            _SCANS.pop(next(iter(_SCANS)))
        _SCANS[stamp] = _scan(scripts)
    return _SCANS[stamp]


def required(scripts: Path, stamp: tuple | None = None) -> tuple[dict[str, Use], list[str]]:
    """{key: its first use} with families expanded, and the families FAMILIES does not know."""
    out: dict[str, Use] = {}
    unknown = []
    for use in uses(scripts, stamp):
        if "*" not in use.key:
            out.setdefault(use.key, use)
        elif use.key in OPTIONAL_FAMILIES:
            continue
        elif use.key in FAMILIES:
            for value in FAMILIES[use.key]():
                out.setdefault(use.key.replace("*", str(value)), Use(use.key, use.shape, use.where))
        else:
            unknown.append(f"{use.where}: the string key {use.key!r} is built from a variable; list its "
                           "values in FAMILIES (scripts/portal/model/ui_strings.py)")
    return out, sorted(set(unknown))


# ---------------------------------------------------------------------------------------------
# Checking the files
# ---------------------------------------------------------------------------------------------

def _at(loaded: Loaded, path: tuple, message: str, field: str | None = None) -> Problem:
    line, col = loaded.positions.get(path) or loaded.key_where(path)
    return Problem(loaded.path, line, col, ".".join(map(str, path)) if field is None else field, message)


def _lookup(data: Any, key: str) -> tuple[tuple, Any, bool]:
    """(path found so far, value, found) of a dotted key."""
    node, path = data, ()
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return path, None, False
        node, path = node[part], path + (part,)
    return path, node, True


def _placeholders(text: str) -> set[str] | None:
    """The {names} of a text, or None when its braces are not a valid format string."""
    try:
        return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
                if name is not None}
    except ValueError:
        return None


def _shape_of(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "plural" if value and set(value) <= set(PLURAL_FORMS) and "other" in value else "section"
    return "other"


def _leaves(loaded: Loaded, node: Any, path: tuple, source: bool) -> Iterator[Problem]:
    """Every value is a text, a list of texts or a mapping of them; texts' braces are valid."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(loaded, value, path + (key,), source)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if not isinstance(item, str) or not item.strip():
                yield _at(loaded, path + (i,), f"expected a text; got {S.kind_of(item)}",
                          field_path(path + (i,)))
    elif isinstance(node, str):
        if source and not node.strip():
            yield _at(loaded, path, "the source language's text is empty; write it (the other languages "
                                    "fall back to it)")
        elif _placeholders(node) is None:
            yield _at(loaded, path, "a '{' or '}' that is not a {placeholder}; write {{ or }} for a brace")
    elif node is not None or source:
        yield _at(loaded, path, f"expected a text; got {S.kind_of(node)} (quote it)")


def check_source(loaded: Loaded, scripts: Path, stamp: tuple | None = None) -> list[Problem]:
    problems = list(_leaves(loaded, loaded.data, (), source=True))
    needed, _unknown = required(scripts, stamp)
    for key, use in sorted(needed.items()):
        path, value, found = _lookup(loaded.data, key)
        if not found:
            if path and not isinstance(_lookup(loaded.data, ".".join(path))[1], dict):
                problems.append(_at(loaded, path, f"expected a mapping holding '{key}' ({use.where} reads "
                                                  f"it); got {S.kind_of(_lookup(loaded.data, '.'.join(path))[1])}"))
                continue
            problems.append(_at(loaded, path, f"'{key}' is missing: {use.where} reads it; add it here "
                                              "(the other languages fall back to it)", field=key))
            continue
        shape = _shape_of(value)
        if shape != use.shape and not (use.shape == "any" and shape in ("text", "section", "plural")):
            problems.append(_at(loaded, path, f"expected {_shape_word(use.shape)} ({use.where} reads it); "
                                              f"got {S.kind_of(value)}"))
        elif shape == "section":
            for sub in SECTIONS.get(key, ()):
                if not isinstance(value.get(sub), str):
                    problems.append(_at(loaded, path + (sub,) if sub in value else path,
                                        f"'{key}.{sub}' is missing: {use.where} reads it; add it here",
                                        field=f"{key}.{sub}"))
    return problems


def check_translation(loaded: Loaded, source: Any, lang: str) -> list[Problem]:
    """A translation may leave strings out (they fall back); what it writes must fit the source."""
    problems = list(_leaves(loaded, loaded.data, (), source=False))
    forms = _plural_forms(lang)
    problems += _compare(loaded, loaded.data, source, (), forms)
    return problems


def _compare(loaded: Loaded, own: Any, src: Any, path: tuple, forms: set[str]) -> Iterator[Problem]:
    """A translation's value against the source's at the same place: the same shape, plural forms of
    its own language, no key the source lacks, no placeholder the source does not fill in."""
    if own is None or (isinstance(own, str) and not own.strip()):
        return  # left out: falls back to the source language (`make status` lists it)
    if isinstance(src, dict) and _shape_of(src) == "plural":
        yield from _compare_plural(loaded, own, src, path, forms)
    elif isinstance(src, dict):
        yield from _compare_section(loaded, own, src, path, forms)
    elif isinstance(src, list):
        yield from _compare_list(loaded, own, src, path)
    elif isinstance(src, str):
        yield from _compare_text(loaded, own, src, path)


def _compare_plural(loaded: Loaded, own: Any, src: dict, path: tuple, forms: set[str]) -> Iterator[Problem]:
    if not isinstance(own, dict):
        yield _at(loaded, path, f"expected the plural forms of this language ({', '.join(sorted(forms))}) "
                                f"as in en.yml; got {S.kind_of(own)}", field_path(path))
        return
    for key, text in own.items():
        if key not in forms:
            yield _at(loaded, path + (key,), f"'{key}' is not a plural form of this language; its forms "
                                             f"are: {', '.join(f for f in PLURAL_FORMS if f in forms)}",
                      field_path(path + (key,)))
        elif isinstance(text, str):
            yield from _placeholder_check(loaded, path + (key,), text, src.get("other", ""))


def _compare_section(loaded: Loaded, own: Any, src: dict, path: tuple, forms: set[str]) -> Iterator[Problem]:
    if not isinstance(own, dict):
        yield _at(loaded, path, f"expected a mapping as in en.yml (keys {', '.join(map(str, src))}); got "
                                f"{S.kind_of(own)}", field_path(path))
        return
    for key, value in own.items():
        if key not in src:
            yield _at(loaded, path + (key,), f"unknown key '{S.shown(key)}'; {S.closest(key, src)}en.yml "
                                             f"has no such string, so no page reads it: "
                                             f"remove it or correct its name", field_path(path + (key,)))
        else:
            yield from _compare(loaded, value, src[key], path + (key,), forms)


def _compare_list(loaded: Loaded, own: Any, src: list, path: tuple) -> Iterator[Problem]:
    if not isinstance(own, list):
        yield _at(loaded, path, f"expected a list of {len(src)} texts as in en.yml; got {S.kind_of(own)}",
                  field_path(path))
    elif len(own) != len(src):
        yield _at(loaded, path, f"expected {len(src)} texts as in en.yml (one per column); got {len(own)}",
                  field_path(path))


def _compare_text(loaded: Loaded, own: Any, src: str, path: tuple) -> Iterator[Problem]:
    if not isinstance(own, str):
        yield _at(loaded, path, f"expected a text as in en.yml; got {S.kind_of(own)}", field_path(path))
    else:
        yield from _placeholder_check(loaded, path, own, src)


def _placeholder_check(loaded: Loaded, path: tuple, text: str, src: str) -> Iterator[Problem]:
    mine, theirs = _placeholders(text), _placeholders(src)
    if mine is None or theirs is None:
        return  # reported by _leaves
    extra = sorted(mine - theirs)
    if extra:
        given = ", ".join("{" + n + "}" for n in sorted(theirs)) or "none"
        yield _at(loaded, path, f"{{{extra[0]}}} is not filled in by the page (en.yml's text gives: "
                                f"{given}); use those names, or write {{{{ and }}}} for a brace", field_path(path))


@lru_cache(maxsize=16)
def _plural_forms(lang: str) -> set[str]:
    from babel import Locale
    from .. import languages
    try:
        locale = Locale.parse(languages.registry()[lang].locale)
        return set(locale.plural_form.tags) | {"other"}
    except Exception:  # noqa: BLE001  (an unknown locale is the registry's problem, reported there)
        return set(PLURAL_FORMS)


# Checks by the content of what they read: the code (_code_stamp) and every file of scripts/locales/.
# A save of a record in the preview changes neither, and checking the strings again (the registry's
# and the locale files' parse with positions, every key the code reads looked up) was a tenth of
# the generation that follows it. Problems are frozen dataclasses: the list is copied, not them.
_CHECKS: dict[tuple, tuple[Problem, ...]] = {}


def _strings_stamp(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple((p.name, hashlib.blake2b(p.read_bytes(), digest_size=16).digest())
                 for p in sorted(folder.iterdir()) if p.is_file())


def check(root: Path) -> list[Problem]:
    """Every problem of the registry and of the interface strings of root's scripts/locales/,
    checked once per version of the code and of those files (the checkout's path is part of the
    key: problems name files relative to it, and a copy elsewhere is its own checkout)."""
    folder = root / "scripts" / "locales"
    code = _code_stamp(root / "scripts")
    key = (str(root), code, _strings_stamp(folder))
    if key not in _CHECKS:
        if len(_CHECKS) >= 8:
            _CHECKS.pop(next(iter(_CHECKS)))
        _CHECKS[key] = tuple(_check(root, code))
    return list(_CHECKS[key])


def _check(root: Path, code: tuple) -> list[Problem]:
    folder = root / "scripts" / "locales"
    loaded, files, problems = registry.read(folder)
    if problems:
        return problems
    source = loaded.data["source"]
    if source not in files:
        return problems
    source_problems = check_source(files[source], root / "scripts", code)
    # A string the source file gets wrong is reported there once, not again in every translation.
    broken = {p.field for p in source_problems} | set(required(root / "scripts", code)[0])
    problems += source_problems
    for lang, strings in files.items():
        if lang != source:
            problems += [p for p in check_translation(strings, files[source].data, lang)
                         if not _under(p.field, {b for b in broken if b not in _keys(files[source].data)}
                                       | {p.field for p in source_problems})]
    return problems


def _keys(data: Any, prefix: str = "") -> set[str]:
    """Every dotted key of a strings file, sections too."""
    out = set()
    for key, value in (data.items() if isinstance(data, dict) else ()):
        dotted = f"{prefix}{key}"
        out.add(dotted)
        out |= _keys(value, dotted + ".")
    return out


def _under(field: str, fields: set[str]) -> bool:
    return any(field == f or field.startswith(f + ".") or field.startswith(f + "[") for f in fields)
