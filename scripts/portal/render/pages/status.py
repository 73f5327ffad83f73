"""The translation status page, in every language (the report is model/translations.py)."""
from __future__ import annotations

from typing import Iterable

from ... import languages
from ...model.translations import build_report
from ...escape import md_inline
from ..site import Page, Site

PAGE = "translation-status.md"


def translation_report(site: Site):
    """The report, made once per Site (every language's page shows it)."""
    report = getattr(site, "_translation_status", None)
    if report is None:
        report = site._translation_status = build_report(site.cat, site.root)
    return report


def status_pages(site: Site, lang: str) -> Iterable[Page]:
    report = translation_report(site)
    meta = {"portal": {"kind": "translation-status"}}  # the title is the page's H1, in its language
    yield site.render("status.md.j2", lang, PAGE, "data/ and scripts/locales/", meta,
                      report=report, md=md_inline, source_lang=languages.registry().source,
                      names=language_names(site, lang))


def language_names(site: Site, lang: str) -> dict[str, str]:
    """Each language's name in this page's language; a language's own name where none is given."""
    registry = languages.registry()
    names = {}
    for code in registry.codes:
        try:
            names[code] = site.ui[lang][f"language_names.{code}"]
        except KeyError:
            names[code] = registry[code].name
    return names
