"""What runs once after a multi-language build in one process (mkdocs-static-i18n builds every
language: `make serve`, a plain `mkdocs build`). `portal build` builds the languages in parallel and
does this on the assembled site instead (site/finish.py).

hooks.py calls `on_post_build(config)` from its own on_post_build, which must run AFTER
mkdocs-static-i18n's (that one has priority -100 and is where the other languages are built):
decorate the hook with `@mkdocs.plugins.event_priority(-200)`. Then the whole site is there for the
search index (scripts/portal/site/search.py).
"""
from __future__ import annotations

import logging
from pathlib import Path

from .. import languages
from . import not_found, search

log = logging.getLogger("mkdocs.portal")


def languages_of(config=None) -> tuple[list[str], str]:
    """The languages built, and the default one (served at the site root): the registry's."""
    registry = languages.registry()
    return list(registry.codes), registry.source


# mkdocs-static-i18n builds the other languages from inside the first build's post_build, so our
# hooks see nested builds. We count them ourselves (hooks.py: on_pre_build enters, on_post_build
# leaves) rather than read the plugin's private state.
_DEPTH = {"builds": 0}


def enter_build() -> None:
    _DEPTH["builds"] += 1


def leave_build() -> None:
    _DEPTH["builds"] = max(0, _DEPTH["builds"] - 1)


def reset_builds() -> None:
    _DEPTH["builds"] = 0


def is_nested_build(config=None) -> bool:
    """True while mkdocs-static-i18n builds a non-default language inside the first build."""
    return _DEPTH["builds"] > 1


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
