"""The reader's experience in three languages, in headless Chromium (issue 5). The search and the
catalogue filter have their own files (test_search.py, test_catalogue.py).

Record and page names used here are real records of data/ (ekolend, xamk, the st-petersburg region);
a test that needs one says which, so a renamed record fails loudly here, not silently.
"""
from __future__ import annotations

import re

import pytest

from .conftest import LANGUAGES, serious_axe_violations

RECORD = "projects/ekolend/"          # a project page in every language
CATALOGUE = "projects/"               # the project catalogue (first page; tests/browser/test_catalogue.py)
LANG_PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}


def switch_language(page, lang: str) -> None:
    """Follow the header's language switcher to `lang`, as a reader does (hover, then click)."""
    page.locator(".md-header__option .md-select").first.hover()
    link = page.locator(f".md-select__link[hreflang={lang}]").first
    link.wait_for(state="visible")
    with page.expect_navigation():
        link.click()


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
    page.wait_for_load_state("networkidle")  # the sitemap requests are done
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
    # The page's own address as @id (schema.org defines no inLanguage for Project: tests/site/test_jsonld.py)
    assert head["jsonld"][0]["@id"] == head["canonical"]

    goto(watched, site_url, CATALOGUE, lang)
    page.screenshot(path=str(artifacts / f"catalogue-{lang}.png"), full_page=True)
    assert_clean(watched)


# ------------------------------------------------------------------ Content-Security-Policy

# One page of every kind (real records of data/: ekolend, xamk, resource-recovery, green-day-forum-2020).
PAGE_KINDS = ["", "about/", "glossary/", "knowledge/", "contributing/", "projects/", RECORD,
              "playbooks/", "playbooks/resource-recovery/", "organizations/", "organizations/xamk/",
              "events/", "events/green-day-forum-2020/", "topics/", "topics/themes/circular-economy/",
              "statistics/", "map/", "data/", "translation-status/", "404.html"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_kind_breaks_the_content_security_policy(watched, site_url, lang):
    """The policy refuses inline styles and every script it does not name (site/safe_output.py):
    no page kind may need one, with its scripts run (the search opened and answered, the catalogue
    filter used)."""
    page = watched.page
    violations = {}
    for path in PAGE_KINDS:
        watched.errors.clear()
        goto(watched, site_url, path, lang)
        page.wait_for_load_state("networkidle")
        if path == "projects/":
            from .test_catalogue import pick_facet, rows, wait_for_counts, wait_for_rows
            page.locator("form.portal-filter input[type=search]").focus()  # the filter loads
            wait_for_counts(page)
            name, value, count = pick_facet(page, rows(page))
            page.locator(f"form.portal-filter select[name={name}]").select_option(value)
            wait_for_rows(page, lang, count)
        if path == "":
            page.locator(".portal-search__open").click()
            page.locator("#portal-search-input").fill("cluster")
            page.wait_for_function("() => document.querySelectorAll('.portal-search__result').length > 0",
                                   timeout=30000)
        found = watched.csp_violations()
        if found:
            violations[LANG_PREFIX[lang] + path] = found
    assert not violations, "\n".join(f"{p}: {v}" for p, v in violations.items())


def test_the_csp_check_sees_a_violation(browser, site_url):
    """The recorder reports what the policy refuses: an inline style added to a served page."""
    from .conftest import _watched_page
    context, watched = _watched_page(browser, site_url)
    try:
        goto(watched, site_url, "")
        watched.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
        watched.page.wait_for_function("() => window.__portalCspViolations.length > 0", timeout=15000)
        assert any("style-src" in v for v in watched.csp_violations()), watched.csp_violations()
    finally:
        context.close()


# ------------------------------------------------------------------ language switcher


def test_switcher_moves_between_versions_of_one_record(watched, site_url):
    page = watched.page
    goto(watched, site_url, RECORD, "en")
    for lang in ("ru", "fi", "en"):
        switch_language(page, lang)
        assert page.url == site_url + LANG_PREFIX[lang] + RECORD
        assert page.evaluate("document.documentElement.lang") == lang
    assert_clean(watched)


# ------------------------------------------------------------------ 404


SITE_NAMES = {"en": "Baltic Circular Economy Portal", "ru": "Портал циркулярной экономики Балтийского региона",
              "fi": "Itämeren alueen kiertotalousportaali"}
SEARCH_OPEN = {"en": "Search the portal", "ru": "Поиск по порталу", "fi": "Hae portaalista"}


@pytest.mark.parametrize("lang, heading", [
    ("fi", "Sivua ei löytynyt"), ("ru", "Страница не найдена"), ("en", "Page not found")])
def test_missing_page_answers_in_its_language_throughout(watched, site_url, lang, heading):
    # Served as GitHub Pages serves it: the root 404.html with status 404 for any missing path.
    missing = site_url + LANG_PREFIX[lang] + "no/such/page/?q=1"
    response = watched.page.goto(missing)
    assert response.status == 404
    page = watched.page
    # What the reader ends up with: the page of their language, at the address they asked for.
    page.wait_for_function("""([lang, heading]) => document.documentElement.lang === lang
        && document.readyState === "complete"
        && [...document.querySelectorAll('.portal-404 h1')].some(h => h.textContent.trim() === heading)""",
                           arg=[lang, heading])
    assert page.url == missing
    assert page.locator(".portal-404 h1").all_inner_texts() == [heading]
    assert page.locator(".md-header__topic .md-ellipsis").first.inner_text().strip() == SITE_NAMES[lang]
    nav = page.locator(".md-nav--primary .md-nav__link").all_inner_texts()
    english_nav = {"Projects", "Organizations", "Events", "Glossary"}
    assert (lang == "en") == bool(english_nav & {n.strip() for n in nav}), nav
    assert page.title().endswith(SITE_NAMES[lang])
    page.wait_for_function("""label => document.querySelector('.portal-search__open')
        .getAttribute('aria-label') === label""", arg=SEARCH_OPEN[lang])
    home = page.locator(".portal-404 section a").first.get_attribute("href")
    assert home.rstrip("/").endswith(("/" + lang) if lang != "en" else site_url.rstrip("/").rsplit("/", 1)[-1])
    others = page.locator(".portal-404__languages a").evaluate_all("as => as.map(a => a.hreflang)")
    assert sorted(others) == sorted(set(LANG_PREFIX) - {lang})
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
    bad = serious_axe_violations(page, axe_source)
    assert not bad, f"axe on {name} ({lang}):\n" + "\n".join(f"  {v}" for v in bad)
