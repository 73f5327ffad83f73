"""What runs once on the whole site after the languages were built and put together (site/build.py).

- One copy of the theme's and the portal's assets, at the root's assets/ (site/shared_assets.py):
  every language's pages point there already (each language's build made them so: hooks.py), and
  the copies each language's build made are removed, once they were found byte for byte the same
  as the root's (a difference fails the build). No page is read. The portal's own scripts and
  style sheet in it are minified (site/minify.py).
- One sitemap for the site: sitemap.xml is a sitemap index naming sitemap-<lang>.xml, one per
  language, where every page names its versions in the other languages (hreflang alternates). An
  index stays a few hundred bytes however many records there are, which matters beyond crawlers:
  Material's language selector fetches sitemap.xml on every page view (portal.js answers all its
  requests from one request of the root sitemap.xml), and at 1,000 records one sitemap of every
  page was 1.7 MB.
- The search index (site/search.py): Pagefind over the whole site, one index per language.

The 404 pages need nothing here: every language's build wrote its own (site/404.html, ru/404.html,
…), whole in its language; overrides/404.html sends a reader of a missing /ru/… path to ru/404.html.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .. import languages
from ..phases import phase
from . import minify, search, shared_assets

log = logging.getLogger("mkdocs.portal")

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class FinishFailed(Exception):
    """The site was built but cannot be published as it is (no search index for a language)."""


def finish(site: Path, extracts: Path | None = None) -> None:
    """`extracts`: the search extracts of every page, made already (search.index_site)."""
    registry = languages.registry()
    try:
        with phase("one copy of the assets"):
            shared_assets.share(site, [registry.prefix(code) for code in registry.targets])
    except shared_assets.AssetsDiffer as exc:
        raise FinishFailed(str(exc)) from None
    with phase("the portal's scripts and style sheet minified"):
        minify.minify_site(site)
    with phase("sitemaps"):
        write_sitemaps(site, registry)
    try:
        with phase("search index"):
            report = search.index_site(site, list(registry.codes), extracts)
    except search.SearchIndexFailed as exc:
        raise FinishFailed(str(exc)) from None
    print("INFO    -  portal: search index (Pagefind) in %.1f s: %s" % (
        report.seconds, ", ".join(f"{lang} {n} pages" for lang, n in sorted(report.pages.items()))))


def _locs(sitemap: Path) -> list[str]:
    try:
        text = sitemap.read_text(encoding="utf-8")
    except OSError:
        return []
    return [m.replace("&amp;", "&") for m in re.findall(r"<loc>([^<]*)</loc>", text)]


def write_sitemaps(site: Path, registry: languages.Registry) -> None:
    """Replace each language build's own sitemap (its pages only) by the index and the per-language
    sitemaps with alternates. The site root is the source language's first <loc>."""
    pages: dict[str, list[str]] = {}
    root = None
    codes, source, _prefix = registry.codes, registry.source, registry.prefix
    for code in codes:
        folder = site / _prefix(code)
        locs = _locs(folder / "sitemap.xml")
        for leftover in ("sitemap.xml", "sitemap.xml.gz"):
            (folder / leftover).unlink(missing_ok=True)
        if code == source and locs:
            root = locs[0]  # MkDocs lists the home page first
        pages[code] = locs
    if not root or not root.startswith(("http://", "https://")):
        log.info("portal: no site_url, so no sitemap")
        return
    root = root if root.endswith("/") else root + "/"
    paths: dict[str, list[str]] = {}
    for code, locs in pages.items():
        base = root + _prefix(code)
        # in path order (the home page, "", first), whether the language was built in one piece or
        # in shards (site/shards.py), so the sitemaps are the same whatever the machine
        paths[code] = sorted({loc[len(base):] for loc in locs if loc.startswith(base)})
    present = {code: set(p) for code, p in paths.items()}
    for code in codes:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
        for path in paths[code]:
            lines.append(f"<url><loc>{escape(root + _prefix(code) + path)}</loc>")
            for other in codes:
                if path in present[other]:
                    href = quoteattr(root + _prefix(other) + path)
                    lines.append(f'<xhtml:link rel="alternate" hreflang="{other}" href={href}/>')
            lines.append("</url>")
        lines.append("</urlset>\n")
        (site / f"sitemap-{code}.xml").write_text("\n".join(lines), encoding="utf-8")
    index = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    index += [f"<sitemap><loc>{escape(root)}sitemap-{code}.xml</loc></sitemap>" for code in codes]
    index.append("</sitemapindex>\n")
    (site / "sitemap.xml").write_text("\n".join(index), encoding="utf-8")
