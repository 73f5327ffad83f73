"""Pages the generator wrote as HTML (render/html_page.py): MkDocs shows their body as it is.

MkDocs turns every page's Markdown into HTML in `page.render(config, files)`, making a new
Python-Markdown instance per page. A generated page whose template wrote HTML carries its table of
contents in its front matter (`portal.toc`: [level, id, name] of each heading); for such a page
`render` is bound, on that page object only, to one that takes the body (after the other plugins'
`on_page_markdown`) as the content and builds the same table of contents, heading ids and anchors
Python-Markdown would have. The class and the theme are left as they are (a public method of one
instance, called by MkDocs' build and by ProperDocs' alike).
"""
from __future__ import annotations

import html
import logging
from types import MethodType

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.structure.toc import get_toc


def toc_of(page) -> list | None:
    """The page's table of contents as its front matter gives it, or None for a Markdown page."""
    portal = page.meta.get("portal")
    toc = portal.get("toc") if isinstance(portal, dict) else None
    return toc if isinstance(toc, list) else None


def take_as_is(page) -> bool:
    """Bind the page's render to the one below when the generator wrote its HTML; say so."""
    toc = toc_of(page)
    if toc is None:
        return False
    page.render = MethodType(_render_ready, page)
    return True


def _render_ready(page, config, files) -> None:
    toc = toc_of(page)
    tokens = [{"level": level, "id": anchor, "name": name, "html": name, "data-toc-label": ""}
              for level, anchor, name in toc]
    page.content = page.markdown.strip("\n")
    h1 = next((t for t in tokens if t["level"] == 1), None)
    page._title_from_render = html.unescape(h1["name"]) if h1 else None  # (the front matter's comes first)
    page.present_anchor_ids = {t["id"] for t in tokens}
    page.toc = get_toc(nest_toc_tokens(tokens))  # (nest_toc_tokens empties the list it is given)
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:  # (as Page.render)
        page.links_to_anchors = {}  # its links are the generator's, made from the catalogue
