"""Lists of linked records that stay bounded (scripts/portal/render/listing.py): a topic page and an
organization's page show the first FIRST_ROWS records, the rest continue on <page>/page/2/, … ."""
from __future__ import annotations

import re

import pytest
import yaml

from portal import pipeline
from portal.paths import paged_path
from portal.render.listing import FIRST_ROWS, PAGE_ROWS, Section, paginate
from portal_testing import make_repo, make_scaled_repo


def front(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def rows(text: str) -> int:
    """Rows of the lists of linked records (the pages are HTML: render/html_page.py)."""
    return len(re.findall(r'^<li><a href="', text, re.M))


def h2(text: str, heading: str, anchor: str | None = None) -> bool:
    """Whether the page has this second-level heading (with this id, when given)."""
    found = re.search(r'<h2 id="([^"]+)">' + re.escape(heading) + '<a class="headerlink"', text)
    return bool(found) and (anchor is None or found.group(1) == anchor)


SOURCES = '<h2 id="sources">'


def pager_links(text: str) -> list[str]:
    nav = text.split('<nav class="portal-pager"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


# -- the rule, without pages ----------------------------------------------------------------------

@pytest.mark.parametrize("first, number, expected", [
    ("topics/themes/recycling.md", 1, "topics/themes/recycling.md"),
    ("topics/themes/recycling.md", 2, "topics/themes/recycling/page/2.md"),
    ("topics/sdgs/12.md", 3, "topics/sdgs/12/page/3.md"),
    ("organizations/cursor.md", 2, "organizations/cursor/page/2.md"),
    ("projects/index.md", 2, "projects/page/2.md"),  # the catalogues' addresses, unchanged
])
def test_paged_path(first, number, expected):
    assert paged_path(first, number) == expected


def section(name: str, n: int) -> Section:
    return Section(f"list-{name}", f"sections.{name}", "project", [(f"{name}-{i}", None) for i in range(n)])


@pytest.mark.parametrize("total, per_page", [
    (0, [0]),
    (1, [1]),
    (FIRST_ROWS, [FIRST_ROWS]),  # exactly one full first page: no second page
    (FIRST_ROWS + 1, [FIRST_ROWS, 1]),
    (FIRST_ROWS + PAGE_ROWS, [FIRST_ROWS, PAGE_ROWS]),
    (FIRST_ROWS + 2 * PAGE_ROWS + 3, [FIRST_ROWS, PAGE_ROWS, PAGE_ROWS, 3]),  # the last one short
])
def test_rows_per_page(total, per_page):
    pages = paginate("topics/themes/recycling.md", [section("projects", total)])
    assert [sum(len(part.rows) for part in page.parts) for page in pages] == per_page
    assert {page.count for page in pages} == {len(per_page)}
    assert [page.number for page in pages] == list(range(1, len(per_page) + 1))


def test_sections_continue_across_pages_and_say_where_they_start():
    pages = paginate("organizations/cursor.md", [section("projects", FIRST_ROWS + PAGE_ROWS + 1),
                                                 section("members", 0), section("events", 3)])
    assert len(pages) == 3
    assert [(p.section.id, p.first, p.last) for p in pages[0].parts] == [("list-projects", 1, FIRST_ROWS)]
    assert [(p.section.id, p.first, p.last) for p in pages[1].parts] == \
        [("list-projects", FIRST_ROWS + 1, FIRST_ROWS + PAGE_ROWS)]
    assert [(p.section.id, p.first, p.last) for p in pages[2].parts] == \
        [("list-projects", FIRST_ROWS + PAGE_ROWS + 1, FIRST_ROWS + PAGE_ROWS + 1), ("list-events", 1, 3)]
    assert pages[0].starts == {"list-projects": 1, "list-events": 3}, "an empty section is left out"
    assert pages[2].parts[1].whole and not pages[2].parts[0].whole


# -- the pages ------------------------------------------------------------------------------------

def add_projects(repo, n: int, **fields) -> None:
    """n copies of a minimal project (enough for a rule about lists; the benchmark fixture is realistic)."""
    for i in range(n):
        record = {"slug": f"p-{i:03d}", "title": {"en": f"Project {i:03d}", "ru": f"Проект {i:03d}",
                                                  "fi": f"Hanke {i:03d}"},
                  "summary": {"en": "A project."}, **fields,
                  "sources": [{"title": "Test source", "url": "https://example.org/source",
                               "retrieved": "2026-11-22"}]}
        (repo / f"data/projects/p-{i:03d}.yml").write_text(yaml.safe_dump(record, allow_unicode=True),
                                                           encoding="utf-8")


def test_topic_listing_pages(tmp_path):
    repo = make_repo(tmp_path / "repo")
    total = FIRST_ROWS + PAGE_ROWS + 3
    add_projects(repo, total, themes=["recycling"])  # no fixture record carries 'recycling'
    pipeline.generate(repo)
    folder = repo / "docs/en/topics/themes"
    pages = [folder / "recycling.md", folder / "recycling/page/2.md", folder / "recycling/page/3.md"]
    assert all(p.exists() for p in pages) and not (folder / "recycling/page/4.md").exists()
    texts = [p.read_text(encoding="utf-8") for p in pages]
    assert [rows(t) for t in texts] == [FIRST_ROWS, PAGE_ROWS, 3]
    assert h2(texts[0], f"Projects: 1–{FIRST_ROWS} of {total}", "list-projects")
    assert h2(texts[1], f"Projects: {FIRST_ROWS + 1}–{FIRST_ROWS + PAGE_ROWS} of {total}")
    assert h2(texts[2], f"Projects: {total - 2}–{total} of {total}")
    # Rows in reading order, continuing from page to page.
    assert '<li><a href="../../../projects/p-000/">Project 000</a></li>' in texts[0]
    assert (f'<li><a href="../../../../../projects/p-{FIRST_ROWS:03d}/">Project {FIRST_ROWS:03d}</a></li>'
            in texts[1])
    # Links that work without JavaScript: first, numbers, next; back to the topic page from page 2.
    assert pager_links(texts[0]) == ["page/2/", "page/3/", "page/2/"]
    assert pager_links(texts[1]) == ["../../", "../../", "../3/", "../3/"]
    assert '<span class="portal-pager__current" aria-current="page">2</span>' in texts[1]
    assert '<p>Continued from <a href="../../">Recycling</a>.</p>' in texts[1]
    # The topic page is searched as a topic, its list is not; later pages are not searched at all.
    assert front(pages[0])["portal"]["search"]["kind"] == "Topic"
    assert '<div class="portal-term-records" data-pagefind-ignore="data-pagefind-ignore">' in texts[0]
    portal = front(pages[1])["portal"]
    assert {k: v for k, v in portal.items() if k != "toc"} == {"kind": "listing", "of": "topic", "page": 2,
                                                                "owner": "Recycling", "search": False}
    assert [entry[1] for entry in portal["toc"]] == ["recycling-page-2", "list-projects"]
    assert front(pages[1])["title"] == "Recycling (Page 2)"
    # In every language, in its own words.
    ru = (repo / "docs/ru/topics/themes/recycling/page/2.md").read_text(encoding="utf-8")
    assert h2(ru, f"Проекты: {FIRST_ROWS + 1}–{FIRST_ROWS + PAGE_ROWS} из {total}")
    assert '<p>Продолжение списка со страницы <a href="../../">Переработка</a>.</p>' in ru
    assert 'rel="prev" href="../../">Назад</a>' in ru
    fi = (repo / "docs/fi/topics/themes/recycling.md").read_text(encoding="utf-8")
    assert h2(fi, f"Hankkeet: 1–{FIRST_ROWS} / {total}", "list-projects") and 'rel="next" href="page/2/">Seuraava</a>' in fi
    assert front(repo / "docs/fi/topics/themes/recycling/page/3.md")["title"] == "Kierrätys (Sivu 3)"

    # Fewer records: the pages no longer needed are removed, like a deleted record's page.
    for i in range(5, total):
        (repo / f"data/projects/p-{i:03d}.yml").unlink()
    pipeline.generate(repo)
    assert not (folder / "recycling/page").exists() or not any((folder / "recycling/page").iterdir())
    text = pages[0].read_text(encoding="utf-8")
    assert h2(text, "Projects (5)", "list-projects") and "portal-pager" not in text


@pytest.mark.parametrize("count, pages", [(0, 1), (FIRST_ROWS, 1), (FIRST_ROWS + PAGE_ROWS, 2)])
def test_topic_with_zero_or_exactly_full_pages(tmp_path, count, pages):
    repo = make_repo(tmp_path / "repo")
    add_projects(repo, count, themes=["recycling"])
    pipeline.generate(repo)
    first = repo / "docs/en/topics/themes/recycling.md"
    text = first.read_text(encoding="utf-8")
    made = sorted(p.name for p in (first.parent / "recycling/page").glob("*.md")) \
        if (first.parent / "recycling/page").exists() else []
    assert made == [f"{n}.md" for n in range(2, pages + 1)]
    if count == 0:
        assert "<p>No records carry this yet.</p>" in text and "portal-term-records" not in text
    if pages == 1:
        assert "portal-pager" not in text and "portal-listing-contents" not in text
        assert rows(text.split(SOURCES)[0]) == count
    else:
        assert rows((first.parent / f"recycling/page/{pages}.md").read_text(encoding="utf-8")) == PAGE_ROWS
        assert pager_links(text) == ["page/2/", "page/2/"]


def test_organization_listing_pages(tmp_path):
    repo = make_repo(tmp_path / "repo")
    # The fixture's startup-connect has cursor as lead partner, meeting-2019 a speaker from cursor.
    add_projects(repo, FIRST_ROWS + PAGE_ROWS, partners=[{"organization": "cursor", "role": "partner"}])
    for i in range(2):
        event = {"slug": f"e-{i}", "title": {"en": f"Event {i}"}, "summary": {"en": "An event."},
                 "date": f"2020-0{i + 1}-01", "format": "meeting", "organizers": ["cursor"],
                 "sources": [{"title": "Test source", "url": "https://example.org/source",
                              "retrieved": "2026-11-22"}]}
        (repo / f"data/events/e-{i}.yml").write_text(yaml.safe_dump(event), encoding="utf-8")
    pipeline.generate(repo)
    projects, events = FIRST_ROWS + PAGE_ROWS + 1, 3
    first = repo / "docs/en/organizations/cursor.md"
    page2, page3 = (repo / f"docs/en/organizations/cursor/page/{n}.md" for n in (2, 3))
    assert page2.exists() and page3.exists() and not (page3.parent / "4.md").exists()
    texts = [p.read_text(encoding="utf-8") for p in (first, page2, page3)]
    assert [rows(t.split(SOURCES)[0]) for t in texts] == [FIRST_ROWS, PAGE_ROWS, 1 + events]
    # Where each section starts, and counts per section.
    assert ('In this list: <a href="#list-projects">Projects</a> '
            f'({projects}) · <a href="page/3/#list-events">Events</a> ({events})</p>') in texts[0]
    assert h2(texts[0], f"Projects: 1–{FIRST_ROWS} of {projects}", "list-projects")
    assert 'id="list-events"' not in texts[0] and SOURCES in texts[0], "the record's own sections stay"
    assert h2(texts[2], f"Projects: {projects} of {projects}")
    assert h2(texts[2], f"Events ({events})", "list-events")
    assert '<li><a href="../../../../events/e-1/">Event 1</a> — organizer</li>' in texts[2]  # newest first
    assert ('<li><a href="../../../../projects/startup-connect/">Startup Connect</a> — Lead partner</li>'
            in texts[2])
    assert pager_links(texts[0]) == ["page/2/", "page/3/", "page/2/"]
    assert '<p>Continued from <a href="../../">Cursor</a>.</p>' in texts[1]
    assert front(page2)["portal"] == {"kind": "listing", "of": "organization", "page": 2, "owner": "Cursor",
                                      "search": False, "toc": [[1, "cursor-page-2", "Cursor (Page 2)"],
                                                               [2, "list-projects", "Projects: 21–70 of 71"]]}
    assert front(first)["portal"]["search"]["kind"] == "Organization"
    ru = (repo / "docs/ru/organizations/cursor/page/3.md").read_text(encoding="utf-8")
    assert h2(ru, f"Проекты: {projects} из {projects}") and "— организатор" in ru


def largest_listings(repo) -> tuple[str, str]:
    """docs paths of the topic with the most records and of the organization most linked to."""
    from portal.model.validate import validate
    from portal.paths import record_path, term_path
    from portal.render.listing import record_sections
    from portal.render.site import Site
    site = Site(validate(repo), repo)
    (vocab, term), _ = max(site.links.facet.items(), key=lambda kv: (sum(map(len, kv[1].values())), str(kv[0])))
    org = max(site.cat.records["organization"],
              key=lambda s: (sum(len(x.rows) for x in record_sections(site, "organization", s)), s))
    return term_path(vocab, term), record_path("organization", org)


@pytest.mark.slow  # not in `make check`: it generates a scaled catalogue
def test_first_pages_of_the_largest_lists_do_not_grow_with_the_records(tmp_path):
    sizes: dict[str, list[int]] = {}
    for extra in (100, 1000):
        repo = make_scaled_repo(tmp_path / f"n{extra}", extra)
        pipeline.generate(repo)
        for name, path in zip(("topic", "organization"), largest_listings(repo)):
            for lang in ("en", "ru", "fi"):
                sizes.setdefault(f"{name} {lang}", []).append(len((repo / "docs" / lang / path).read_bytes()))
    # Other records at each size, with names of varied length: the page varies, but does not grow.
    grown = {name: (small, large) for name, (small, large) in sizes.items() if large > small * 1.05}
    assert grown == {}, sizes
