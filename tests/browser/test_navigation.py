"""Where the reader is (issue 20, navigation): on every page outside the side menu the menu shows its
catalogue as the current section and a breadcrumb trail leads back; headings read as headings; the
header's search says what it is where there is room. All three languages, at 1280 and 390 px.

Records used are real records of data/ (ekolend, xamk, the sprint session of 2020, the circular
supplies playbook entry, the st-petersburg region): a renamed record fails loudly here.
"""
from __future__ import annotations

import pytest

from .conftest import LANGUAGES, _watched_page

LANG_PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}
# (page, the catalogue it belongs to): one page of each kind that is not in the side menu.
PAGES = [
    ("projects/ekolend/", "projects/"),
    ("organizations/xamk/", "organizations/"),
    ("events/strategic-planning-forum-sprint-session-2020/", "events/"),
    ("playbooks/circular-supplies/", "playbooks/"),
    ("topics/regions/st-petersburg/", "topics/"),
    ("programmes/south-east-finland-russia-cbc-2014-2020/", "programmes/"),
]
# The home page's short menu entry and the trail's label, per language (scripts/locales/*.yml).
HOME = {"en": "Home", "ru": "Главная", "fi": "Etusivu"}
WIDTHS = [1280, 390]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def reader(request, browser, site_url):
    context, watched = _watched_page(browser, site_url, viewport={"width": request.param, "height": 900})
    yield watched, request.param
    context.close()


def _open(watched, site_url, lang, path):
    response = watched.page.goto(site_url + LANG_PREFIX[lang] + path)
    assert response.status == 200, path
    watched.page.wait_for_load_state("load")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path, catalogue", PAGES, ids=[p.split("/")[0] for p, _ in PAGES])
def test_a_record_page_shows_its_section_and_a_trail_home(reader, site_url, lang, path, catalogue):
    watched, width = reader
    _open(watched, site_url, lang, path)
    page = watched.page
    catalogue_url = site_url + LANG_PREFIX[lang] + catalogue
    # The side menu (a drawer on a phone) marks the catalogue as the current section.
    active = page.evaluate("""() => [...document.querySelectorAll(
        '.md-sidebar--primary .md-nav__item--active > a.md-nav__link')].map(a => a.href)""")
    assert catalogue_url in active, f"{path}: active menu entries {active}"
    # The trail: home, then the catalogue, each a link, visible above the heading.
    trail = page.locator("nav.portal-trail")
    assert trail.is_visible()
    assert trail.get_attribute("aria-label")
    links = trail.locator("a")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    assert hrefs[:2] == [site_url + LANG_PREFIX[lang], catalogue_url], hrefs
    assert links.nth(0).inner_text().strip() == HOME[lang]
    h1 = page.locator("article h1").first
    assert trail.bounding_box()["y"] < h1.bounding_box()["y"]
    # Nothing of the trail leaves the screen sideways on a phone.
    box = trail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_continuation_page_leads_back_to_its_record(reader, site_url, lang):
    watched, _ = reader
    # The countries' topic page of Russia runs over more than one page (render/listing.py).
    _open(watched, site_url, lang, "topics/countries/ru/page/2/")
    hrefs = watched.page.locator("nav.portal-trail a").evaluate_all("as => as.map(a => a.href)")
    assert hrefs == [site_url + LANG_PREFIX[lang], site_url + LANG_PREFIX[lang] + "topics/",
                     site_url + LANG_PREFIX[lang] + "topics/countries/ru/"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_menu_pages_have_no_trail_and_the_home_entry_is_short(reader, site_url, lang):
    watched, _ = reader
    _open(watched, site_url, lang, "projects/")
    page = watched.page
    assert page.locator("nav.portal-trail").count() == 0  # the menu shows where a menu page is
    first = page.locator(".md-sidebar--primary .md-nav--primary > .md-nav__list > .md-nav__item > a").first
    assert first.evaluate("a => a.textContent").strip() == HOME[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_headings_are_as_dark_as_the_text(reader, site_url, lang):
    watched, _ = reader
    _open(watched, site_url, lang, PAGES[0][0])
    colours = watched.page.evaluate("""() => {
        const c = el => getComputedStyle(el).color;
        const a = document.querySelector('article');
        return {h1: c(a.querySelector('h1')), h2: c(a.querySelector('h2')), p: c(a.querySelector('p'))};
    }""")
    assert colours["h1"] == colours["p"], colours
    assert colours["h1"] != "rgba(0, 0, 0, 0.54)"  # Material's light grey


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_header_search_says_what_it_is_on_wide_screens(reader, site_url, lang):
    watched, width = reader
    _open(watched, site_url, lang, "")
    button = watched.page.locator(".portal-search__open")
    button.wait_for(state="visible")
    label = watched.page.locator(".portal-search__open-label")
    text = label.inner_text().strip()
    assert text, "the search button has no label"
    box = label.bounding_box()
    if width >= 1280:
        assert box["width"] > 20 and box["height"] > 8, f"the label is not shown: {box}"
    else:  # a phone's header has room for the magnifier only; the label stays for screen readers
        assert box["width"] <= 1
