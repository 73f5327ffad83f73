"""What runs once after the whole multi-language build (mkdocs-static-i18n builds every language).

hooks.py calls `on_post_build(config)` from its own on_post_build, which must run AFTER
mkdocs-static-i18n's (that one has priority -100 and is where the other languages are built):
decorate the hook with `@mkdocs.plugins.event_priority(-200)`. Then the whole site is there for the
search index (scripts/portal/site/search.py).
"""
from __future__ import annotations

import logging
from pathlib import Path

from portal.site import search

from . import not_found

log = logging.getLogger("mkdocs.portal")


def languages_of(config) -> tuple[list[str], str]:
    """The languages built, and the default one (served at the site root)."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        lang = config.theme.get("language") or "en"
        return [lang], lang
    langs = [l.locale for l in plugin.config.languages if l.build]
    default = next((l.locale for l in plugin.config.languages if l.default), langs[0])
    return langs, default


def is_nested_build(config) -> bool:
    """True while mkdocs-static-i18n builds a non-default language inside the first build."""
    plugin = config.plugins.get("i18n")
    return bool(plugin is not None and getattr(plugin, "building", False))


def on_post_build(config, index_search: bool = True) -> None:
    """index_search=False under `mkdocs serve`: the live preview skips the search index (a few
    seconds per save); `make site` and the published site always have it."""
    if is_nested_build(config):
        return
    langs, default = languages_of(config)
    site_dir = Path(config.site_dir)
    not_found.write_language_404s(site_dir, langs, default)
    if index_search:
        report = search.index_site(site_dir, langs)
        log.info("portal: search index (Pagefind) in %.1f s: %s", report.seconds,
                 ", ".join(f"{lang} {n} pages" for lang, n in sorted(report.pages.items())))
