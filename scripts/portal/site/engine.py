"""Which MkDocs builds the site: MkDocs 1.6.1 (the default) or ProperDocs, its continuation (issue 21).

mkdocs 1.6.1 is the last MkDocs 1.x. ProperDocs (PyPI `properdocs`, pinned in
requirements-properdocs.txt) is a fork of it by former MkDocs maintainers that runs the same
mkdocs.yml, the same `mkdocs.plugins`/`mkdocs.themes` entry points (Material, mkdocs-static-i18n) and
the same hooks. `PORTAL_ENGINE=properdocs` (or `portal build --engine properdocs`) selects it; this
module is the only place that knows the difference. Everything under site/ keeps writing
`import mkdocs…`: on ProperDocs those imports are answered by ProperDocs' own alias module
(`properdocs.replacement`, which its command line imports first), so there is one build, not two.
"""
from __future__ import annotations

import logging
import os
import sys

ENV = "PORTAL_ENGINE"
MKDOCS, PROPERDOCS = "mkdocs", "properdocs"
ENGINES = (MKDOCS, PROPERDOCS)


class UnknownEngine(ValueError):
    pass


def name() -> str:
    """The engine PORTAL_ENGINE names (mkdocs when unset)."""
    chosen = os.environ.get(ENV, "").strip().lower() or MKDOCS
    if chosen not in ENGINES:
        raise UnknownEngine(f"{ENV}={os.environ[ENV]!r}: expected one of {', '.join(ENGINES)}")
    return chosen


def activate() -> str:
    """Make this process's `import mkdocs…` mean the chosen engine; the name of its logger.

    Called when portal.site is imported, before any module of it imports mkdocs. On ProperDocs, a
    real mkdocs imported before that would run beside it unnoticed: refused."""
    if name() == MKDOCS:
        return MKDOCS
    try:
        import properdocs.replacement  # noqa: F401  (mkdocs.* → properdocs.*, ProperDocs' own alias)
    except ImportError as exc:
        raise ImportError(f"{ENV}={PROPERDOCS}, but ProperDocs is not installed here: use the "
                          "virtualenv of `make properdocs-venv` (requirements-properdocs.txt)") from exc
    if sys.modules.get("mkdocs") is not sys.modules["properdocs"]:
        raise RuntimeError("mkdocs was imported before ProperDocs was selected (site/engine.py)")
    # As ProperDocs' command line does (properdocs.__main__.State): the legacy `mkdocs` logger,
    # which Material, mkdocs-static-i18n and our hooks (mkdocs.portal) log to, under `properdocs`,
    # where strict mode counts warnings. Without it their warnings would not fail the build.
    legacy = logging.getLogger("mkdocs")
    legacy.parent = logging.getLogger(PROPERDOCS)
    legacy.setLevel(logging.NOTSET)
    legacy.propagate = True
    # mkdocs-static-i18n reads the languages of MkDocs' lunr search from the files of the `mkdocs`
    # distribution when it is imported, and warns when there is none (ProperDocs installed alone),
    # then uses its own copy of the list. Only its reconfigure_search reads the list, which
    # mkdocs.yml turns off (the search is Pagefind): the warning says nothing about this site.
    logging.getLogger(f"{PROPERDOCS}.plugins.mkdocs_static_i18n.reconfigure").addFilter(
        lambda record: not record.getMessage().endswith(LUNR_WARNING))
    return PROPERDOCS


LUNR_WARNING = "Unable to detect lunr languages from mkdocs distribution"


def logger(suffix: str = "") -> logging.Logger:
    """The engine's own logger (`mkdocs…` or `properdocs…`): its modules log as their package, so a
    filter on one of its loggers must name the package that runs."""
    return logging.getLogger(".".join(filter(None, (name(), suffix))))


def version() -> str:
    """The engine's name and version, as in the generator line of every page."""
    from importlib.metadata import version as installed
    return f"{name()} {installed(name())}"
