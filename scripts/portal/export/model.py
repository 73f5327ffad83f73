"""What every export shares, computed once per build: record dates and the rows of each table.

The pipeline renders every language from one Site; the exporters ask this module, which keeps its
results on that Site object, so the catalogue is walked once per (kind, language) and git is asked once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import languages
from ..model import schema as S
from . import history


@dataclass
class Model:
    dates: history.Dates
    updated: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, slug) -> RFC 3339
    added: dict[tuple[str, str], str] = field(default_factory=dict)
    rows: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (kind, lang)


def model(site) -> Model:
    cached = site.__dict__.get("_export_model")
    if cached is None:
        dates = history.read(site.root)
        cached = Model(dates)
        for kind in S.KINDS:
            for slug, rec in site.cat.records[kind].items():
                when = dates.updated.get(rec.path) or history.own_date(rec.data, site.cat.vocab.get("documents"))
                if when:
                    cached.updated[(kind, slug)] = when
                if dates.added.get(rec.path):
                    cached.added[(kind, slug)] = dates.added[rec.path]
        site.__dict__["_export_model"] = cached
    return cached


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


def plural(forms, n: int, lang: str) -> str:
    """A counted phrase in this language: forms is a text or {one, few, many, other} (CLDR plural
    categories, chosen by Babel for the language), with {n} for the number."""
    if isinstance(forms, dict):
        from babel import Locale
        forms = forms.get(Locale.parse(lang).plural_form(n)) or forms.get("other") or ""
    return str(forms).replace("{n}", str(n))
