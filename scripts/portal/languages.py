"""The language registry: which languages the portal has, read from scripts/locales/languages.yml.

Everything that needs the list of languages asks here: the schema (which text keys a record may
have), the renderer (pages per language, dates), the MkDocs configuration (scripts/portal/site/),
the theme partials (locales, the switcher) and the scripts. Site name and description are interface
strings, in scripts/locales/<code>.yml like every other word a reader sees.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

LOCALES = Path(__file__).resolve().parents[1] / "locales"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: every command reads these files


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
    """The interface strings of one language (scripts/locales/<code>.yml), a copy of its own."""
    path = folder / f"{code}.yml"
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key not in _STRINGS:
        # Read once per version of the file: the live preview's hooks ask for every language's
        # strings on each rebuild of each language (a tenth of a dirty rebuild).
        _STRINGS[key] = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    return copy.deepcopy(_STRINGS[key])


_STRINGS: dict[tuple, dict] = {}


def load(folder: Path = LOCALES) -> Registry:
    raw = yaml.load((folder / "languages.yml").read_text(encoding="utf-8"), Loader=_Loader)
    languages = []
    for entry in raw["languages"]:
        strings_ = strings(entry["code"], folder)
        languages.append(Language(code=entry["code"], locale=entry["locale"], name=entry["name"],
                                  search=entry.get("search", entry["code"]),
                                  date_format=entry.get("date_format", "long"),
                                  site_name=strings_["site_name"],
                                  site_description=strings_["site_description"]))
    codes = [lang.code for lang in languages]
    if raw["source"] not in codes or len(set(codes)) != len(codes):
        raise ValueError(f"{folder / 'languages.yml'}: the source language must be listed, once")
    # The source language first: it is built first and served at the root.
    languages.sort(key=lambda lang: lang.code != raw["source"])
    return Registry(source=raw["source"], languages=tuple(languages))


@lru_cache(maxsize=None)
def registry() -> Registry:
    """The registry of the scripts/ tree this module was imported from."""
    return load()


LANGS: tuple[str, ...] = registry().codes
SOURCE_LANG: str = registry().source
