"""Where a page is: the side menu's section and the breadcrumb trail of pages outside the menu.

Record, topic and listing pages are deliberately not in the side menu (a menu of every record grows
with the square of the record count, README), so Material highlights nothing for them and its own
breadcrumbs (`navigation.path`, built from `page.ancestors`) would be empty. Every generated page
says what it is in its front matter (`portal.kind`, written by scripts/portal/render/pages/); from
that and the page's path the trail is: home › the catalogue the page belongs to › (for a continuation
page) the record or topic it continues. Only MkDocs' public structures are used: a nav page's
`active` (whose setter also marks its parents) and its title, which mkdocs-static-i18n has already
put in the build's language. The highlight is undone after the page is rendered (the nav is shared
by every page of a build).
"""
from __future__ import annotations

from typing import Any

# The catalogue (menu entry) of each page kind, by the first folder of the page's path.
_SECTION_KINDS = {"project", "playbook", "organization", "event", "programme", "facet", "listing", "catalogue"}


def _split(src_uri: str, codes) -> tuple[str, list[str]]:
    """("ru/", ["projects", "x.md"]) for "ru/projects/x.md"; ("", […]) without a language folder."""
    parts = src_uri.split("/")
    if len(parts) > 1 and parts[0] in codes:
        return parts[0] + "/", parts[1:]
    return "", parts


def _kind(page) -> str | None:
    portal = (page.meta or {}).get("portal")
    return portal.get("kind") if isinstance(portal, dict) else None


def _nav_pages(nav) -> dict[str, Any]:
    return {p.file.src_uri: p for p in nav.pages if getattr(p, "file", None) is not None}


def locate(page, nav, codes) -> tuple[Any | None, list[dict]]:
    """(the menu page to highlight, the trail [{"title", "url"}] from home to the page's parent)
    of a page outside the menu; (None, []) for a page in the menu or one that is not generated."""
    kind = _kind(page)
    if kind not in _SECTION_KINDS or page in nav.pages:
        return None, []
    lang, rest = _split(page.file.src_uri, codes)
    if len(rest) < 2:
        return None, []
    menu = _nav_pages(nav)
    section = menu.get(f"{lang}{rest[0]}/index.md")
    if section is None:
        return None, []
    trail = []
    home = menu.get(f"{lang}index.md")
    if home is not None:
        trail.append({"title": home.title, "url": home.url})
    trail.append({"title": section.title, "url": section.url})
    # A continuation page (…/<slug>/page/N/) sits under the record or topic it continues, whose name
    # the generator gives (front matter `portal.owner`): in a sharded build that page may not be here.
    owner = (page.meta.get("portal") or {}).get("owner")
    if kind == "listing" and owner and "/page/" in f"/{page.url}":
        trail.append({"title": owner, "url": f"/{page.url}".rsplit("/page/", 1)[0].lstrip("/") + "/"})
    return section, trail
