"""Data, statistics and map pages (issue 10) as readers see them: each language, desktop and phone
width, light and dark, no request to another host, no console error; axe on each; the catalogue's
"download these rows" gives exactly the rows shown."""
from __future__ import annotations

import csv
import io
import re

import pytest

from .conftest import LANGUAGES, serious_axe_violations
from .test_portal import LANG_PREFIX, assert_clean

PAGES = [("data/", "data", "table.portal-data-files"), ("statistics/", "statistics", "div.portal-chart__bars"),
         ("map/", "map", "svg.portal-map__svg:visible")]
WIDTHS = [1280, 390]


def _context(browser, site_url, width: int, scheme: str, **options):
    from .conftest import Watched
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB",
                                  color_scheme=scheme, **options)
    origin = "/".join(site_url.split("/", 3)[:3])
    context.route(re.compile(r"^(?!" + re.escape(origin) + r"/).*"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, Watched(page, origin)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_data_statistics_and_map_pages_render(browser, site_url, artifacts, lang, width, scheme):
    context, watched = _context(browser, site_url, width, scheme)
    try:
        page = watched.page
        for path, name, selector in PAGES:
            response = page.goto(site_url + LANG_PREFIX[lang] + path)
            assert response.status == 200, path
            page.locator("h1").first.wait_for(state="visible")
            page.locator(selector).first.wait_for(state="visible")
            assert page.evaluate("document.documentElement.lang") == lang
            # What the reader sees fits the screen: nothing wider than the viewport but tables' scrollers.
            overflow = page.evaluate("""() => document.documentElement.scrollWidth - window.innerWidth""")
            assert overflow <= 0, f"{name} ({lang}, {width}px) is {overflow}px wider than the screen"
            if name == "map":
                # every region of the map is a link to a page that exists
                for href in page.eval_on_selector_all("svg.portal-map__svg a", "as => as.map(a => a.href.baseVal ?? a.getAttribute('href'))"):
                    target = page.evaluate("h => new URL(h, location.href).href", href)
                    assert page.request.get(target).status == 200, target
            page.screenshot(path=str(artifacts / f"{name}-{lang}-{width}-{scheme}.png"), full_page=True)
        assert_clean(watched)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path, name", [(p, n) for p, n, _ in PAGES], ids=[n for _, n, _ in PAGES])
def test_axe_on_data_statistics_and_map(browser, site_url, axe_source, lang, path, name):
    for width in WIDTHS:
        for scheme in ("light", "dark"):
            context, watched = _context(browser, site_url, width, scheme, bypass_csp=True)
            try:
                page = watched.page
                page.goto(site_url + LANG_PREFIX[lang] + path)
                page.locator("h1").first.wait_for(state="visible")
                bad = serious_axe_violations(page, axe_source, "document.querySelector('article') || document")
                assert not bad, f"axe on {name} ({lang}, {width}px, {scheme}):\n" + "\n".join(
                    f"  {v}" for v in bad)
            finally:
                context.close()


def _download(page) -> str:
    with page.expect_download() as info:
        page.locator(".portal-download__button").click()
    text = open(info.value.path(), encoding="utf-8", newline="").read()
    assert text.startswith("\ufeff"), "a UTF-8 byte order mark, as the published files have"
    return text[1:]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_download_these_rows_gives_exactly_the_rows_shown(browser, site_url, lang):
    context, watched = _context(browser, site_url, 1280, "light", accept_downloads=True)
    try:
        page = watched.page
        page.goto(site_url + LANG_PREFIX[lang] + "projects/")
        page.locator(".portal-download__button").wait_for(state="visible")
        everything = _download(page)
        published = page.request.get(site_url + f"data/projects.{lang}.csv").body().decode("utf-8-sig")
        # With no filter the download holds exactly the published file's lines of the rows this
        # catalogue page shows (in the table's order, which the reader sees, where the file is
        # ordered by id; a catalogue of more than one page shows its first page).
        on_page = page.evaluate("() => [...document.querySelectorAll('table.portal-catalogue tbody tr[data-id]')]"
                                ".map(r => r.dataset.id)")
        assert everything.split("\r\n", 1)[0] == published.split("\r\n", 1)[0]
        header, *lines = published.split("\r\n")
        mine = [line for line in lines if line and next(csv.reader([line]))[0] in set(on_page)]
        assert len(mine) == len(on_page)
        assert sorted(l for l in everything.split("\r\n")[1:] if l) == sorted(mine)
        # Filter to one record the way a reader does, then download again.
        page.locator("form.portal-filter input[type=search]").fill("ekolend")
        # The filter answers from the search index, asynchronously: wait for the rows the reader sees.
        visible = ("() => [...document.querySelectorAll('table.portal-catalogue tbody tr[data-id]')]"
                   ".filter(r => r.getClientRects().length).map(r => r.dataset.id)")
        page.wait_for_function(f"() => JSON.stringify(({visible})()) === JSON.stringify(['ekolend'])")
        shown = page.evaluate(visible)
        assert shown == ["ekolend"]
        rows = list(csv.DictReader(io.StringIO(_download(page))))
        assert [r["id"] for r in rows] == shown
        assert rows[0] == next(csv.DictReader(io.StringIO(published.split("\r\n", 1)[0] + "\r\n" + next(
            line for line in published.split("\r\n") if line.startswith("ekolend,")) + "\r\n")))
        assert_clean(watched)
    finally:
        context.close()


# ------------------------------------------------------------------ every reader (item 6)

PAGE_KINDS = [("", "home"), ("projects/", "catalogue"), ("projects/ekolend/", "project"),
              ("organizations/xamk/", "organization"), ("events/green-day-forum-2020/", "event"),
              ("playbooks/circular-supplies/", "playbook"), ("topics/regions/st-petersburg/", "topic"),
              ("glossary/", "glossary"), ("no-such-page/", "404")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_dark_and_light_at_phone_and_desktop_width(browser, site_url, axe_source, lang):
    problems = []
    for width in WIDTHS:
        for scheme in ("dark", "light"):
            context, watched = _context(browser, site_url, width, scheme, bypass_csp=True)
            try:
                page = watched.page
                for path, name in PAGE_KINDS:
                    page.goto(site_url + LANG_PREFIX[lang] + path)
                    # The root 404 page sends a missing /ru/… to ru/404.html: wait for the page of
                    # the reader's language, loaded.
                    page.wait_for_function("""lang => document.documentElement.lang === lang
                        && document.readyState === 'complete'""", arg=lang)
                    page.locator("h1 >> visible=true").first.wait_for(state="visible")
                    problems += [f"{name} {width}px {scheme}: {v}" for v in serious_axe_violations(page, axe_source)]
            finally:
                context.close()
    assert not problems, f"axe ({lang}):\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tab_at_phone_width_never_stops_in_the_closed_side_menu(browser, site_url, lang):
    context, watched = _context(browser, site_url, 390, "light")
    try:
        page = watched.page
        page.goto(site_url + LANG_PREFIX[lang] + "projects/")
        page.locator("h1").first.wait_for(state="visible")
        stops = []
        for _ in range(25):
            page.keyboard.press("Tab")
            stops.append(page.evaluate("""() => { const e = document.activeElement;
                return [e.closest('.md-sidebar--primary') !== null, e.closest('article') !== null]; }"""))
        assert not any(in_menu for in_menu, _ in stops), "Tab reached the closed side menu"
        assert any(in_content for _, in_content in stops), "Tab reaches the page content"
        # Opened, the menu is reachable again.
        page.locator("label.md-header__button[for=__drawer]").click()
        page.locator(".md-sidebar--primary a").first.wait_for(state="visible")
        page.locator(".md-sidebar--primary a").first.focus()
        assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
    finally:
        context.close()
