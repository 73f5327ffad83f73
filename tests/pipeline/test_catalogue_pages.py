"""Catalogue pages of a fixed size (scripts/portal/render/pages/catalogue.py) and the search fields
the generator writes for Pagefind (scripts/portal/render/search_fields.py)."""
from __future__ import annotations

import json

import itertools
import re

import pytest
import yaml

from portal import pipeline
from portal.render.pages.catalogue import PAGE_SIZE, pager
from portal_testing import make_scaled_repo
from scaled_data import split


def front(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


@pytest.mark.parametrize("number, count, expected", [
    (1, 1, [1]),
    (1, 3, [1, 2, 3]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 10, [1, None, 3, 4, 5, 6, 7, None, 10]),
    (4, 10, [1, 2, 3, 4, 5, 6, None, 10]),
    (10, 10, [1, None, 8, 9, 10]),
    (100, 200, [1, None, 98, 99, 100, 101, 102, None, 200]),
])
def test_pager_length_does_not_grow_with_the_pages(number, count, expected):
    assert pager(number, count) == expected


def test_catalogue_pages_hold_a_fixed_number_of_rows(tmp_path):
    # The fixture's project plus 2 * PAGE_SIZE + 4 generated ones: three pages, the last one short.
    extra = next(n for n in itertools.count() if split(n)["project"] == 2 * PAGE_SIZE + 4)
    repo = make_scaled_repo(tmp_path / "repo", extra)
    pipeline.generate(repo)
    folder = repo / "docs/ru/projects"
    pages = [folder / "index.md", folder / "page/2.md", folder / "page/3.md"]
    assert all(p.exists() for p in pages) and not (folder / "page/4.md").exists()
    counts = [p.read_text(encoding="utf-8").split("<tbody>")[1].count("\n<tr data-id=") for p in pages]
    assert counts == [PAGE_SIZE, PAGE_SIZE, 5]
    first = pages[0].read_text(encoding="utf-8")
    assert "Проекты: 1–50 из 105</caption>" in first
    # Links that work without JavaScript, relative to each page's own URL.
    assert re.findall(r'<a (?:class="[^"]*" rel="\w+" )?href="([^"]+)"', first.split("portal-pager", 1)[1]) == \
        ["page/2/", "page/3/", "page/2/"]
    second = pages[1].read_text(encoding="utf-8")
    assert 'rel="prev" href="../../"' in second and 'rel="next" href="../3/"' in second
    assert '<span class="portal-pager__current" aria-current="page">2</span>' in second
    # Only the first page is searched (its title and intro); the table is left out of the index.
    assert front(pages[0])["portal"]["search"] == {"kind": "Каталог"}
    assert front(pages[1])["portal"]["search"] is False
    assert '<div class="portal-catalogue-wrap" data-pagefind-ignore ' in first


@pytest.mark.slow  # not in `make check`: it generates a scaled catalogue
def test_first_catalogue_page_does_not_grow_with_the_records(tmp_path):
    sizes = {}
    for extra in (2 * PAGE_SIZE, 8 * PAGE_SIZE):  # a full first page at both sizes
        repo = make_scaled_repo(tmp_path / f"n{extra}", extra)
        pipeline.generate(repo)
        sizes[extra] = len((repo / "docs/en/projects/index.md").read_bytes())
    small, large = sizes.values()
    # The rows are other records at each size, with summaries of varied length (the fixture is not
    # one record copied): the page's size varies with them, but does not grow with their number.
    assert large <= small * 1.05, sizes


def test_record_search_fields(repo):
    data = repo / "data/organizations/cursor.yml"
    record = yaml.safe_load(data.read_text(encoding="utf-8"))
    record["aliases"] = ["Курсор", "Cursor Ltd"]
    data.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    regions = repo / "data/vocabularies/regions.yml"
    regions.write_text(regions.read_text(encoding="utf-8").replace(
        "country: ru}", "country: ru, aliases: [Saint Petersburg, СПб, Питер]}"), encoding="utf-8")
    pipeline.generate(repo)

    org = front(repo / "docs/fi/organizations/cursor.md")["portal"]["search"]
    # One-word keys above the page's <h1> (weight 7); names of several words and the titles in the
    # other languages below it (the Russian title "Курсор" is a key already); the page's own title
    # is its <h1> (render/search_fields.weighted).
    assert org["weighted"] == [[10, ["Курсор"]], [5, ["Cursor Ltd"]]]
    assert org["keys"] == ["Курсор"], "metadata: the one-word keys only"
    assert org["filters"]["kind"] == ["organization"] and org["filters"]["organization-types"] == [record["type"]]
    assert org["kind"] == "Organisaatio"

    project = front(repo / "docs/ru/projects/startup-connect.md")["portal"]["search"]
    filters = project["filters"]
    assert filters["kind"] == ["project"]
    assert filters["programmes"] == ["south-east-finland-russia-cbc-2014-2020"]
    # No programme_period in the record: the programme's own period stands in.
    assert filters["programme-periods"] == ["2014-2020"]
    assert filters["regions"] == ["st-petersburg"]
    # Its region under the region's variants (data/vocabularies/regions.yml), weighted as body text.
    assert project["weighted"][-1] == [1, ["Saint Petersburg", "СПб", "Питер"]]
    # (fixed width: a record's page does not grow with the catalogue)
    assert len(project["place"]) == 7 and filters["place"] == [f"{int(project['place']) // 50 + 1:07d}"]
    # The catalogue row the filter redraws: name, summary and the cells with links relative to the
    # record's page, as the catalogue page draws them (render/search_fields.row).
    row = json.loads(project["row"])
    source = yaml.safe_load((repo / "data/projects/startup-connect.yml").read_text(encoding="utf-8"))
    assert row["name"] == source["title"]["ru"]
    assert row["summary"].startswith(source["summary"]["ru"][:20])
    assert row["cells"][0] == [[row["cells"][0][0][0], "../../programmes/south-east-finland-russia-cbc-2014-2020/"]]
    assert row["cells"][1][0][1] is None  # the status names no page


def test_topic_search_fields_and_its_list_left_out_of_the_index(repo):
    regions = repo / "data/vocabularies/regions.yml"
    regions.write_text(regions.read_text(encoding="utf-8").replace(
        "country: ru}", "country: ru, aliases: [Saint Petersburg, СПб, Питер]}"), encoding="utf-8")
    pipeline.generate(repo)
    page = repo / "docs/en/topics/regions/st-petersburg.md"
    fields = front(page)["portal"]["search"]
    assert fields["kind"] == "Topic"
    # The region's variants of one word above its <h1>, the other names below it.
    assert fields["weighted"] == [[10, ["СПб", "Питер"]], [5, ["Saint Petersburg", "Санкт-Петербург", "Pietari"]]]
    assert fields["keys"] == ["СПб", "Питер"]
    text = page.read_text(encoding="utf-8")
    assert '<div class="portal-term-records" data-pagefind-ignore="data-pagefind-ignore">' in text


def test_place_filter_and_metadata_give_the_catalogue_order(tmp_path):
    # The catalogue filter draws facet-only results in the catalogue's order without a Pagefind sort:
    # a record's `place` filter is the catalogue page it is on, its `place` metadata its place there.
    from portal_testing import make_scaled_repo
    repo = make_scaled_repo(tmp_path / "repo", 130)
    pipeline.generate(repo)
    for kind, folder in (("project", "projects"), ("event", "events")):
        pages = sorted((repo / f"docs/en/{folder}").glob("*.md"))
        fields = {p.stem: front(p)["portal"]["search"] for p in pages if p.stem != "index"}
        by_place = sorted(fields, key=lambda slug: fields[slug]["place"])
        assert [int(fields[s]["place"]) for s in by_place] == list(range(len(by_place)))
        catalogue_rows = []
        number = 1
        while True:
            path = repo / f"docs/en/{folder}" / ("index.md" if number == 1 else f"page/{number}.md")
            if not path.is_file():
                break
            on_page = re.findall(r'data-id="([^"]+)"', path.read_text(encoding="utf-8"))
            assert all(fields[slug]["filters"]["place"] == [f"{number:07d}"] for slug in on_page)
            catalogue_rows += on_page
            number += 1
        if kind == "project":  # (130 extra records: 90 projects, a dozen events)
            assert number > 2, "the projects catalogue should run over several pages"
        assert catalogue_rows == by_place
