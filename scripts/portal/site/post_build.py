"""What runs once after the whole multi-language build (mkdocs-static-i18n builds every language).

hooks.py calls `on_post_build(config)` from its own on_post_build, which must run AFTER
mkdocs-static-i18n's (that one has priority -100 and is where the other languages are built and the
search index is merged): decorate the hook with `@mkdocs.plugins.event_priority(-200)`.
"""
from __future__ import annotations

import logging
from pathlib import Path

from . import not_found, search_index

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


def on_post_build(config) -> None:
    if is_nested_build(config):
        return
    langs, default = languages_of(config)
    site_dir = Path(config.site_dir)
    # The i18n plugin moves docs_dir per language; the language folders sit side by side.
    docs_root = Path(config.docs_dir)
    if docs_root.name in langs:
        docs_root = docs_root.parent
    if (site_dir / "search" / "search_index.json").is_file():
        counts = search_index.split_search_index(site_dir, langs, default, docs_root)
        log.info("portal: search index per language: %s",
                 ", ".join(f"{k} {v} entries" for k, v in counts.items()))
    not_found.write_language_404s(site_dir, langs, default)
