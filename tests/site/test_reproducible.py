"""Two clean builds of the same commit are byte for byte the same, the search index included (issue 18).

Pagefind writes its filter values in a random order (site/search_order.py puts them in a fixed one);
the builds here run in folders of different names and path lengths, so an absolute path or a
timestamp that reached a file would show too."""
from __future__ import annotations

import gzip
import shutil

from portal.site import search_order

from portal_testing import ROOT, build, make_repo, tree_snapshot


def _built(dest):
    repo = make_repo(dest, data=ROOT / "data", with_site=True)
    done = build(repo)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return repo


def test_two_clean_builds_of_the_real_data_are_byte_identical(tmp_path):
    first = tree_snapshot(_built(tmp_path / "a" / "repo") / "site")
    second = tree_snapshot(_built(tmp_path / "a-longer-folder-name" / "repo") / "site")
    assert any(name.endswith(".pf_filter") for name in first), "the search index has filter files"
    assert sorted(first) == sorted(second), "the same file names, Pagefind's hashed names included"
    differ = sorted(name for name in first if first[name] != second[name])
    assert not differ, f"{len(differ)} files differ between two builds: {differ[:10]}"


def _filter(values: list[tuple[str, list[int]]]) -> list:
    return ["themes", [[value, pages] for value, pages in values]]


def test_a_filter_is_the_same_bytes_whatever_order_pagefind_wrote_its_values_in():
    values = [("waste-management", [3, 8]), ("cleantech", [1, 4, 5]), ("b2b-matchmaking", [7]),
              ("вода", [2])]
    written = {search_order.packed(search_order.sort_filter(_filter(order)))
               for order in (values, values[::-1], values[1:] + values[:1])}
    assert len(written) == 1
    (data, digest), = written
    body = gzip.decompress(data)[len(search_order.SIGNATURE):]
    assert search_order.decode(body) == _filter(sorted(values, key=lambda v: v[0].encode()))
    assert data[4:8] == b"\0\0\0\0", "no timestamp in the gzip header"


def test_every_file_of_a_built_bundle_reads_back_to_its_own_bytes(real_site, tmp_path):
    """The CBOR subset covers what Pagefind writes today: each filter and meta file decodes and
    encodes to the same bytes, and putting an already ordered bundle in order changes nothing."""
    bundle = shutil.copytree(real_site / "pagefind", tmp_path / "pagefind")
    files = sorted([*bundle.glob("filter/*.pf_filter"), *bundle.glob("*.pf_meta")])
    assert files
    for path in files:
        search_order.read(path)  # raises UnknownFormat otherwise
    before = tree_snapshot(bundle)
    assert search_order.canonical_bundle(bundle) == 0
    # the meta files are zopfli-compressed after ordering (site/recompress.py): same content
    after = tree_snapshot(bundle)
    assert sorted(after) == sorted(before)
    assert {n: gzip.decompress(b) if n.endswith((".pf_meta", ".pf_filter")) else b for n, b in after.items()} \
        == {n: gzip.decompress(b) if n.endswith((".pf_meta", ".pf_filter")) else b for n, b in before.items()}


def test_an_unknown_cbor_item_is_refused_not_guessed():
    import pytest
    with pytest.raises(search_order.UnknownFormat):
        search_order.decode(b"\xf5")  # CBOR true: Pagefind's files hold none
    with pytest.raises(search_order.UnknownFormat):
        search_order.decode(b"\x82\x01")  # an array of two with one item


def test_a_site_is_current_only_for_the_inputs_it_was_built_from(tmp_path):
    """The stamp the tests check before they read a site/ (portal_testing.current_site): a change
    to a record, a hand-written page or the theme's overrides makes the built site stale."""
    from portal.site.build import site_is_current
    from portal_testing import BASE_DATA, make_overlay_repo
    repo = make_overlay_repo(tmp_path / "repo", BASE_DATA)
    assert build(repo).returncode == 0
    assert site_is_current(repo, repo / "site")
    for edited in ("data/projects/startup-connect.yml", "docs/fi/about.md", "overrides/main.html"):
        path = repo / edited
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert not site_is_current(repo, repo / "site"), f"{edited} changed, the site is stale"
        path.write_bytes(original)
        assert site_is_current(repo, repo / "site"), f"{edited} is back as it was"
