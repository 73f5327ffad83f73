"""What every export shares, computed once per build: the rows of each table, texts and labels in a
language. (The records' dates, which the record pages show too, are history.record_dates.)

The pipeline renders every language from one Site; the exporters ask this module, which keeps its
results on that Site object, so the catalogue is walked once per (kind, language).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from .. import languages, site_address
from ..languages import plural  # noqa: F401  (M.plural: the exporters' counted phrases)
from ..model import schema as S


@dataclass
class Model:
    rows: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (kind, lang)
    site_root: str | None = None  # site_address.site_root(), read once (a row's `page` asks for it)
    folders: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, lang) -> its address


def model(site) -> Model:
    cached = site.__dict__.get("_export_model")
    if cached is None:
        cached = Model()
        site.__dict__["_export_model"] = cached
    return cached


def absolute(site, path: str) -> str:
    """site_address.absolute() with the site's address read once per build, not once per row."""
    cached = model(site)
    if cached.site_root is None:
        cached.site_root = site_address.site_root(site.root)
    return urljoin(cached.site_root, path) if cached.site_root else path


def text(value: Any, lang: str) -> str:
    """A record text in this language, English where it is missing (as on the pages)."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    own = value.get(lang)
    return (own if isinstance(own, str) and own.strip() else value.get(S.SOURCE_LANG) or "").strip()


def label(site, vocab: str, term: Any, lang: str) -> str:
    """A vocabulary term's label in this language (cached: asked once per row and column)."""
    cache = site.__dict__.setdefault("_export_labels", {})
    key = (vocab, term, lang)
    if key not in cache:
        entry = site.cat.vocab.get(vocab, {}).get(term)
        cache[key] = text(entry["label"], lang) if entry else str(term)
    return cache[key]


def lang_prefix(lang: str) -> str:
    """Where a language's pages live under the site root ("" for the default language)."""
    return languages.registry().prefix(lang)
