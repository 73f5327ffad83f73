"""The catalogue filter (overrides/assets/portal/catalogue-filter.js on Pagefind) per language: facet
and text filters with their state in the URL, reload, Back and Forward, the language switcher, a
390 px phone, and the catalogue without JavaScript. Waits for what the reader sees: the caption
saying how many rows match, and that many rows."""
from __future__ import annotations

import re

import pytest
import yaml

from .conftest import LANGUAGES, ROOT
from .test_portal import LANG_PREFIX, assert_clean, goto, switch_language

WAIT_MS = 30000  # a ceiling for a loaded 2-core machine, not a sleep
CATALOGUE = "projects/"
FILTER = {lang: yaml.safe_load((ROOT / f"scripts/locales/{lang}.yml").read_text(encoding="utf-8"))["filter"]
          for lang in LANGUAGES}


def rows(page) -> int:
    return page.locator("table.portal-catalogue tbody tr").count()


def caption(page) -> str:
    return page.locator("table.portal-catalogue caption").inner_text().strip()


def expected_caption(page, lang: str, count: int) -> str:
    # The page's own plural rules (Intl.PluralRules) pick the form; the forms are the locale's.
    return page.evaluate("([forms, n]) => window.portalSearch.plural(forms, n)",
                         [FILTER[lang]["matching"], count])


def wait_for_rows(page, lang: str, count: int):
    """Until the caption says `count` rows match and that many rows are shown."""
    text = expected_caption(page, lang, count)
    page.wait_for_function(
        """([text, n]) => document.querySelector('table.portal-catalogue caption').textContent.trim() === text
            && document.querySelectorAll('table.portal-catalogue tbody tr').length === n""",
        arg=[text, min(count, 50)], timeout=WAIT_MS)


def wait_for_state(page, text: str):
    """Until the text box holds `text` and the filter has drawn its answer."""
    page.wait_for_function(
        """(t) => document.querySelector('form.portal-filter input[type=search]').value === t
            && document.querySelector('form.portal-filter').dataset.state === 'done'""",
        arg=text, timeout=WAIT_MS)


def wait_for_counts(page):
    """Until the facet options show their counts (the index is loaded on the first focus)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('form.portal-filter select option')]
                 .some(o => o.value && /\\(\\d+\\)$/.test(o.textContent))""", timeout=WAIT_MS)


def pick_facet(page, total: int):
    """A facet value that only some records carry: (select name, value, count)."""
    for select in page.locator("form.portal-filter select").all():
        for option in select.locator("option").all()[1:]:
            count = int(option.inner_text().rsplit("(", 1)[1].rstrip(")"))
            if 0 < count < total:
                return select.get_attribute("name"), option.get_attribute("value"), count
    pytest.fail("no facet value narrows this catalogue")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_facet_and_text_filter_live_in_the_url_and_history(watched, site_url, artifacts, lang):
    page = watched.page
    goto(watched, site_url, CATALOGUE, lang)
    total = rows(page)
    static_caption = caption(page)
    assert total > 1 and page.locator("form.portal-filter").is_visible()
    page.locator("form.portal-filter input[type=search]").focus()
    wait_for_counts(page)
    name, value, count = pick_facet(page, total)
    assert name.startswith("filter-")

    # A facet: the rows, the caption and the URL follow.
    page.locator(f"form.portal-filter select[name={name}]").select_option(value)
    wait_for_rows(page, lang, count)
    assert f"{name}={value}" in page.url and "q=" not in page.url
    page.screenshot(path=str(artifacts / f"catalogue-filtered-{lang}-1280.png"), full_page=True)
    # The language switcher carries the filter.
    for link in page.locator("a.md-select__link[hreflang]").all():
        assert f"{name}={value}" in link.get_attribute("href"), link.get_attribute("href")

    # Reload: the same state.
    page.reload()
    wait_for_rows(page, lang, count)
    assert page.locator(f"form.portal-filter select[name={name}]").input_value() == value

    # Text on top: the first row's title narrows to at least that row.
    first = page.locator("table.portal-catalogue tbody tr a").first.inner_text()
    page.locator("form.portal-filter input[type=search]").fill(first)
    page.wait_for_function("(t) => new URL(location.href).searchParams.get('filter-text') === t", arg=first,
                           timeout=WAIT_MS)
    wait_for_state(page, text=first)
    assert first in page.locator("table.portal-catalogue tbody tr a").all_inner_texts()
    narrowed = rows(page)
    assert 1 <= narrowed <= count
    wait_for_rows(page, lang, narrowed)

    # Back: the facet alone; Back again: the catalogue as built; Forward twice: the text again.
    page.go_back()
    wait_for_state(page, text="")
    wait_for_rows(page, lang, count)
    page.go_back()
    page.wait_for_function("(c) => document.querySelector('table.portal-catalogue caption').textContent.trim() === c",
                           arg=static_caption, timeout=WAIT_MS)
    assert rows(page) == total and "filter-" not in page.url
    page.go_forward()
    wait_for_state(page, text="")
    wait_for_rows(page, lang, count)
    page.go_forward()
    wait_for_state(page, text=first)
    wait_for_rows(page, lang, narrowed)
    assert_clean(watched)


def test_switcher_keeps_the_filter(watched, site_url):
    page = watched.page
    goto(watched, site_url, CATALOGUE + "?filter-themes=circular-economy", "en")
    page.wait_for_function("() => document.querySelector('form.portal-filter').dataset.state === 'done'",
                           timeout=WAIT_MS)
    count = int(re.search(r"\d+", caption(page)).group())  # matches; the rows drawn are the first 50
    switch_language(page, "fi")
    assert page.url.startswith(site_url + "fi/" + CATALOGUE) and "filter-themes=circular-economy" in page.url
    wait_for_rows(page, "fi", count)
    assert page.locator("form.portal-filter select[name=filter-themes]").input_value() == "circular-economy"
    assert_clean(watched)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_catalogue_has_no_sideways_scroll(browser, site_url, artifacts, lang):
    from .conftest import _watched_page
    context, watched = _watched_page(browser, site_url)
    page = watched.page
    page.set_viewport_size({"width": 390, "height": 844})
    goto(watched, site_url, CATALOGUE, lang)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"/{LANG_PREFIX[lang]}{CATALOGUE} is {width} px wide on a 390 px phone"
    # The controls are folded behind the toggle on a phone; the first records are above the fold.
    fields = page.locator("form.portal-filter fieldset")
    assert not fields.is_visible()
    first_row = page.locator("table.portal-catalogue tbody tr").first.bounding_box()
    assert first_row["y"] < 844, f"the first record starts at {first_row['y']} px"
    toggle = page.locator("form.portal-filter .portal-filter__toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert fields.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.locator("form.portal-filter input[type=search]").focus()
    wait_for_counts(page)
    page.locator("form.portal-filter select").first.select_option(index=1)
    page.wait_for_function("() => document.querySelector('form.portal-filter').dataset.state === 'done'",
                           timeout=WAIT_MS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / f"catalogue-filtered-{lang}-390.png"), full_page=True)
    assert_clean(watched)
    context.close()


def test_catalogue_without_javascript_is_the_first_page(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + CATALOGUE + "?filter-themes=circular-economy")
    table_rows = page.locator("table.portal-catalogue tbody tr")
    assert table_rows.count() == page.locator("table.portal-catalogue tbody tr:visible").count() > 1
    assert not page.locator("form.portal-filter").is_visible()
    # The script's search button is not there; the no-JavaScript note's summary is (test_search.py).
    assert not page.locator(".portal-search__open:not(summary)").is_visible()
    context.close()


def test_catalogue_filter_works_with_the_keyboard(watched, site_url):
    page = watched.page
    goto(watched, site_url, CATALOGUE, "ru")
    total = rows(page)
    box = "form.portal-filter input[type=search]"
    for _ in range(80):  # Tab through the page until the filter's text box has the focus
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector('{box}')"):
            break
    else:
        pytest.fail("the filter's text box cannot be reached with Tab")
    page.keyboard.type("EKOLEND")
    page.wait_for_function("() => document.querySelector('form.portal-filter').dataset.state === 'done'",
                           timeout=WAIT_MS)
    assert 1 <= rows(page) < total
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SELECT"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('portal-filter__reset')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function("(n) => document.querySelectorAll('table.portal-catalogue tbody tr').length === n",
                           arg=total, timeout=WAIT_MS)
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.boxShadow; }""")
    assert "none 0px none" not in style, style


def test_a_facet_filter_keeps_the_catalogue_order_across_its_pages(browser, scaled_site):
    # Facet-only results come in the catalogue's order, a catalogue page (Pagefind filter `place`)
    # at a time, ordered by the metadata `place`: "Show more" continues where the first rows ended.
    from .conftest import _watched_page
    repo, url = scaled_site
    fields = {}
    for path in (repo / "docs/en/projects").glob("*.md"):
        if path.stem == "index":  # the catalogue's own first page
            continue
        text = path.read_text(encoding="utf-8")
        fields[path.stem] = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))["portal"]["search"]
    counts = {}
    for slug, f in fields.items():
        for name, values in f["filters"].items():
            if name not in ("kind", "place"):
                for value in values:
                    counts[(name, value)] = counts.get((name, value), 0) + 1
    (name, value), total = max(counts.items(), key=lambda item: item[1])
    assert total > 60, f"the fixture should give a facet value with more than one screen of rows: {total}"
    expected = sorted((s for s, f in fields.items() if value in f["filters"].get(name, [])),
                      key=lambda s: fields[s]["place"])
    context, watched = _watched_page(browser, url)
    page = watched.page
    try:
        page.goto(f"{url}projects/?filter-{name}={value}")
        first = min(50, total)
        page.wait_for_function("n => document.querySelectorAll('table.portal-catalogue tbody tr').length === n"
                               " && document.querySelector('form.portal-filter').dataset.state === 'done'",
                               arg=first, timeout=WAIT_MS)
        ids = page.eval_on_selector_all("table.portal-catalogue tbody tr", "rows => rows.map(r => r.dataset.id)")
        assert ids == expected[:first]
        page.locator(".portal-filter__more").click()
        second = min(100, total)
        page.wait_for_function("n => document.querySelectorAll('table.portal-catalogue tbody tr').length === n",
                               arg=second, timeout=WAIT_MS)
        ids = page.eval_on_selector_all("table.portal-catalogue tbody tr", "rows => rows.map(r => r.dataset.id)")
        assert ids == expected[:second]
        assert not watched.errors and not watched.foreign
    finally:
        context.close()


# ------------------------------------------------------------------ rows, notices, layout (issue 20)

ROW_HTML = """() => Object.fromEntries([...document.querySelectorAll('table.portal-catalogue tbody tr')]
    .map(tr => [tr.dataset.id, [...tr.cells].map(td => [td.className, td.dataset.label || '',
        td.textContent.trim(), [...td.querySelectorAll('a')].map(a => [a.textContent, a.href])])]))"""


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", ["projects/", "organizations/", "events/", "playbooks/"])
def test_redrawn_rows_are_the_rows_of_the_page(watched, site_url, lang, kind):
    """A filter that every record passes redraws every row from the search index: each must be the
    generated row, cell for cell, with the same labels, texts and links."""
    goto(watched, site_url, kind, lang)
    page = watched.page
    static = page.evaluate(ROW_HTML)
    assert static
    page.locator("form.portal-filter input[type=search]").focus()
    wait_for_counts(page)
    # The record kind's own filter value is on every record: "kind" is not a control, so the text
    # field is left empty and the first facet's most common value is not used; Back to the static
    # rows would prove nothing. The filter is asked for every record instead: a value of a select
    # that all records carry, or else the rows of each value in turn.
    drawn = {}
    for select in page.locator("form.portal-filter select").all():
        for option in select.locator("option").all()[1:]:
            select.select_option(option.get_attribute("value"))
            page.wait_for_function("() => document.querySelector('form.portal-filter').dataset.state === 'done'",
                                   timeout=WAIT_MS)
            drawn.update(page.evaluate(ROW_HTML))
        select.select_option("")
        if set(static) <= set(drawn):
            break
    missing = set(static) - set(drawn)
    assert not missing, f"records no filter value reached: {missing}"
    for slug, cells in static.items():
        assert drawn[slug] == cells, f"{slug}: redrawn {drawn[slug]} != generated {cells}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_unknown_filter_value_in_the_address_is_said(watched, site_url, lang):
    page = watched.page
    goto(watched, site_url, CATALOGUE, lang)
    static = page.evaluate(ROW_HTML)
    watched.page.goto(site_url + LANG_PREFIX[lang] + CATALOGUE + "?filter-themes=no-such-theme")
    notice = page.locator(".portal-filter__notice")
    notice.wait_for(state="visible", timeout=WAIT_MS)
    text = notice.inner_text()
    assert "no-such-theme" in text and FILTER[lang]["unknown"].split("{")[0].strip()[:6] in text
    label = page.locator('label[for="portal-filter-themes"]').inner_text().strip()
    assert label in text
    assert page.evaluate(ROW_HTML) == static  # the page's own rows: nothing was filtered
    assert_clean(watched)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_does_not_move_while_it_loads_on_a_phone(browser, site_url, lang):
    """Cumulative layout shift at 412 px (Lighthouse's phone width), from the layout-shift entries
    the page records from its first paint until the filter has taken over and the page is idle."""
    from .conftest import _watched_page
    context, watched = _watched_page(browser, site_url, viewport={"width": 412, "height": 823})
    page = watched.page
    page.add_init_script("""window.__cls = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__cls += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    goto(watched, site_url, CATALOGUE, lang)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !!document.querySelector('form.portal-filter')", timeout=WAIT_MS)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    cls = page.evaluate("window.__cls")
    assert cls <= 0.02, f"layout shift {cls:.3f} on /{LANG_PREFIX[lang]}{CATALOGUE} at 412 px"
    context.close()
