"""Render: a validated catalogue -> Markdown pages per kind and language (theme-independent).

Record text is encoded by ../escape.py (shared with export/); context.py is the page being rendered;
links.py the links between records; jsonld.py schema.org data; site.py the template environment;
pages/ one module per page producer, listed in pages/__init__.py."""
from __future__ import annotations

from pathlib import Path

from ..model.validate import Catalogue
from .site import GENERATED_MARK, Page, RenderError, Site  # noqa: F401


def render_all(cat: Catalogue, root: Path) -> list[Page]:
    from .pages import all_pages
    return all_pages(Site(cat, root))
