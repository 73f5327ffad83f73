"""The Pagefind index of the built site (scripts/portal/site/search.py): one per language, only the
pages that carry data-pagefind-body, Pagefind's unused UIs left out, a build that fails without it."""
from __future__ import annotations

import json
import re

import pytest

from portal.site import search

LANG_DIRS = {"en": None, "ru": "ru", "fi": "fi"}


def page(lang: str, body: str) -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


def test_one_index_per_language_and_a_missing_language_fails(tmp_path):
    (tmp_path / "ru").mkdir()
    (tmp_path / "index.html").write_text(page("en", "<div data-pagefind-body><h1>Waste</h1></div>"))
    (tmp_path / "ru/index.html").write_text(page("ru", "<div data-pagefind-body><h1>Отходы</h1></div>"),
                                             encoding="utf-8")
    (tmp_path / "404.html").write_text(page("en", "<h1>Not found</h1>"))  # no body: not indexed
    report = search.index_site(tmp_path, ["en", "ru"])
    assert report.pages == {"en": 1, "ru": 1}
    assert not any((tmp_path / "pagefind" / name).exists() for name in search.UNUSED)
    assert (tmp_path / "pagefind/pagefind.js").is_file() and (tmp_path / "pagefind/wasm.ru.pagefind").is_file()
    with pytest.raises(search.SearchIndexFailed, match=r"^no search index for fi: no page with <html lang>"):
        search.index_site(tmp_path, ["en", "ru", "fi"])


def _indexed(html: str) -> bool:
    return "data-pagefind-body" in html


def test_the_real_site_has_an_index_per_language_of_its_searchable_pages(real_site):
    entry = json.loads((real_site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    for lang, folder in LANG_DIRS.items():
        root = real_site / folder if folder else real_site
        pages = [p for p in root.rglob("index.html")
                 if (folder or p.relative_to(real_site).parts[0] not in ("ru", "fi", "pagefind"))]
        searchable = [p for p in pages if _indexed(p.read_text(encoding="utf-8"))]
        assert entry["languages"][lang]["page_count"] == len(searchable) > 100, lang
    for not_searched in ("404.html", "ru/404.html", "fi/404.html"):
        assert not _indexed((real_site / not_searched).read_text(encoding="utf-8")), not_searched
    assert not list((real_site / "pagefind").glob("pagefind-*ui*"))


def test_csp_allows_webassembly_and_still_no_inline_script(real_site):
    html = (real_site / "ru/projects/ekolend/index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    script_src = re.search(r"script-src ([^;]+)", policy).group(1).split()
    assert "'wasm-unsafe-eval'" in script_src
    assert "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src


def _bundle_files(bundle) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_pagefind_reading_extracts_makes_the_bundle_it_makes_from_the_whole_pages(real_site, tmp_path,
                                                                                 monkeypatch):
    # search_input.py hands Pagefind only <html lang> and the body element of each page: the index,
    # fragments, filters and metadata must be what Pagefind makes of the whole pages.
    import shutil

    from portal.site import search_input
    bundles = {}
    for way in ("extracts", "whole pages"):
        copy = tmp_path / way.replace(" ", "-")
        shutil.copytree(real_site, copy, ignore=shutil.ignore_patterns("pagefind"))
        if way == "whole pages":
            monkeypatch.setattr(search_input, "extract",
                                lambda html: html if search_input.BODY in html else None)
        search.index_site(copy, ["en", "ru", "fi"])
        bundles[way] = _bundle_files(copy / "pagefind")
    assert len(bundles["extracts"]) > 100
    assert bundles["extracts"].keys() == bundles["whole pages"].keys()
    assert [name for name in bundles["extracts"] if bundles["extracts"][name] != bundles["whole pages"][name]] == []


@pytest.mark.parametrize("html, expected", [
    ('<html lang="fi"><body><nav><div>x</div></nav><div data-pagefind-body><div><h1>A</h1></div>'
     '<p>b</p></div><footer><div>z</div></footer></body></html>',
     '<!doctype html><html lang="fi"><head><meta charset="utf-8"></head><body><div data-pagefind-body>'
     '<div><h1>A</h1></div><p>b</p></div></body></html>'),
    ('<html lang="en"><body><h1>Not found</h1></body></html>', None),  # no body element: not indexed
    # the element's end cannot be found: the page goes whole, as Pagefind would read it anyway
    ('<html lang="en"><body><div data-pagefind-body><div>open', '<html lang="en"><body><div data-pagefind-body><div>open'),
])
def test_an_extract_is_the_language_and_the_body_element_or_the_whole_page_when_in_doubt(html, expected):
    from portal.site.search_input import extract
    assert extract(html) == expected
