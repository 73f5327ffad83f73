"""The map, the statistics charts and the Data page's tables as a reader sees them (issue 20): all
three languages at 1280 and 390 px.

- Map: every region of the base map and every organization's city of data/ that lies on a map has
  a visible name there; every name is at least 12 CSS px on screen and lies within its map; no two
  names overlap; a legend in the page's language.
- Charts: every label at one readable size (12-16 px, smaller than the headings), whole (not cut,
  not shortened) and within its chart.
- Data page: no column name or header broken inside a word.

Expected names come from data/ (the organizations' `city:` and the region vocabulary, in the page's
language) and the base map's geography (scripts/portal/export/places.py), not from the page.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.export.places import basemap, inside, locate

from .conftest import LANGUAGES, _watched_page

ROOT = Path(__file__).resolve().parents[2]
LANG_PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}
WIDTHS = [1280, 390]
DETAIL, OVERVIEW = "gulf-of-finland", "baltic-sea"


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def reader(request, browser, site_url):
    context, watched = _watched_page(browser, site_url, viewport={"width": request.param, "height": 900})
    yield watched.page, request.param
    context.close()


def _open(page, site_url, lang, path, selector):
    response = page.goto(site_url + LANG_PREFIX[lang] + path)
    assert response.status == 200, path
    page.locator(selector).first.wait_for(state="visible")


def _text(value, lang: str) -> str:
    return (value.get(lang) or value["en"]).strip() if isinstance(value, dict) else str(value)


def expected_names(lang: str) -> dict[str, set[str]]:
    """{map id: the names a reader must find on it}: the detail map names the regions the base map
    outlines and the cities in its extent; the overview the cities outside the detail map."""
    geo = basemap()
    bbox = {m["id"]: m["bbox"] for m in geo["maps"]}
    outlined = {r["id"] for r in geo["regions"]}
    vocab = yaml.safe_load((ROOT / "data/vocabularies/regions.yml").read_text(encoding="utf-8"))
    names = {DETAIL: {_text(t["label"], lang) for t in vocab["terms"] if t["id"] in outlined}, OVERVIEW: set()}
    for path in sorted((ROOT / "data/organizations").glob("*.yml")):
        rec = yaml.safe_load(path.read_text(encoding="utf-8"))
        city = rec.get("city")
        if not isinstance(city, dict) or not city.get("en"):
            continue
        point = locate(city["en"], rec.get("country"))
        if point and inside(point, bbox[DETAIL]):
            names[DETAIL].add(_text(city, lang))
        elif point and inside(point, bbox[OVERVIEW]):
            names[OVERVIEW].add(_text(city, lang))
    return names


# The names on screen of each map: the visible <text> of its visible SVGs (the wide map, or the
# panels on a phone), with their boxes and their size on screen (font size in map units times the
# SVG's scale).
MAP_NAMES = """() => [...document.querySelectorAll('figure.portal-map')].map(fig => {
  const svgs = [...fig.querySelectorAll('svg.portal-map__svg')].filter(s => s.getClientRects().length);
  return svgs.map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const frame = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter(t => t.getClientRects().length).map(t => {
      const r = t.getBoundingClientRect();
      return {text: [...t.querySelectorAll('tspan')].map(s => s.textContent).join(' ') || t.textContent,
              px: parseFloat(getComputedStyle(t).fontSize) * scale,
              box: [r.left, r.top, r.right, r.bottom], frame: [frame.left, frame.top, frame.right, frame.bottom]};
    });
  });
})"""


def _map_names(page) -> list[list[list[dict]]]:
    """Per figure (detail, overview), per visible SVG, its visible names."""
    return page.evaluate(MAP_NAMES)


def _named(labels: list[dict]) -> set[str]:
    """Every name a label gives: one city, a region, or the cities that share a dot ("Narva,
    Ivangorod"); a region's name may be broken over two lines."""
    out = set()
    for label in labels:
        text = " ".join(label["text"].split())
        out.add(text)
        out.update(part.strip() for part in text.split(","))
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_region_and_city_is_named_on_the_map(reader, site_url, lang):
    page, width = reader
    _open(page, site_url, lang, "map/", "figure.portal-map svg.portal-map__svg:visible")
    figures = _map_names(page)
    assert len(figures) == 2, "the detail map and the overview"
    for map_id, svgs in zip((DETAIL, OVERVIEW), figures):
        assert svgs, f"no visible map {map_id} ({lang}, {width}px)"
        shown = _named([label for svg in svgs for label in svg])
        missing = sorted(expected_names(lang)[map_id] - shown)
        assert not missing, f"{map_id} ({lang}, {width}px) does not name: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_map_names_are_readable_inside_the_map_and_apart(reader, site_url, lang):
    page, width = reader
    _open(page, site_url, lang, "map/", "figure.portal-map svg.portal-map__svg:visible")
    for svgs in _map_names(page):
        for labels in svgs:
            for label in labels:
                assert label["px"] >= 11.95, f"{label['text']!r} is {label['px']:.1f} px on screen ({lang}, {width}px)"
                assert label["px"] <= 24, f"{label['text']!r} is {label['px']:.1f} px on screen ({lang}, {width}px)"
                (x0, y0, x1, y1), (f0, g0, f1, g1) = label["box"], label["frame"]
                assert x0 >= f0 - 0.5 and y0 >= g0 - 0.5 and x1 <= f1 + 0.5 and y1 <= g1 + 0.5, \
                    f"{label['text']!r} runs over the edge of its map ({lang}, {width}px)"
            for i, a in enumerate(labels):
                for b in labels[i + 1:]:
                    (a0, a1, a2, a3), (b0, b1, b2, b3) = a["box"], b["box"]
                    overlap = min(a2, b2) - max(a0, b0) > 0.5 and min(a3, b3) - max(a1, b1) > 0.5
                    assert not overlap, f"{a['text']!r} and {b['text']!r} overlap ({lang}, {width}px)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_map_has_a_legend_in_the_page_language(reader, site_url, lang):
    page, width = reader
    _open(page, site_url, lang, "map/", "figure.portal-map svg.portal-map__svg:visible")
    ui = yaml.safe_load((ROOT / f"scripts/locales/{lang}.yml").read_text(encoding="utf-8"))["map"]["legend"]
    legends = page.locator("figure.portal-map figcaption.portal-map-legend")
    assert legends.count() == 2
    for i, must in enumerate([("title", "region", "city"), ("title", "region", "city", "frame")]):
        legend = legends.nth(i)
        assert legend.is_visible()
        text = " ".join(legend.inner_text().split())
        for key in must:
            assert " ".join(ui[key].split()) in text, f"legend {i} ({lang}, {width}px) lacks {key}: {text}"
        box = legend.bounding_box()
        assert box["width"] <= width, "the legend fits the screen"


CHART_LABELS = """() => [...document.querySelectorAll('.portal-chart__bars')].map(chart => {
  const c = chart.getBoundingClientRect();
  const table = chart.closest('figure').nextElementSibling.querySelector('table');
  return {id: chart.id, rows: [...table.tBodies[0].rows].map(r => r.cells[0].textContent.trim()),
    labels: [...chart.querySelectorAll('.portal-chart__label')].map(l => {
      const r = l.getBoundingClientRect();
      return {text: l.textContent, px: parseFloat(getComputedStyle(l).fontSize),
              cut: l.scrollWidth > l.clientWidth + 0.5,
              inside: r.left >= c.left - 0.5 && r.right <= c.right + 0.5 && r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5};
    }),
    h2: parseFloat(getComputedStyle(chart.closest('figure').previousElementSibling).fontSize)};
})"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chart_labels_have_one_readable_size_and_are_whole(reader, site_url, lang):
    page, width = reader
    _open(page, site_url, lang, "statistics/", ".portal-chart__bars")
    charts = page.evaluate(CHART_LABELS)
    assert len(charts) == 8
    sizes = set()
    for chart in charts:
        assert [l["text"] for l in chart["labels"]] == chart["rows"], \
            f"{chart['id']} ({lang}, {width}px): labels shortened or not those of its table"
        for label in chart["labels"]:
            sizes.add(label["px"])
            assert 12 <= label["px"] <= 16, f"{label['text']!r}: {label['px']} px ({lang}, {width}px)"
            assert label["px"] < chart["h2"], f"{label['text']!r} is as large as the heading ({lang}, {width}px)"
            assert not label["cut"] and label["inside"], f"{label['text']!r} is cut ({lang}, {width}px)"
    assert len(sizes) == 1, f"one size for every label: {sizes}"


# Every header cell of the Data page's tables, word by word: a word broken over two lines gives two
# boxes at different heights (Range.getClientRects). A word ends at a space and after an underscore
# or a hyphen (where a column id and a compound may break).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('table.portal-data-columns th, table.portal-data-files th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\\s_\\-]+[_\\-]?/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(`${cell.textContent.trim()}: ${m[0]}`);
      }
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_data_page_headers_break_between_words_only(reader, site_url, lang):
    page, width = reader
    _open(page, site_url, lang, "data/", "table.portal-data-columns")
    cells = page.locator("table.portal-data-columns tbody th")
    assert cells.count() > 40
    broken = page.evaluate(BROKEN_WORDS)
    assert not broken, f"header cells broken inside a word ({lang}, {width}px):\n" + "\n".join(broken)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the Data page is {overflow}px wider than the screen ({lang}, {width}px)"
