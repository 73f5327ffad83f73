"""Open data on the real site (issue 10): counts agree everywhere, the data package and feeds are
valid, the statistics and map SVGs parse and every region links to a page that was built."""
from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit


from portal.site_address import site_root
from portal_testing import ROOT

KINDS = {"project": "projects", "playbook": "playbooks", "organization": "organizations", "event": "events"}
PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}


def test_counts_agree_everywhere(real_site: Path):
    """records in data/ = record pages = catalogue rows and caption = CSV rows = JSON rows =
    statistics and Data page totals = record pages in the search index, per kind and language."""
    for kind, folder in KINDS.items():
        records = len(list((ROOT / "data" / folder).glob("*.yml")))
        assert records > 0, folder
        for lang, prefix in PREFIX.items():
            where = f"{folder} ({lang})"
            site = real_site / prefix.rstrip("/") if prefix else real_site
            # Record pages; a redirect left where a record used to live (meta refresh) is not one.
            pages = [p for p in (site / folder).iterdir() if (p / "index.html").is_file()
                     and 'http-equiv="refresh"' not in (p / "index.html").read_text(encoding="utf-8")]
            assert len(pages) == records, f"record pages of {where}"
            # The catalogue's pages (index.html, page/2/, …) hold every record once.
            catalogue = "".join(p.read_text(encoding="utf-8") for p in
                                [site / folder / "index.html", *sorted((site / folder / "page").glob("*/index.html"))])
            assert catalogue.count("<tr data-id=") == records, f"catalogue rows of {where}"
            # "Projects: 1–10 of 10": the total is the caption's last number (every language).
            caption = re.search(r"<caption>[^<]*?(\d+)</caption>", catalogue)
            assert caption and int(caption.group(1)) == records, f"catalogue caption of {where}"
            total = re.search(r'data-total="(\d+)"', catalogue)
            assert total and int(total.group(1)) == records, f"catalogue filter total of {where}"
            with open(real_site / "data" / f"{folder}.{lang}.csv", encoding="utf-8", newline="") as fh:
                assert len(list(csv.DictReader(fh))) == records, f"CSV rows of {where}"
            rows = json.loads((real_site / "data" / f"{folder}.{lang}.json").read_text(encoding="utf-8"))
            assert len(rows) == records, f"JSON rows of {where}"
            assert {r["id"] for r in rows} == {p.name for p in pages}, f"the same records in {where}"
            stats = (site / "statistics" / "index.html").read_text(encoding="utf-8")
            assert f'data-kind-total="{kind}">{records}<' in stats, f"statistics total of {where}"
            data_page = (site / "data" / "index.html").read_text(encoding="utf-8")
            assert f'data-kind-rows="{kind}">{records}<' in data_page, f"Data page rows of {where}"
            # The search index (Pagefind) holds the pages that carry data-pagefind-body: every record
            # page, and no redirect left where a merged record used to live.
            indexed = {p.name for p in (site / folder).iterdir() if (p / "index.html").is_file()
                       and "data-pagefind-body" in (p / "index.html").read_text(encoding="utf-8")}
            assert indexed == {p.name for p in pages}, f"record pages in the search index of {where}"
    # ... and Pagefind indexed exactly those pages of each language.
    entry = json.loads((real_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    for lang, prefix in PREFIX.items():
        site = real_site / prefix.rstrip("/") if prefix else real_site
        others = [site / p for p in PREFIX.values() if p] if not prefix else []
        bodies = [p for p in site.rglob("index.html") if not any(o in p.parents for o in others)
                  and "data-pagefind-body" in p.read_text(encoding="utf-8")]
        assert entry["languages"][lang]["page_count"] == len(bodies), f"pages in the {lang} search index"


def test_built_data_package_is_valid(real_site: Path):
    import frictionless  # a test dependency (requirements-test.txt): missing, the test fails
    report = frictionless.validate(str(real_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:20]


def test_built_feeds_are_valid_atom_and_discoverable(real_site: Path):
    import feedparser  # a test dependency (requirements-test.txt): missing, the test fails
    for lang, prefix in PREFIX.items():
        feed_path = real_site / prefix / "feed.xml"
        parsed = feedparser.parse(feed_path.read_bytes())
        assert not parsed.bozo and parsed.version == "atom10", (lang, parsed.get("bozo_exception"))
        base = site_root(ROOT) + prefix  # links are absolute under the site's address (issue 20)
        for entry in parsed.entries:  # every entry links to a page that was built
            assert entry.link.startswith(base), entry.link
            assert (feed_path.parent / entry.link[len(base):] / "index.html").is_file(), entry.link
        home = (real_site / prefix / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="[^"]*/'
                         + re.escape(prefix) + r'feed\.xml">', home), f"autodiscovery on the {lang} home page"
        assert 'href="feed.xml"' in home, f"a visible link to the feed on the {lang} home page"


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def test_statistics_and_map_svgs_parse_and_regions_link_to_built_pages(real_site: Path):
    for lang, prefix in PREFIX.items():
        stats_dir = real_site / prefix / "statistics"
        stats_html = (stats_dir / "index.html").read_text(encoding="utf-8")
        assert stats_html.count('<div class="portal-chart__bars"') == 8, f"one chart per dimension ({lang})"
        bars = [s for s in _svgs(stats_html) if "portal-chart__bar" in s.get("class", "")]
        assert bars and all(re.fullmatch(r"\d+(\.\d+)?%", b.get("width")) for b in bars), lang
        map_dir = real_site / prefix / "map"
        svg = next(s for s in _svgs((map_dir / "index.html").read_text(encoding="utf-8"))
                   if "portal-map__svg" in s.get("class", ""))
        links = [a.get("href") for a in svg.iter("{http://www.w3.org/2000/svg}a")]
        assert len(links) == 4, f"St. Petersburg, Leningrad region, South-East Finland, Ida-Virumaa ({lang})"
        for href in links:
            assert "://" not in href and not href.startswith("/"), href
            target = urlsplit(urljoin(f"http://x/{prefix}map/", href)).path.lstrip("/")
            assert (real_site / target / "index.html").is_file(), f"{href} from the {lang} map"


def test_record_pages_show_last_updated_and_footer_has_the_licence(real_site: Path):
    for lang, prefix in PREFIX.items():
        page = (real_site / prefix / "projects" / "ekolend" / "index.html").read_text(encoding="utf-8")
        assert 'rel="license"' in page and "creativecommons.org/licenses/by/4.0/" in page, lang
        assert re.search(r'property="og:image" content="[^"]+/assets/portal/og/card-' + lang + r'\.png"', page)
    card = (real_site / "assets/portal/og/card-ru.png").read_bytes()
    assert card[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(card[16:20], "big") == 1200 \
        and int.from_bytes(card[20:24], "big") == 630
