"""One page being rendered in one language: the helpers its template calls.

Every piece of record text goes through these helpers, which escape it for Markdown (escape.py),
and any text English stands in for is noted so the page gets the "not yet translated" notice.
"""
from __future__ import annotations

import posixpath
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.dates import format_date, format_skeleton

from .. import languages
from ..model import schema as S
from ..paths import page_url, record_path, term_path
from ..escape import html, html_attr_json, md_inline, md_paragraphs, md_url, plain_inline
from ..model.values import as_list

if TYPE_CHECKING:
    from .site import Site


def ui_key(key: str) -> str:
    """A string key named here and looked up later (a template's `ui[s.title]`): marked, so that
    validation finds it among the strings en.yml must have (model/ui_strings.py)."""
    return key


def load_locales(folder: Path) -> dict[str, dict[str, Any]]:
    return {lang: languages.strings(lang, folder) for lang in languages.registry().codes}


def _merged(base: dict, own: dict) -> dict:
    out = dict(base)
    for key, value in own.items():
        out[key] = _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) \
            else value
    return out


class UI:
    """Interface strings of one language, falling back to English key by key."""

    def __init__(self, locales: dict[str, dict], lang: str):
        self.lang, self._own, self._en = lang, locales[lang], locales[languages.registry().source]

    def __getitem__(self, key: str) -> str:
        node_own, node_en = self._own, self._en
        for part in key.split("."):
            node_own = node_own.get(part) if isinstance(node_own, dict) else None
            node_en = node_en.get(part) if isinstance(node_en, dict) else None
        if isinstance(node_own, dict) and isinstance(node_en, dict):
            return _merged(node_en, node_own)  # a section: English fills the missing keys
        if node_own is not None:
            return node_own
        if node_en is None:
            raise KeyError(f"UI string '{key}' is missing from scripts/locales/en.yml")
        return node_en

    __call__ = __getitem__


class PageContext:
    """Helpers bound to one page in one language; records where English stood in for a translation."""

    def __init__(self, site: "Site", lang: str, path: str):
        self.site, self.lang, self.path = site, lang, path  # path relative to the language folder
        self.ui = site.ui[lang]
        self.language = languages.registry()[lang]
        self.fallbacks: list[str] = []

    # text
    def pick(self, value: dict | None, where: str = "") -> str:
        """The text in this page's language, or English (noted for the notice) when it is missing."""
        if not value:
            return ""
        own = value.get(self.lang)
        if isinstance(own, str) and own.strip():
            return own
        if self.lang != languages.registry().source:
            self.fallbacks.append(where)
        return value.get(languages.registry().source) or ""

    def t(self, value, where=""):
        return md_inline(self.pick(value, where))

    def lit(self, text) -> str:
        """Text that is the same in every language (acronyms, source titles): escaped, no fallback."""
        return md_inline(str(text))

    def paras(self, value, where=""):
        return md_paragraphs(self.pick(value, where))

    def plain(self, value, where=""):
        return plain_inline(self.pick(value, where))

    # vocabulary and records
    def label(self, vocab: str, term) -> str:
        return md_inline(self.plain(self.site.cat.vocab[vocab][term]["label"], f"{vocab}:{term}"))

    def term_link(self, vocab: str, term) -> str:
        return f"[{self.label(vocab, term)}]({self.rel(term_path(vocab, term))})"

    def name(self, kind: str, slug: str) -> str:
        rec = self.site.cat.records[kind][slug]
        return self.pick(rec.data[S.KINDS[kind].title_field], f"{kind}:{slug}")

    def link(self, kind: str, slug: str) -> str:
        return f"[{md_inline(self.name(kind, slug))}]({self.rel(record_path(kind, slug))})"

    def rel(self, target: str) -> str:
        """Relative Markdown link from this page to another page (both relative to the language)."""
        return _relpath(target, posixpath.dirname(self.path) or ".")

    def url(self, target: str) -> str:
        """Relative URL for raw HTML, where MkDocs does not rewrite .md links (directory URLs)."""
        return _relpath(page_url(target), page_url(self.path)) + "/"

    def data_url(self, name: str) -> str:
        """Relative URL from this page to an open-data file, served at /data/<name> (issue 10)."""
        here = page_url(self.path) if self.lang == languages.registry().source else f"{self.lang}/{page_url(self.path)}"
        return posixpath.relpath(f"data/{name}", here.rstrip("/.") or ".")

    def date(self, value) -> str:
        if not isinstance(value, (str, int)):  # not a date (S.parse_date): nothing to cache
            return ""
        return _date(type(value), value, self.language.date_format, self.language.locale)

    def span(self, start, end) -> str:
        a, b = self.date(start), self.date(end)
        return f"{a} – {b}" if a and b and a != b else (a or b)

    def href(self, url: str) -> str:
        """A URL inside Markdown link parentheses or angle brackets (allow-listed, percent-encoded)."""
        return md_url(url)

    def autolink(self, url: str) -> str:
        """A URL shown as itself and linked: `<https://…>`; an unsafe one is shown as inert text."""
        safe = md_url(url)
        return f"<{safe}>" if safe != "#" else md_inline(url)

    def ids(self, value) -> str:
        """Vocabulary ids of a field as a space-separated attribute value."""
        return " ".join(str(v) for v in as_list(value))

    def facet_options(self, kind: str, facets, slugs) -> list[dict]:
        """Filter controls of a catalogue: each facet with the values its records use, labelled."""
        out = []
        for vocab, fieldname in facets:
            used = {v for s in slugs for v in as_list(self.site.cat.records[kind][s].data.get(fieldname))}
            values = [[str(t), self.plain(term["label"])] for t, term in self.site.cat.vocab[vocab].items()
                      if t in used]
            if values:
                out.append({"name": vocab, "label": self.ui[f"facets.{vocab}"], "values": values})
        return out

    def html(self, text) -> str:
        return str(html(text))

    def attr_json(self, value) -> str:
        return str(html_attr_json(value))


# Pure functions the templates call hundreds of thousands of times at 10,000 records with a few
# thousand distinct arguments: each answer is computed once per build.

@lru_cache(maxsize=1 << 16)
def _relpath(target: str, start: str) -> str:
    return posixpath.relpath(target, start)


@lru_cache(maxsize=1 << 14)
def _date(kind: type, value, date_format: str, locale: str) -> str:
    """A date as the language writes it (kind: 2019 and "2019" are cached apart)."""
    parts = S.parse_date(value)
    if not parts:
        return ""
    if len(parts) == 3:
        return format_date(date(*parts), format=date_format, locale=locale)
    if len(parts) == 2:
        return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=locale)
    return str(parts[0])
