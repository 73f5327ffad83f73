"""The language registry: which languages the portal has, read from scripts/locales/languages.yml.

Everything that needs the list of languages asks here: the schema (which text keys a record may
have), the renderer (pages per language, dates), the MkDocs configuration (scripts/portal/site/),
the theme partials (locales, the switcher) and the scripts. Site name and description are interface
strings, in scripts/locales/<code>.yml like every other word a reader sees. plural() writes a
counted phrase as the language counts (pages and exports alike).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parents[1] / "locales"


@dataclass(frozen=True)
class Language:
    code: str         # en, ru, fi: the language folder under docs/ and the URL prefix
    locale: str       # en_GB: Open Graph locale
    name: str         # the language's own name
    search: str       # stemming language of the search index
    date_format: str  # Babel format of full dates
    site_name: str
    site_description: str


@dataclass(frozen=True)
class Registry:
    source: str                     # the language every record must have (served at the root)
    languages: tuple[Language, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def targets(self) -> tuple[str, ...]:
        """The languages translated from the source language."""
        return tuple(code for code in self.codes if code != self.source)

    def __getitem__(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def prefix(self, code: str) -> str:
        """Where a language's pages live under the site root: "" for the source language, "ru/"."""
        return "" if code == self.source else f"{code}/"


def strings(code: str, folder: Path = LOCALES) -> dict:
    """The interface strings of one language (scripts/locales/<code>.yml), a copy of its own.

    Read with the records' loader (model/load.py), as validation reads them (model/ui_strings.py):
    `on`, `no` or `2019-05-01` stay the text they look like."""
    from .model.errors import InvalidInput
    from .model.load import parse_text
    path = folder / f"{code}.yml"
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _STRINGS:
        # Read once per version of the file: the live preview's hooks ask for every language's
        # strings on each rebuild of each language (a tenth of a dirty rebuild).
        loaded = parse_text(path.read_text(encoding="utf-8"), f"scripts/locales/{code}.yml")
        if loaded.problem:
            raise InvalidInput([loaded.problem])
        _STRINGS[key] = loaded.data if isinstance(loaded.data, dict) else {}
    return copy.deepcopy(_STRINGS[key])


_STRINGS: dict[tuple, dict] = {}


def load(folder: Path = LOCALES) -> Registry:
    """The registry, checked first (model/registry.py): a problem stops every command with
    file:line:col messages (errors.InvalidInput), never a traceback."""
    from .model import registry as check
    from .model.errors import InvalidInput
    loaded, _files, problems = check.read(folder)
    if problems:
        raise InvalidInput(problems)
    raw = loaded.data
    source_strings = strings(raw["source"], folder)
    languages = []
    for entry in raw["languages"]:
        own = strings(entry["code"], folder)
        # Site name and description fall back to the source language's, like every other string.
        name = own.get("site_name") or source_strings.get("site_name") or ""
        description = own.get("site_description") or source_strings.get("site_description") or ""
        languages.append(Language(code=entry["code"], locale=entry["locale"], name=entry["name"],
                                  search=entry.get("search") or entry["code"],
                                  date_format=entry.get("date_format") or "long",
                                  site_name=str(name), site_description=str(description)))
    # The source language first: it is built first and served at the root.
    languages.sort(key=lambda lang: lang.code != raw["source"])
    return Registry(source=raw["source"], languages=tuple(languages))


@lru_cache(maxsize=None)
def registry() -> Registry:
    """The registry of the scripts/ tree this module was imported from."""
    return load()


LANGS: tuple[str, ...] = registry().codes
SOURCE_LANG: str = registry().source


def plural(forms, n: int, lang: str) -> str:
    """A counted phrase in this language: forms is a text or {one, few, many, other} (CLDR plural
    categories, chosen by Babel for the language), with {n} for the number."""
    if isinstance(forms, dict):
        from babel import Locale
        forms = forms.get(Locale.parse(lang).plural_form(n)) or forms.get("other") or ""
    return str(forms).replace("{n}", str(n))
