"""`{% portal_cache key %}…{% endportal_cache %}` in the theme overrides: a part of the page template
rendered once per build and key, then reused.

The side menu is the same on every record page of a language at the same depth with the same
section highlighted, and Material renders it again for each of them (6.8 % of a language's build at
10,000 records). overrides/main.html wraps it in this tag, keyed by what it depends on
(nav_key() below), so it is rendered once per key. The extension is Jinja's own documented pattern
(the FragmentCacheExtension of Jinja's extension docs); the cache lives on the environment, which
MkDocs makes anew for every build, so a rebuild of the preview never sees an old menu.
"""
from __future__ import annotations

import os

from jinja2 import nodes
from jinja2.ext import Extension
from mkdocs.utils import normalize_url


# PORTAL_NO_FRAGMENT_CACHE=1 renders every fragment for every page (tests/site/test_fragment_cache.py
# builds the site both ways and compares them byte for byte).
OFF = os.environ.get("PORTAL_NO_FRAGMENT_CACHE") == "1"


class FragmentCache(Extension):
    tags = {"portal_cache"}

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(portal_fragments={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = parser.parse_expression()
        body = parser.parse_statements(("name:endportal_cache",), drop_needle=True)
        return nodes.CallBlock(self.call_method("_cached", [key]), [], [], body).set_lineno(lineno)

    def _cached(self, key, caller):
        if key is None or OFF:  # nothing to key by (a page in the menu itself): rendered as usual
            return caller()
        fragments = self.environment.portal_fragments
        if key not in fragments:
            fragments[key] = caller()
        return fragments[key]


def nav_key(page, nav, config) -> tuple | None:
    """What the side menu of `page` depends on, or None when it depends on the page itself.

    Material's partials/nav.html, nav-item.html and logo.html read the page only to find it among
    the menu's pages (it is then marked and its table of contents shown there) and through the
    `url` filter, whose links are relative to the page: for a page outside the menu, the menu is
    that of any other page whose links to the menu's entries, the home page and the logo are the
    same, with the same entries marked active (the highlighted catalogue, hooks.on_page_context)."""
    if page is None or nav is None or page in nav.pages:
        return None
    items = list(_items(nav.items))
    targets = [getattr(item, "url", None) for item in items]
    targets += [config.extra.get("homepage") or (nav.homepage.url if nav.homepage else None),
                config.theme.get("logo")]
    return (tuple(None if t is None else normalize_url(str(t), page=page) for t in targets),
            tuple(i for i, item in enumerate(items) if item.active))


def _items(items):
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or [])
