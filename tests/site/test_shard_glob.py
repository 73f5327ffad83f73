"""A shard's pages are named to Pagefind by a glob over all the extracts (site/search.py::shard_glob):
it matches exactly the shard's paths, and a path the glob cannot spell safely falls back to the
shard's own folder of links, which indexes the same pages."""
from __future__ import annotations

import json

import pytest

from portal.site import search


@pytest.mark.parametrize("rels, expected", [
    (["b/index.html", "a/index.html"], "{a/index.html,b/index.html}"),
    (["ru/projects/x-1_y.2/index.html"], "{ru/projects/x-1_y.2/index.html}"),
])
def test_plain_paths_become_one_alternation(rels, expected):
    assert search.shard_glob(rels) == expected


@pytest.mark.parametrize("rel", ["a b/index.html", "ä/index.html", "{a}/index.html", "a,b/index.html",
                                 "a*/index.html", "a[1]/index.html", "a\\b/index.html", "/a/index.html",
                                 "a//index.html", "a?/index.html", "a!/index.html"])
def test_a_path_with_any_other_character_gets_no_glob(rel):
    assert search.shard_glob(["a/index.html", rel]) is None


def _page(path, words):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="en"><body><div data-pagefind-body><h1>{words}</h1>'
                    f"<p>{words}</p></div></body></html>", encoding="utf-8")


@pytest.mark.parametrize("chosen", [["a/index.html", "c/d/index.html"],  # glob
                                    ["a/index.html", "c d/index.html"]])  # fallback: a folder of links
def test_pagefind_indexes_the_shard_s_pages_and_no_other(tmp_path, chosen):
    source = tmp_path / "extracts"
    for rel, words in [("a/index.html", "alpha"), ("c/d/index.html", "delta"), ("c d/index.html", "space"),
                       ("x/a/index.html", "decoy one"), ("b/index.html", "decoy two"),
                       ("a/index.html.bak/index.html", "decoy three")]:
        _page(source / rel, words)
    staging = tmp_path / "staging"
    staging.mkdir()
    search._index_shard(source, chosen, "en-00", "digest", staging, tmp_path / "kept")
    shard = search.search_merge.load(tmp_path / "kept" / "en-00" / search.INDEX)
    assert sorted(url for url, _full, _n in shard.pages) == sorted("/" + rel.removesuffix("index.html")
                                                                    for rel in chosen)
    assert (staging / "shards").exists() == (search.shard_glob(chosen) is None)
