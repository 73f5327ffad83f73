"""One copy of the theme's and the portal's assets for every language, and one sitemap request per
page view (issue 21; scripts/portal/site/shared_assets.py, overrides/assets/portal/portal.js).

Served as GitHub Pages serves the site (tests/browser/server.py: its caching headers too), under the
base path of site_url.
"""
from __future__ import annotations

import pytest

from . import server
from .test_portal import LANG_PREFIX, RECORD, assert_clean, goto, switch_language
from .test_search import search

# What Material's and the portal's style sheets set (and an unstyled page lacks): the header's
# colour and place, the room the portal keeps for the search button, the button's label.
STYLES = """() => {
    const css = (selector, name) => getComputedStyle(document.querySelector(selector))[name];
    return {header: [css('.md-header', 'backgroundColor'), css('.md-header', 'position')],
            inner: css('.md-header__inner', 'paddingRight'),
            label: css('.portal-search__open-label', 'position'),
            sheets: [...document.styleSheets].map(s => [s.href, s.cssRules.length]),
            scripts: [document.documentElement.classList.contains('js'), typeof window.portal]};
}"""


def _theme_file(path: str) -> bool:
    return "/assets/" in path and not path.endswith((".png", ".svg"))


@pytest.mark.parametrize("lang", ["ru", "fi"])
@pytest.mark.parametrize("path", ["", RECORD])
def test_a_language_loads_the_root_assets_and_styles_hold(watched, site_url, lang, path):
    page = watched.page
    failed, requested = [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    goto(watched, site_url, path, lang)
    page.wait_for_load_state("networkidle")
    own = [u for u in requested if f"/{lang}/assets/" in u]
    assert not own, f"requests into /{lang}/assets/:\n" + "\n".join(own)
    theme = [u for u in requested if u.startswith(site_url + "assets/")]
    assert any(u.endswith(".css") for u in theme) and any(u.endswith(".js") for u in theme), requested
    assert not failed, "\n".join(failed)
    styles = page.evaluate(STYLES)
    goto(watched, site_url, path, "en")
    english = page.evaluate(STYLES)
    # Styled as the English page is, from the same files: not the browser's defaults.
    assert styles["header"] == english["header"] and styles["header"][1] == "sticky", styles
    assert styles["header"][0] not in ("rgba(0, 0, 0, 0)", "transparent"), styles
    assert styles["inner"] == english["inner"] != "0px" and styles["label"] == english["label"], styles
    assert styles["sheets"] == english["sheets"] and all(n > 0 for _, n in styles["sheets"]), styles
    assert styles["scripts"] == [True, "object"], styles  # Material's bundle and portal.js ran
    assert_clean(watched)


@pytest.fixture(scope="module")
def cached_server(site_dir, base_path):
    """A server of its own, whose request log this module reads (server.requests)."""
    srv, url = server.start(site_dir, base_path)
    yield srv, url
    srv.shutdown()


def test_switching_language_takes_the_theme_from_the_cache(browser, cached_server):
    """A reader on the English home page who switches to Russian downloads the Russian page, not the
    theme's style sheets and scripts again: the same URLs, from the browser's cache. The context is
    not routed (Playwright's routing turns the HTTP cache off)."""
    srv, url = cached_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        first = [p for _, p, status in srv.requests if status == 200 and _theme_file(p)]
        assert any(p.endswith(".css") for p in first) and any(p.endswith(".js") for p in first), first
        start = len(srv.requests)
        switch_language(page, "ru")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == "ru"
        after = srv.requests[start:]
        again = [f"{status} {p}" for _, p, status in after if _theme_file(p)]
        assert not again, "theme files asked for again after the switch:\n" + "\n".join(again)
        assert any(p == urlpath(url) + "ru/" for _, p, _ in after), after  # the page itself came
        used = page.evaluate("""() => [...document.querySelectorAll('link[rel=stylesheet], script[src]')]
                                       .map(e => new URL(e.href || e.src).pathname)""")
        assert sorted(p for p in used if _theme_file(p)) == sorted(set(first)), (used, first)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert not errors, errors
    finally:
        context.close()


def urlpath(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _sitemap_requests(requests: list) -> list:
    return [r for r in requests if r.url.split("?")[0].endswith("sitemap.xml")]


@pytest.mark.parametrize("lang", ["en", "ru", "fi"])
def test_a_page_view_and_a_first_search_ask_for_the_sitemap_once(watched, site_url, lang):
    page = watched.page
    requests, answers = [], {}
    page.on("request", lambda r: requests.append(r))
    page.on("response", lambda r: answers.__setitem__(r.url, r.status))
    goto(watched, site_url, RECORD, lang)
    page.wait_for_load_state("networkidle")  # Material's language selector has asked by now
    sitemaps = _sitemap_requests(requests)
    assert len(sitemaps) <= 1, [r.url for r in sitemaps]
    assert all(r.url == site_url + "sitemap.xml" and answers.get(r.url) == 200 for r in sitemaps), \
        [(r.url, answers.get(r.url)) for r in sitemaps]
    assert search(watched, lang, {"en": "waste", "ru": "отходов", "fi": "kiertotalouden"}[lang])
    page.wait_for_load_state("networkidle")
    assert len(_sitemap_requests(requests)) == len(sitemaps), [r.url for r in _sitemap_requests(requests)]
    assert_clean(watched)
