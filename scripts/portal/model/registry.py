"""Check the language registry (scripts/locales/languages.yml) before anything uses it.

Every command reads the registry first (which languages exist decides which text keys a record
may have, which pages are made, which MkDocs builds run), so a broken registry must stop every
command with the editor's kind of message, `file:line:col: what is wrong; the fix`, all problems at
once, and nothing generated. The files are read with the records' loader (load.py): positions,
duplicate keys, anchors, tags and control characters are refused as they are in records.
This module needs nothing of schema.py, which itself needs the registry.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import Problem, field_path
from .load import Loaded, load_file

# A language code is a folder under docs/ and the prefix of the language's addresses (/ru/), so it
# is a BCP 47 tag written in lowercase: a two- or three-letter language, optionally followed by
# subtags (`pt-br`, `sr-latn`).
LANG_TAG = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
LOCALE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_[A-Z]{2}|_[0-9]{3})?$")  # en_GB, sr_Latn_RS
DATE_FORMATS = ("full", "long", "medium", "short")  # Babel's named formats; a pattern also works
FIELDS = {
    "code": "the language's code, lowercase: the folder docs/<code>/ and the address prefix /<code>/",
    "locale": "the Babel/Open Graph locale, such as en_GB",
    "name": "the language's own name, for the language switcher",
    "search": "the search index's stemming language (defaults to the code)",
    "date_format": "a Babel date format: full, long, medium, short or a pattern (defaults to long)",
}
REQUIRED = ("code", "locale", "name")
TOP = ("source", "languages")


def registry_path(folder: Path) -> Path:
    return folder / "languages.yml"


def read(folder: Path) -> tuple[Loaded, dict[str, Loaded], list[Problem]]:
    """The registry and the locale file of each registered language, loaded with positions, and
    every problem that keeps them from being used."""
    root = folder.parents[1]  # scripts/locales -> the repository
    loaded = load_file(registry_path(folder), root) if registry_path(folder).is_file() else \
        Loaded(path=_rel(registry_path(folder), root),
               problem=Problem(_rel(registry_path(folder), root), 1, 1, "",
                               "the language registry is missing; restore it from git"))
    if loaded.problem:
        return loaded, {}, [loaded.problem]
    problems = list(_check(loaded))
    files: dict[str, Loaded] = {}
    for i, entry in enumerate(_entries(loaded.data)):
        code = entry.get("code")
        if not isinstance(code, str) or not LANG_TAG.match(code) or code in files:
            continue  # reported above
        path = folder / f"{code}.yml"
        if not path.is_file():
            problems.append(_at(loaded, ("languages", i, "code"),
                                f"scripts/locales/{code}.yml is missing: every registered language has "
                                f"its interface strings; copy en.yml to {code}.yml and translate it"))
            continue
        strings = load_file(path, root)
        if strings.problem:
            problems.append(strings.problem)
        elif not isinstance(strings.data, dict):
            problems.append(Problem(strings.path, 1, 1, "", "expected a mapping of interface strings "
                                                          "(`key: text`), as in en.yml"))
        else:
            files[code] = strings
    return loaded, files, problems


def check(folder: Path) -> list[Problem]:
    return read(folder)[2]


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _at(loaded: Loaded, path: tuple, message: str) -> Problem:
    line, col = loaded.positions.get(path) or loaded.key_where(path)
    return Problem(loaded.path, line, col, field_path(path), message)


def _entries(data: Any) -> list[dict]:
    languages = data.get("languages") if isinstance(data, dict) else None
    return [e if isinstance(e, dict) else {} for e in languages] if isinstance(languages, list) else []


def _check(loaded: Loaded):
    """Every problem of the registry's own fields: the top level, each language, then `source:`."""
    data = loaded.data
    if not isinstance(data, dict):
        yield _at(loaded, (), "expected a mapping with `source:` and `languages:`")
        return
    for key in data:
        if key not in TOP:
            yield _at(loaded, (key,), f"unknown field '{key}'; the registry has: {', '.join(TOP)}")
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages:
        yield _at(loaded, ("languages",), "expected a list of languages, one `- code: …` entry each")
        languages = []
    seen: dict[str, int] = {}  # code -> index of the entry that has it first
    for i, entry in enumerate(languages):
        yield from _check_language(loaded, ("languages", i), entry, seen)
    yield from _check_source(loaded, data.get("source"), seen)


def _check_language(loaded: Loaded, path: tuple, entry: Any, seen: dict[str, int]):
    """One `- code: …` entry, its fields in the order an editor reads them; adds its code to seen."""
    if not isinstance(entry, dict):
        yield _at(loaded, path, f"expected a mapping with the fields {', '.join(FIELDS)}")
        return
    for key in entry:
        if key not in FIELDS:
            yield _at(loaded, path + (key,), f"unknown field '{key}'; fields of a language: "
                                             f"{', '.join(FIELDS)}")
    for key in REQUIRED:
        if entry.get(key) in (None, ""):
            yield _at(loaded, path + (key,), f"required field is empty or missing: {FIELDS[key]}")
    yield from _check_code(loaded, path, entry.get("code"), seen)
    yield from _check_locale(loaded, path, entry)
    name = entry.get("name")
    if name not in (None, "") and (not isinstance(name, str) or "\n" in name.strip()):
        yield _at(loaded, path + ("name",), "expected the language's name on one line, such as 'Suomi'")
    search = entry.get("search")
    if search is not None and (not isinstance(search, str) or not LANG_TAG.match(search)):
        yield _at(loaded, path + ("search",), f"'{search}' is not a language code for the search index; "
                                              "write a lowercase code such as 'fi'")


def _check_code(loaded: Loaded, path: tuple, code: Any, seen: dict[str, int]):
    """A lowercase language tag, used by one entry only (a missing code is a required field's)."""
    if code not in (None, "") and (not isinstance(code, str) or not LANG_TAG.match(code)):
        yield _at(loaded, path + ("code",), f"'{code}' is not a language code: a lowercase language "
                                            f"tag such as 'ru', 'fi' or 'pt-br'; write "
                                            f"'{_suggest(code)}'")
    elif isinstance(code, str) and code in seen:
        yield _at(loaded, path + ("code",), f"duplicate code '{code}': languages[{seen[code]}] already "
                                            "has it; keep one of the two entries")
    elif isinstance(code, str):
        seen[code] = path[-1]


def _check_source(loaded: Loaded, source: Any, seen: dict[str, int]):
    """`source:` names one of the languages listed."""
    if source in (None, ""):
        yield _at(loaded, ("source",), "required field is empty or missing: the code of the language "
                                       "every record must have, such as 'en'")
    elif source not in seen:
        yield _at(loaded, ("source",), f"the source language '{source}' is not one of the languages listed "
                                       f"below ({', '.join(seen) or 'none'}); list it, or name one of them")


def _check_locale(loaded: Loaded, path: tuple, entry: dict):
    locale = entry.get("locale")
    if locale in (None, ""):
        return
    if not isinstance(locale, str) or not LOCALE.match(locale):
        yield _at(loaded, path + ("locale",), f"'{locale}' is not a locale: write language_TERRITORY, "
                                              "such as 'fi_FI'")
        return
    from babel import Locale, UnknownLocaleError  # pinned with the site; dates are formatted with it
    try:
        babel_locale = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        yield _at(loaded, path + ("locale",), f"'{locale}' is a locale Babel does not know, so dates cannot "
                                              "be written in it; use one such as 'fi_FI'")
        return
    fmt = entry.get("date_format")
    if fmt is None:
        return
    from datetime import date
    from babel.dates import format_date
    try:
        ok = isinstance(fmt, str) and fmt.strip() and format_date(date(2020, 1, 2), fmt, babel_locale)
    except Exception:  # noqa: BLE001  (Babel raises several kinds for a bad pattern)
        ok = False
    if not ok:
        yield _at(loaded, path + ("date_format",), f"'{fmt}' is not a date format: use one of "
                                                   f"{', '.join(DATE_FORMATS)} or a Babel pattern such as "
                                                   "'d MMMM y'")


def _suggest(code: Any) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", str(code).lower()).strip("-")
    return text if LANG_TAG.match(text) else "xx"
