"""The reader's experience in three languages, in headless Chromium (issue 5).

Record and page names used here are real records of data/ (ekolend, xamk, the st-petersburg region);
a test that needs one says which, so a renamed record fails loudly here, not silently.
"""
from __future__ import annotations

import json
import re

import pytest

from .conftest import LANGUAGES

RECORD = "projects/ekolend/"          # a project page in every language
CATALOGUE = "projects/"               # the project catalogue (filterable table)
ST_PETERSBURG = "topics/regions/st-petersburg/"
LANG_PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}
SEARCH_WAIT_MS = 30000  # a ceiling for a loaded 2-core machine, not a sleep


def goto(watched, site_url, path, lang="en"):
    response = watched.page.goto(site_url + LANG_PREFIX[lang] + path)
    watched.page.wait_for_load_state("load")
    return response


def assert_clean(watched):
    assert not watched.foreign, "requests to another host:\n" + "\n".join(watched.foreign)
    assert not watched.errors, "errors in the browser console:\n" + "\n".join(watched.errors)


# ------------------------------------------------------------------ pages render


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_renders_without_errors_or_foreign_requests(watched, site_url, artifacts, lang):
    response = goto(watched, site_url, "", lang)
    assert response.status == 200
    page = watched.page
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").first.is_visible()
    page.wait_for_load_state("networkidle")  # the search index and sitemap requests are done
    page.screenshot(path=str(artifacts / f"home-{lang}.png"), full_page=True)
    assert_clean(watched)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_record_and_catalogue_render_with_head_metadata(watched, site_url, artifacts, lang):
    goto(watched, site_url, RECORD, lang)
    page = watched.page
    assert page.evaluate("document.documentElement.lang") == lang
    page.screenshot(path=str(artifacts / f"record-{lang}.png"), full_page=True)
    head = page.evaluate("""() => ({
        canonical: document.querySelector('link[rel=canonical]')?.href,
        alternates: [...document.querySelectorAll('link[rel=alternate][hreflang]')]
                      .map(l => [l.hreflang, l.getAttribute('href')]),
        og: Object.fromEntries([...document.querySelectorAll('meta[property^="og:"]')]
                      .map(m => [m.getAttribute('property'), m.content])),
        twitter: document.querySelector('meta[name="twitter:card"]')?.content,
        jsonld: [...document.querySelectorAll('script[type="application/ld+json"]')]
                      .map(s => JSON.parse(s.textContent)),
    })""")
    langs = {h for h, _ in head["alternates"]}
    assert langs == {"en", "ru", "fi", "x-default"}
    for hreflang, href in head["alternates"]:
        assert re.match(r"^https?://", href), f"hreflang {hreflang} is not absolute: {href}"
        assert href.endswith("/" + RECORD), href
    assert head["canonical"].endswith(LANG_PREFIX[lang] + RECORD)
    for key in ("og:title", "og:url", "og:locale", "og:site_name", "og:type"):
        assert head["og"].get(key), f"missing {key}"
    assert head["twitter"] == "summary_large_image"  # the portal's card (issue 10)
    assert head["jsonld"] and head["jsonld"][0]["@type"] == "Project"
    assert head["jsonld"][0]["inLanguage"] == lang

    goto(watched, site_url, CATALOGUE, lang)
    page.screenshot(path=str(artifacts / f"catalogue-{lang}.png"), full_page=True)
    assert_clean(watched)


# ------------------------------------------------------------------ language switcher


def test_switcher_moves_between_versions_of_one_record(watched, site_url):
    page = watched.page
    goto(watched, site_url, RECORD, "en")
    for lang in ("ru", "fi", "en"):
        page.locator(".md-header__option .md-select").first.hover()
        link = page.locator(f".md-select__link[hreflang={lang}]").first
        link.wait_for(state="visible")
        with page.expect_navigation():
            link.click()
        assert page.url == site_url + LANG_PREFIX[lang] + RECORD
        assert page.evaluate("document.documentElement.lang") == lang
    assert_clean(watched)


# ------------------------------------------------------------------ search


def search(watched, query):
    """Type a query into Material's search and return [(href, title)] of the results."""
    page = watched.page
    page.keyboard.press("Escape")
    box = page.locator("input.md-search__input")
    opener = page.locator("label.md-header__button[for=__search]").first
    if not box.is_visible() and opener.is_visible():  # narrow screens: the search icon opens it
        opener.click()
    box.click()
    # Type only once the index is ready, as the reader sees it: "Initializing search" has given way
    # to the placeholder. A query sent earlier is first answered "no results", then re-run.
    page.wait_for_function(
        """() => {
            const t = JSON.parse(document.getElementById('__config').textContent).translations;
            const meta = document.querySelector('.md-search-result__meta');
            return meta && meta.textContent.trim() === t['search.result.placeholder'];
        }""", timeout=SEARCH_WAIT_MS)
    # Playwright's fill() types non-ASCII text without key events; Material listens for keyup.
    box.fill(query)
    box.dispatch_event("keyup")
    # Wait for what the reader waits for: the result count or the translated "no results" line.
    # Material first shows "Initializing search", then the placeholder, then one of these.
    page.wait_for_function(
        """() => {
            const t = JSON.parse(document.getElementById('__config').textContent).translations;
            const meta = document.querySelector('.md-search-result__meta');
            const text = meta ? meta.textContent.trim() : '';
            const count = text === t['search.result.none'] ? 0
                : text === t['search.result.one'] ? 1
                : (() => {
                    const [before, after] = t['search.result.other'].split('#');
                    const m = text.startsWith(before) && text.endsWith(after)
                        && /^\\d+$/.test(text.slice(before.length, text.length - after.length));
                    return m ? Number(text.slice(before.length, text.length - after.length)) : -1;
                })();
            if (count < 0) return false;
            const shown = document.querySelectorAll('.md-search-result__item').length;
            return shown >= Math.min(count, 5);
        }""", timeout=SEARCH_WAIT_MS)
    links = page.locator(".md-search-result__item > .md-search-result__link")
    return [(a.get_attribute("href"), a.locator("h1").first.inner_text() if a.locator("h1").count() else "")
            for a in links.all()]


def language_of(href: str, site_url: str) -> str:
    rest = href[len(site_url):] if href.startswith(site_url) else href
    first = rest.split("/", 1)[0]
    return first if first in ("ru", "fi") else "en"


@pytest.mark.parametrize("lang, query", [
    ("en", "circular economy"), ("ru", "circular economy"), ("fi", "circular economy"),
    ("ru", "кластер"), ("fi", "klusteri"), ("en", "cluster"),
])
def test_search_returns_only_the_readers_language(watched, site_url, lang, query):
    goto(watched, site_url, "", lang)
    results = search(watched, query)
    if lang == "en" or query not in ("circular economy",):
        assert results, f"no results for {query!r} on /{LANG_PREFIX[lang]}"
    wrong = [h for h, _ in results if language_of(h, site_url) != lang]
    assert not wrong, f"{query!r} on /{LANG_PREFIX[lang]} returned other languages: {wrong[:5]}"
    assert_clean(watched)


def index_docs(site_dir, lang):
    path = site_dir / LANG_PREFIX[lang] / "search" / "search_index.json"
    return json.loads(path.read_text(encoding="utf-8"))["docs"]


@pytest.mark.parametrize("lang, query, word", [
    ("ru", "отходов", "отходы"),
    ("fi", "kiertotalouden", "kiertotalous"),
])
def test_search_stems_inflected_words(watched, site_url, site_dir, lang, query, word):
    # The pages that say the base form but never the query's form must be found.
    pattern = re.compile(r"(?<!\w)" + word + r"(?!\w)", re.I)
    only_base = {d["location"].split("#")[0] for d in index_docs(site_dir, lang)
                 if pattern.search(d["title"] + " " + d["text"]) and query not in (d["title"] + d["text"]).lower()}
    assert only_base, f"test data: no {lang} page says {word!r} without {query!r}"
    goto(watched, site_url, "", lang)
    results = search(watched, query)
    found = {h[len(site_url) + len(LANG_PREFIX[lang]):].split("?")[0].split("#")[0] for h, _ in results}
    assert found & only_base, f"{query!r} found none of the pages saying {word!r}: {sorted(only_base)[:5]}"
    assert_clean(watched)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_place_names_are_found_in_any_script(watched, site_url, lang):
    """Pietari, Санкт-Петербург and Saint Petersburg find the same records, in every language."""
    target = site_url + LANG_PREFIX[lang] + ST_PETERSBURG
    tops = {}
    for query in ("Pietari", "Санкт-Петербург", "Saint Petersburg"):
        goto(watched, site_url, "", lang)
        hrefs = [h.split("?")[0] for h, _ in search(watched, query)]
        assert target in hrefs[:5], f"{query!r} on /{LANG_PREFIX[lang]}: St. Petersburg not in top 5: {hrefs[:5]}"
        assert all(language_of(h, site_url) == lang for h in hrefs)
        tops[query] = set(hrefs[:5])
    common = set.intersection(*tops.values())
    assert len(common) >= 4, f"the three spellings share only {len(common)} of their top 5: {tops}"


@pytest.mark.parametrize("lang, query, path", [
    ("en", "Xamk", "organizations/xamk/"),
    ("ru", "Xamk", "organizations/xamk/"),
    ("fi", "EKOLEND", "projects/ekolend/"),
    ("ru", "EKOLEND", "projects/ekolend/"),
])
def test_titles_and_acronyms_rank_first(watched, site_url, lang, query, path):
    goto(watched, site_url, "", lang)
    results = search(watched, query)
    assert results, f"no results for {query!r}"
    assert results[0][0].split("?")[0] == site_url + LANG_PREFIX[lang] + path, results[:3]


# ------------------------------------------------------------------ catalogue filter


def visible_rows(page):
    return page.locator("table.portal-catalogue tbody tr:visible").count()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_filter_narrows_and_survives_reload(watched, site_url, lang):
    page = watched.page
    goto(watched, site_url, CATALOGUE, lang)
    total = page.locator("table.portal-catalogue tbody tr").count()
    assert total > 1 and visible_rows(page) == total
    form = page.locator("form.portal-filter")
    assert form.is_visible()
    # A facet value that only some rows carry.
    chosen = None
    for select in form.locator("select").all():
        name = select.get_attribute("name")
        for value in [o.get_attribute("value") for o in select.locator("option").all()][1:]:
            carrying = page.locator(f'table.portal-catalogue tbody tr[data-{name}~="{value}"]').count()
            if 0 < carrying < total:
                chosen = (select, name, value, carrying)
                break
        if chosen:
            break
    assert chosen, "no facet value narrows this catalogue"
    select, name, value, carrying = chosen
    select.select_option(value)
    assert visible_rows(page) == carrying
    assert f"{name}={value}" in page.url
    page.reload()
    page.wait_for_load_state("load")
    assert page.locator(f"form.portal-filter select[name={name}]").input_value() == value
    assert visible_rows(page) == carrying
    # Text filter on top: the first visible row's link text narrows to that row.
    first = page.locator("table.portal-catalogue tbody tr:visible a").first.inner_text()
    page.locator("form.portal-filter input[type=search]").fill(first)
    assert 1 <= visible_rows(page) <= carrying
    assert "q=" in page.url
    page.locator("form.portal-filter .portal-filter__reset").click()
    assert visible_rows(page) == total
    assert_clean(watched)


def test_catalogue_without_javascript_is_a_complete_table(browser, site_url, site_dir):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + CATALOGUE + "?statuses=closed")
    rows = page.locator("table.portal-catalogue tbody tr")
    assert rows.count() == page.locator("table.portal-catalogue tbody tr:visible").count() > 1
    assert not page.locator("form.portal-filter").is_visible()
    context.close()


# ------------------------------------------------------------------ 404


@pytest.mark.parametrize("lang, heading", [
    ("fi", "Sivua ei löytynyt"), ("ru", "Страница не найдена"), ("en", "Page not found")])
def test_missing_page_answers_in_its_language(watched, site_url, lang, heading):
    response = watched.page.goto(site_url + LANG_PREFIX[lang] + "no/such/page/")
    assert response.status == 404
    page = watched.page
    assert page.evaluate("document.documentElement.lang") == lang
    visible = page.locator(".portal-404 section:visible h1").all_inner_texts()
    assert visible == [heading]
    home = page.locator(".portal-404 section:visible a").first.get_attribute("href")
    assert home.rstrip("/").endswith(("/" + lang) if lang != "en" else site_url.rstrip("/").rsplit("/", 1)[-1])
    # Console errors other than the 404 of the page itself.
    others = [e for e in watched.errors if "404" not in e]
    assert not others and not watched.foreign, (others, watched.foreign)


# ------------------------------------------------------------------ accessibility


AXE_PAGES = [("", "home"), (CATALOGUE, "catalogue"), (RECORD, "record")]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path, name", AXE_PAGES, ids=[n for _, n in AXE_PAGES])
def test_axe_finds_no_serious_or_critical_violation(audited, site_url, axe_source, lang, path, name):
    page = audited.page
    goto(audited, site_url, path, lang)
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {name} ({lang}):\n" + "\n".join(
        f"  {v['impact']}: {v['id']} – {v['help']} {v['nodes']}" for v in bad)


# ------------------------------------------------------------------ keyboard


def test_search_works_with_the_keyboard(watched, site_url):
    page = watched.page
    goto(watched, site_url, "", "fi")
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    box = page.locator("input.md-search__input")
    assert page.evaluate("document.activeElement === document.querySelector('input.md-search__input')")
    page.keyboard.type("EKOLEND")
    page.wait_for_selector(".md-search-result__item", timeout=SEARCH_WAIT_MS)
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0] == site_url + "fi/" + RECORD
    assert box is not None


def test_catalogue_filter_works_with_the_keyboard(watched, site_url):
    page = watched.page
    goto(watched, site_url, CATALOGUE, "ru")
    total = page.locator("table.portal-catalogue tbody tr").count()
    search_box = "form.portal-filter input[type=search]"
    for _ in range(80):  # Tab through the page until the filter's text box has the focus
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector('{search_box}')"):
            break
    else:
        pytest.fail("the filter's text box cannot be reached with Tab")
    page.keyboard.type("EKOLEND")
    assert 1 <= visible_rows(page) < total
    page.keyboard.press("Tab")  # next control: the first facet select
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    for _ in range(30):  # Shift+Tab/Tab reach the reset button; Enter/Space activate it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('portal-filter__reset')"):
            break
    page.keyboard.press("Enter")
    assert visible_rows(page) == total
    # Focus is visible on the focused control (an outline or box-shadow is drawn).
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow; }""")
    assert "none 0px none" not in style, style
