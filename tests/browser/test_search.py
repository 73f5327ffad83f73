"""The site search (Pagefind, overrides/assets/portal/search.js) as a reader uses it, per language.

Every test waits for what the reader sees: the status line under the search box giving the number
of results (or "no results") in the page's language, then the results. Records named here are real
records of data/ (sitra, xamk, ekolend, the st-petersburg region, the resource-recovery and
circular-supplies playbooks); a renamed record fails here loudly.
"""
from __future__ import annotations

import re

import pytest
import yaml

from .conftest import LANGUAGES, ROOT
from .test_portal import LANG_PREFIX, assert_clean, goto

WAIT_MS = 30000  # a ceiling for a loaded 2-core machine, not a sleep
STRINGS = {lang: yaml.safe_load((ROOT / f"scripts/locales/{lang}.yml").read_text(encoding="utf-8"))["search"]
           for lang in LANGUAGES}


def status_pattern(lang: str) -> str:
    """The status line once a search is answered: a count in any plural form, or "no results"."""
    forms = [re.escape(f).replace(re.escape("{count}"), r"\d+") for f in STRINGS[lang]["count"].values()]
    return "^(" + "|".join(forms + [re.escape(STRINGS[lang]["none"])]) + ")$"


def search(watched, lang: str, query: str) -> list[dict]:
    """Open the search with its button, type the query, wait for the answer; the results shown."""
    page = watched.page
    if not page.locator(".portal-search__dialog").is_visible():
        page.locator(".portal-search__open").click()
    box = page.locator("#portal-search-input")
    if box.input_value():  # a search before this one: cleared first, so its answer is not taken for this one's
        box.fill("")
        page.wait_for_function("() => !document.querySelector('.portal-search__status').textContent.trim()",
                               timeout=WAIT_MS)
    box.fill(query)
    page.wait_for_function(
        """([query, pattern]) => {
            const box = document.getElementById('portal-search-input');
            const status = document.querySelector('.portal-search__status').textContent.trim();
            return box.value === query && new RegExp(pattern).test(status);
        }""", arg=[query, status_pattern(lang)], timeout=WAIT_MS)
    return shown_results(watched)


def shown_results(watched) -> list[dict]:
    return watched.page.evaluate("""() => [...document.querySelectorAll('.portal-search__result')].map(a => ({
        href: a.href, kind: a.querySelector('.portal-search__kind').textContent,
        title: a.querySelector('.portal-search__result-title').textContent,
        excerpt: a.querySelector('.portal-search__excerpt').textContent,
        marks: [...a.querySelectorAll('.portal-search__excerpt mark')].map(m => m.textContent),
        text: a.textContent}))""")


def status(watched) -> str:
    return watched.page.locator(".portal-search__status").inner_text().strip()


def path_of(href: str, site_url: str, lang: str) -> str:
    prefix = site_url + LANG_PREFIX[lang]
    assert href.startswith(prefix), f"{href} is not a page of /{LANG_PREFIX[lang]}"
    return href[len(prefix):].split("?")[0].split("#")[0]


def assert_no_missing_label(results):
    # Material's search marked words found only through their stem as "Missing: ~~word~~".
    for r in results:
        assert not re.search(r"Missing|Отсутствует|Puuttuu|~~", r["text"]), r


# ------------------------------------------------------------------ inflected words


@pytest.mark.parametrize("lang, query, record", [
    ("ru", "извлечением", "playbooks/resource-recovery/"),   # its title says "Извлечение"; no page has this form
    ("fi", "kiertotalouden", "topics/themes/circular-economy/"),  # "Kiertotalous"
    ("en", "recycling", "playbooks/circular-supplies/"),  # says "recycle", never "recycling"
])
def test_an_inflected_query_finds_the_record(watched, site_url, site_dir, lang, query, record):
    goto(watched, site_url, "", lang)
    results = search(watched, lang, query)
    # Found at all (recall): the reader may page through "Show more". Where it ranks among the
    # many pages that use the query's own form is not asked here (their titles answer it as well).
    more = watched.page.locator(".portal-search__more")

    def literal(path):
        return query in (site_dir / LANG_PREFIX[lang] / path / "index.html").read_text(encoding="utf-8").lower()

    for _ in range(10):
        paths = [path_of(r["href"], site_url, lang) for r in results]
        # Until the record is shown, and a result found through another form of the word.
        if (record in paths and not all(literal(p) for p in paths)) or not more.is_visible():
            break
        shown = len(results)
        more.click()
        watched.page.wait_for_function("(n) => document.querySelectorAll('.portal-search__result').length > n",
                                       arg=shown, timeout=WAIT_MS)
        results = shown_results(watched)
    paths = [path_of(r["href"], site_url, lang) for r in results]
    assert record in paths, f"{query!r} on /{LANG_PREFIX[lang]}: {record} not among {paths}"
    # Found through another form of the word: some shown result never says the query's form.
    other_form = [p for p in paths if not literal(p)]
    assert other_form, f"every result of {query!r} contains it literally: no stemming was needed"
    hit = next(r for r in results if path_of(r["href"], site_url, lang) == record)
    assert hit["kind"] and hit["title"] and hit["marks"], hit
    assert_no_missing_label(results)
    assert_clean(watched)


# ------------------------------------------------------------------ names in another script


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("query, record", [
    # The bare place name finds the place, not the "Pietarin …" organizations (its own one-word
    # names are the metadata `keys`: render/search_fields.one_word).
    ("Pietari", "topics/regions/st-petersburg/"),
    ("Санкт-Петербург", "topics/regions/st-petersburg/"),
    ("Saint Petersburg", "topics/regions/st-petersburg/"),
    ("Ленобласть", "topics/regions/leningrad-region/"),
    ("Ситра", "organizations/sitra/"),
    ("Sitra", "organizations/sitra/"),
    ("Xamk", "organizations/xamk/"),
    ("EKOLEND", "projects/ekolend/"),
])
def test_names_in_any_script_and_acronyms_find_their_record_first(watched, site_url, lang, query, record):
    goto(watched, site_url, "", lang)
    results = search(watched, lang, query)
    assert results, f"no results for {query!r} on /{LANG_PREFIX[lang]}"
    paths = [path_of(r["href"], site_url, lang) for r in results]  # and all in the reader's language
    assert paths[0] == record, f"{query!r} on /{LANG_PREFIX[lang]}: first is {paths[0]}, not {record}"
    assert_no_missing_label(results)
    assert_clean(watched)


# Spelling variants and abbreviations of the regions as readers type them: the variants are the
# regions' `aliases` in data/vocabularies/regions.yml (the editors' list); written apart or with a
# hyphen, the query is also run in the other form (search.js variants()).
REGION_QUERIES = {
    "topics/regions/st-petersburg/": ["Санкт-Петербург", "Петербург", "СПб", "Питер", "Pietari", "SPb",
                                      "St Petersburg"],
    "topics/regions/leningrad-region/": ["Ленобласть", "Ленинградская обл.", "ЛО", "Leningrad oblast"],
    "topics/regions/south-east-finland/": ["Kaakkois-Suomi", "Kaakkois Suomi", "South East Finland"],
    "topics/regions/ida-virumaa/": ["Ida-Viru", "Ida Viru", "Ida-Virumaa", "Ида-Вирумаа", "Ида Вирумаа",
                                    "Itä-Viru", "Itä-Virumaa"],
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_spelling_variants_and_abbreviations_find_the_region_first(watched, site_url, lang):
    goto(watched, site_url, "", lang)
    wrong = []
    for region, queries in REGION_QUERIES.items():
        for query in queries:
            paths = [path_of(r["href"], site_url, lang) for r in search(watched, lang, query)]
            if not paths or paths[0] != region:
                wrong.append(f"{query!r}: {paths[:3]}")
    assert not wrong, f"on /{LANG_PREFIX[lang]} not first for {len(wrong)} queries:\n" + "\n".join(wrong)
    assert_clean(watched)


def regions_of(site_dir, lang: str, path: str) -> set[str]:
    """The region filter values of a built page (overrides/partials/portal/search-data.html)."""
    html = (site_dir / LANG_PREFIX[lang] / path / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'data-pagefind-filter="regions">([^<]+)<', html))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("query, region", [("СПб", "st-petersburg"), ("Питер", "st-petersburg"),
                                           ("SPb", "st-petersburg"), ("Ленобласть", "leningrad-region"),
                                           ("ЛО", "leningrad-region")])
def test_an_abbreviation_of_a_region_finds_its_records_too(watched, site_url, site_dir, lang, query, region):
    # Records carry their regions' variants as body text (weight 1): after the region's page, the
    # records of the region, none of which writes the abbreviation on its page.
    goto(watched, site_url, "", lang)
    results = search(watched, lang, query)
    paths = [path_of(r["href"], site_url, lang) for r in results]
    assert paths[0] == f"topics/regions/{region}/", paths[:3]
    records = [p for p in paths[1:] if region in regions_of(site_dir, lang, p)]
    assert len(records) >= 5, f"{query!r} on /{LANG_PREFIX[lang]}: records of {region} among {paths}"
    assert_clean(watched)


@pytest.mark.parametrize("lang, query, kind", [
    ("fi", "kiertotalous-hanke", "project"),  # the pages write "kiertotalous" and "hanke" apart
    ("fi", "kiertotalous hanke", "project"),
    ("fi", "jäte huolto", "project"),  # the pages write "jätehuolto", one word
    ("ru", "Ида Вирумаа", "project"),  # the pages write "Ида-Вирумаа"
    ("en", "Ida Viru", "project"),
])
def test_compounds_hyphenated_or_written_apart_find_the_records(watched, site_url, lang, query, kind):
    goto(watched, site_url, "", lang)
    results = search(watched, lang, query)
    project = STRINGS[lang]["kinds"][kind]
    records = [r for r in results[:8] if r["kind"] == project]
    assert len(records) >= 3, f"{query!r} on /{LANG_PREFIX[lang]}: {[(r['kind'], r['title']) for r in results[:8]]}"
    if lang == "fi" and "hanke" in query:  # the query names the kind: a project first
        assert results[0]["kind"] == project, results[0]
    assert_clean(watched)


@pytest.mark.parametrize("lang, query, record", [
    ("fi", "Pietarin teknologiapuisto", "organizations/st-petersburg-technopark/"),
    ("ru", "Технопарк Санкт-Петербурга", "organizations/st-petersburg-technopark/"),
    ("en", "Technopark of St. Petersburg", "organizations/st-petersburg-technopark/"),
    ("fi", "Kymenlaakson kiertotalous-Hubi", "projects/kymenlaakso-circular-economy-hub/"),
    ("ru", "Сланцевская больница", "organizations/slantsy-central-regional-hospital/"),
    ("en", "Ida-Viru hospital", "organizations/ida-viru-central-hospital/"),
])
def test_a_query_naming_a_record_finds_the_record_before_topic_pages(watched, site_url, lang, query, record):
    goto(watched, site_url, "", lang)
    paths = [path_of(r["href"], site_url, lang) for r in search(watched, lang, query)]
    assert paths[0] == record, f"{query!r} on /{LANG_PREFIX[lang]}: {paths[:4]}"
    assert_clean(watched)


# ------------------------------------------------------------------ excerpts


def hidden_names(site_dir, lang: str, path: str) -> list[str]:
    """The names of a built page's hidden names block that its visible text does not hold: what an
    excerpt must never show (overrides/partials/portal/search-data.html)."""
    import html as html_lib
    text = (site_dir / LANG_PREFIX[lang] / path / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<p class="portal-search-names" hidden>(.*?)</p>', text, re.S)
    if not block:
        return []
    names = [html_lib.unescape(n).strip() for span in re.findall(r"<span[^>]*>(.*?)</span>", block.group(1))
             for n in span.split(" · ")]
    rest = html_lib.unescape(re.sub(r"<[^>]+>", " ", text.replace(block.group(0), "")))
    visible = re.sub(r"\s+", " ", rest)
    return [n for n in names if n and n not in visible]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_excerpts_show_the_page_in_its_language_never_the_hidden_names(watched, site_url, site_dir, lang):
    goto(watched, site_url, "", lang)
    shown = 0
    for query in ("Pietari", "Санкт-Петербург", "Ситра", "Sitra", "СПб", "Ida-Viru", "EKOLEND", "Xamk"):
        for r in search(watched, lang, query):
            path = path_of(r["href"], site_url, lang)
            names = hidden_names(site_dir, lang, path)
            leaked = [n for n in names if n in r["excerpt"]]
            assert not leaked, f"{query!r} on /{LANG_PREFIX[lang]}: the excerpt of {path} shows {leaked}: {r['excerpt']!r}"
            assert r["excerpt"].strip(), f"{query!r}: {path} has no excerpt"
            shown += bool(names)
    assert shown >= 20, "too few results with a names block to show anything"
    assert_clean(watched)


# ------------------------------------------------------------------ without JavaScript


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_search_says_what_to_do_instead(no_script, site_url, artifacts, lang, width):
    page = no_script.page
    page.set_viewport_size({"width": width, "height": 844})
    goto(no_script, site_url, "projects/ekolend/", lang)
    assert not page.locator(".portal-search__open:not(summary)").is_visible()  # the script's button
    words = yaml.safe_load((ROOT / f"scripts/locales/{lang}.yml").read_text(encoding="utf-8"))["search_without_js"]
    summary = page.locator("summary.portal-search__open")
    assert summary.is_visible()
    box = summary.bounding_box()
    assert box["x"] + box["width"] <= width and box["y"] < 48, box  # in the header, as the search is
    panel = page.locator(".portal-search-nojs__panel")
    assert not panel.is_visible()
    summary.click()
    assert panel.is_visible()
    assert panel.locator(".portal-search-nojs__title").inner_text() == words["title"]
    assert words["text"] in panel.inner_text()
    inside = panel.bounding_box()
    assert inside["x"] >= 0 and inside["x"] + inside["width"] <= width, inside
    page.screenshot(path=str(artifacts / f"search-nojs-{lang}-{width}.png"))
    links = panel.locator("a")
    hrefs = [links.nth(i).evaluate("a => a.href") for i in range(links.count())]
    expected = [site_url + LANG_PREFIX[lang] + p for p in
                ("projects/", "organizations/", "events/", "playbooks/", "programmes/", "topics/")]
    assert hrefs == expected
    with page.expect_navigation():
        links.nth(0).click()
    assert page.url == expected[0]
    assert page.locator("h1").first.inner_text().strip()
    assert not no_script.errors


def test_with_javascript_the_note_is_not_there(watched, site_url):
    goto(watched, site_url, "", "ru")
    assert watched.page.locator(".portal-search__open").is_visible()
    assert watched.page.locator(".portal-search-nojs").count() == 0  # <noscript> is text when scripts run


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_name_in_another_script_adds_no_noise(watched, site_url, lang):
    # "Ситра" is Sitra's alias; only Sitra's own page carries it on /en/ and /fi/ (it matched 74
    # pages when every page mentioning Sitra was searched under all its names).
    goto(watched, site_url, "", lang)
    results = search(watched, lang, "Ситра")
    assert [path_of(r["href"], site_url, lang) for r in results] == ["organizations/sitra/"]
    assert status(watched) == STRINGS[lang]["count"]["one"].replace("{count}", "1")


def test_no_results_says_so_in_the_readers_language(watched, site_url):
    goto(watched, site_url, "", "ru")
    assert search(watched, "ru", "qzxwvy") == []
    assert status(watched) == STRINGS["ru"]["none"]


# ------------------------------------------------------------------ the box itself


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_box_speaks_the_readers_language_on_every_page(watched, site_url, lang):
    for path in ("", "projects/ekolend/", "topics/", "glossary/"):
        goto(watched, site_url, path, lang)
        button = watched.page.locator(".portal-search__open")
        assert button.is_visible()
        assert button.get_attribute("aria-label") == STRINGS[lang]["open"]
        button.click()
        box = watched.page.locator("#portal-search-input")
        assert box.get_attribute("placeholder") == STRINGS[lang]["placeholder"]
        watched.page.keyboard.press("Escape")
        assert not watched.page.locator(".portal-search__dialog").is_visible()
    assert_clean(watched)


@pytest.mark.parametrize("shortcut", ["/", "Control+k"])
def test_keyboard_opens_the_search_and_walks_the_results(watched, site_url, shortcut):
    page = watched.page
    goto(watched, site_url, "", "fi")
    # The shortcut works once search.js has set the box up (it shows the button then).
    page.locator(".portal-search__open").wait_for(state="visible", timeout=WAIT_MS)
    page.keyboard.press(shortcut)
    assert page.evaluate("document.activeElement && document.activeElement.id") == "portal-search-input"
    page.keyboard.type("EKOLEND")
    # The results of the whole word (a busy machine may first show those of "E", "EK", …).
    page.wait_for_function("""(p) => new RegExp(p).test(
        document.querySelector('.portal-search__status').textContent.trim())
        && (document.querySelector('.portal-search__result') || {}).href
        && document.querySelector('.portal-search__result').href.endsWith('/fi/projects/ekolend/')""",
                           arg=status_pattern("fi"), timeout=WAIT_MS)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('portal-search__result')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0] == site_url + "fi/projects/ekolend/"
    assert_clean(watched)


def test_slash_in_a_text_field_is_typed_not_a_shortcut(watched, site_url):
    page = watched.page
    goto(watched, site_url, "projects/", "en")
    field = page.locator("form.portal-filter input[type=search]")
    field.click()
    page.keyboard.type("a/b")
    assert field.input_value() == "a/b"
    assert not page.locator(".portal-search__dialog").is_visible()


def test_search_downloads_only_from_the_site_and_only_chunks(browser, site_url, site_dir):
    """The reader's browser fetches Pagefind's own files and the index chunks a query needs, from
    the site itself; nothing before the search is opened."""
    from .conftest import _watched_page
    context, watched = _watched_page(browser, site_url)
    urls = []
    watched.page.on("requestfinished", lambda r: urls.append(r.url))
    goto(watched, site_url, "", "ru")
    watched.page.wait_for_load_state("networkidle")
    assert not [u for u in urls if "/pagefind/" in u], "the index loads before the reader searches"
    search(watched, "ru", "отходов")
    fetched = [u for u in urls if "/pagefind/" in u]
    chunks = [u for u in fetched if "/pagefind/index/" in u]
    all_chunks = list((site_dir / "pagefind" / "index").iterdir())
    assert chunks and len(chunks) < len(all_chunks), (len(chunks), len(all_chunks))
    assert any(u.endswith("wasm.ru.pagefind") for u in fetched), fetched
    assert_clean(watched)
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang, query", [("ru", "отходов"), ("fi", "kiertotalouden"), ("en", "Pietari")])
def test_search_fits_the_screen(browser, site_url, artifacts, lang, query, width):
    from .conftest import _watched_page
    context, watched = _watched_page(browser, site_url)
    page = watched.page
    page.set_viewport_size({"width": width, "height": 844})
    goto(watched, site_url, "projects/ekolend/", lang)
    button = page.locator(".portal-search__open").bounding_box()
    assert button and button["x"] + button["width"] <= width and button["y"] < 48, button  # in the header
    results = search(watched, lang, query)
    assert results
    box = page.locator(".portal-search__dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"search-{lang}-{width}.png"))
    assert_clean(watched)
    context.close()
