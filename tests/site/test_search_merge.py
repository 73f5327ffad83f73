"""The search index written from shards (site/search_merge.py, site/search.py::index_site): the same
index Pagefind makes of a language's pages in one run, whatever the shards; a changed page
re-indexes its shard only; a format this code does not know is refused."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import cbor2
import pytest
from hypothesis import given, settings, strategies as st

from portal.site import search, search_merge
from portal.site.search_input import write_extracts

from portal_testing import tree_snapshot


def _pagefind_alone(extracts, lang, out):
    """Pagefind's own index of one language's extracts, in one run (as the build ran it before shards)."""
    folder = out.parent / f"{out.name}-pages"
    for rel in [p.relative_to(extracts).as_posix() for p in extracts.rglob("*.html")]:
        if search.language_of(rel) == lang:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(extracts / rel, folder / rel)
    subprocess.run([str(search.executable()), "--site", str(folder), "--output-path", str(out),
                    *search.ARGUMENTS], check=True, capture_output=True)
    return out


def _chunk_bounds(bundle, lang):
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = search_merge._read(bundle / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta")
    return [chunk[:2] for chunk in meta[2]]


@pytest.fixture(scope="module")
def extracts(real_site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("extracts")
    write_extracts(real_site, folder, skip=["pagefind"])
    return folder


def test_the_index_written_from_shards_is_the_one_pagefind_writes_in_one_run(real_site, extracts,
                                                                             tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 40)  # the real site's 318 pages a language: 8 shards
    site = shutil.copytree(real_site, tmp_path / "site", ignore=shutil.ignore_patterns("pagefind"))
    search.index_site(site, ["en", "ru", "fi"])
    assert len(list((tmp_path / "site").parent.glob(".pagefind-*"))) == 0, "no staging left behind"
    for lang in ("en", "ru", "fi"):
        alone = _pagefind_alone(extracts, lang, tmp_path / f"alone-{lang}")
        ours, _ = search_merge.read_shard(site / "pagefind", lang)
        theirs, _ = search_merge.read_shard(alone, lang)
        assert len(ours.pages) > 300
        assert ours.pages == theirs.pages, lang  # addresses, fragment hashes, word counts
        assert ours.words == theirs.words, lang  # every word's postings: pages, positions, weights
        assert ours.filters == theirs.filters and ours.fields == theirs.fields, lang
        assert _chunk_bounds(site / "pagefind", lang) == _chunk_bounds(alone, lang), lang



def test_fragments_have_short_names_that_are_their_content_hashes(real_site, tmp_path):
    """Every page of the meta file names a fragment of that language: `<lang>_` + at least
    FRAGMENT_DIGITS of the hash of its content (Pagefind's 7 made the page list 11 KB of gzip
    longer at 10,000 records), every name once."""
    site = shutil.copytree(real_site, tmp_path / "site", ignore=shutil.ignore_patterns("pagefind"))
    search.index_site(site, ["en", "ru", "fi"])
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    for lang in ("en", "ru", "fi"):
        pages = search_merge._read(bundle / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta")[1]
        names = [name for name, _count in pages]
        assert len(names) > 300 and len(set(names)) == len(names), lang
        for name in names:
            prefix, digits = name.split("_")
            assert prefix == lang and len(digits) >= search_merge.FRAGMENT_DIGITS, name
            body = search_merge._body(bundle / "fragment" / f"{name}.pf_fragment")
            assert search_merge.full_hash(body).startswith(digits), name
        assert min(len(name) for name in names) == len(lang) + 1 + search_merge.FRAGMENT_DIGITS


def test_a_name_clash_takes_one_digit_more():
    taken: set[str] = set()
    assert search_merge._name("abcde12", "en", 5, taken) == "en_abcde"
    assert search_merge._name("abcde34", "en", 5, taken) == "en_abcde3"
    assert search_merge._name("abcde12", "ru", 5, taken) == "ru_abcde"


def test_the_shards_do_not_show_in_the_index(real_site, tmp_path, monkeypatch):
    """Four shards or one: the same postings (read back by address)."""
    indexes = {}
    for pages in (100, 10_000):
        monkeypatch.setattr(search, "SHARD_PAGES", pages)
        site = shutil.copytree(real_site, tmp_path / f"site-{pages}", ignore=shutil.ignore_patterns("pagefind"))
        search.index_site(site, ["en", "ru", "fi"])
        indexes[pages] = search_merge.read_shard(site / "pagefind", "ru")[0]
    assert indexes[100].words == indexes[10_000].words and indexes[100].pages == indexes[10_000].pages


def _indexes(kept):
    """{shard: the inode of its kept index}: a shard indexed again gets a new file."""
    return {p.parent.name: p.stat().st_ino for p in kept.glob(f"*/{search.INDEX}")}


def _indexed_again(kept, before):
    return sorted(key for key, ino in _indexes(kept).items() if before.get(key) != ino)


def test_a_changed_page_is_indexed_again_in_its_shard_only(real_site, extracts, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 40)
    state = shutil.copytree(extracts, tmp_path / "state" / "extracts")
    site = shutil.copytree(real_site, tmp_path / "site", ignore=shutil.ignore_patterns("pagefind"))
    kept = tmp_path / "state" / search.KEPT
    search.index_site(site, ["en", "ru", "fi"], state)
    assert len(_indexes(kept)) == 24 and (kept / search.STATIC / "wasm.fi.pagefind").is_file()
    before = _indexes(kept)
    search.index_site(site, ["en", "ru", "fi"], state)
    assert _indexed_again(kept, before) == [], "nothing changed: no shard is indexed again"

    page = state / "fi/projects/ekolend/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " Qqzzxv</h1>", 1), encoding="utf-8")
    (state / "projects/ekolend/index.html").unlink()  # a page gone from the English index
    before = _indexes(kept)
    search.index_site(site, ["en", "ru", "fi"], state)
    shard = search.shard_of("projects/ekolend/index.html", 8)
    assert _indexed_again(kept, before) == [f"en-{shard:02d}", f"fi-{shard:02d}"]
    fi, _ = search_merge.read_shard(site / "pagefind", "fi")
    assert any(word[0].startswith("qqzzx") for word in fi.words)
    en, _ = search_merge.read_shard(site / "pagefind", "en")
    assert "/projects/ekolend/" not in [url for url, _, _ in en.pages]

    # the same pages indexed from scratch: the same bundle, byte for byte
    fresh = shutil.copytree(real_site, tmp_path / "fresh", ignore=shutil.ignore_patterns("pagefind"))
    search.index_site(fresh, ["en", "ru", "fi"], shutil.copytree(state, tmp_path / "fresh-state" / "extracts"))
    assert tree_snapshot(site / "pagefind") == tree_snapshot(fresh / "pagefind")


def test_a_kept_index_of_another_format_or_a_broken_one_is_made_again(real_site, extracts, tmp_path,
                                                                     monkeypatch):
    state = shutil.copytree(extracts, tmp_path / "state" / "extracts")
    site = shutil.copytree(real_site, tmp_path / "site", ignore=shutil.ignore_patterns("pagefind"))
    search.index_site(site, ["en", "ru", "fi"], state)
    before = tree_snapshot(site / "pagefind")
    kept = tmp_path / "state" / search.KEPT
    (kept / "ru-00" / search.INDEX).write_bytes(b"not CBOR \xff")
    (kept / ".en-00.new-1").mkdir()  # what a killed run leaves
    indexes = _indexes(kept)
    search.index_site(site, ["en", "ru", "fi"], state)
    assert _indexed_again(kept, indexes) == ["ru-00"]
    assert not (kept / ".en-00.new-1").exists()
    assert tree_snapshot(site / "pagefind") == before


def test_an_index_of_another_pagefind_version_is_refused(real_site, tmp_path):
    bundle = shutil.copytree(real_site / "pagefind", tmp_path / "pagefind")
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["version"] = "9.0.0"
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(search_merge.UnknownFormat, match=r"^Pagefind 9\.0\.0: this code knows"):
        search_merge.read_shard(bundle, "en")


def test_a_file_that_does_not_read_back_to_its_bytes_is_refused(tmp_path):
    path = tmp_path / "x.pf_filter"
    body = cbor2.dumps(["themes", [["water", [1, 2]]]])
    path.write_bytes(gzip.compress(search_merge.SIGNATURE + b"\x9f\x01\xff"))  # an array of unknown length
    with pytest.raises(search_merge.UnknownFormat, match="does not read back"):
        search_merge._read(path)
    path.write_bytes(gzip.compress(b"not pagefind" + body))
    with pytest.raises(search_merge.UnknownFormat, match="no Pagefind signature"):
        search_merge._read(path)


postings = st.lists(st.tuples(st.integers(0, 3000),
                              st.lists(st.integers(-300, 70_000), max_size=30),
                              st.lists(st.integers(-30, 300), max_size=4)),
                    min_size=1, max_size=40, unique_by=lambda p: p[0])


@settings(max_examples=200, deadline=None)
@given(postings, st.randoms(use_true_random=False))
def test_postings_are_written_as_pagefind_writes_them(pages, rnd):
    """_part + _joined give the CBOR cbor2 (and Pagefind) writes for the same postings, numbered
    anew; positions beyond what the table holds are refused, not written wrongly."""
    pages = sorted(pages)
    deltas, previous = [], 0
    for page, locs, meta in pages:
        deltas.append([page - previous, locs, meta])
        previous = page
    top = pages[-1][0] + 1
    number = list(range(top))
    rnd.shuffle(number)
    big = any(abs(v) >= search_merge._SMALL for _, locs, meta in pages for v in locs + meta)
    if big:
        with pytest.raises(search_merge.UnknownFormat):
            search_merge._part(deltas, number)
        return
    part = search_merge._part(deltas, number)
    renumbered = sorted((number[page], locs, meta) for page, locs, meta in pages)
    expected, previous = [], 0
    for page, locs, meta in renumbered:
        expected.append([page - previous, locs, meta])
        previous = page
    assert search_merge._joined([(0, part)]) == cbor2.dumps(expected)
    # two shards: the second's pages after the first's
    assert search_merge._joined([(0, part), (top, part)]) == cbor2.dumps(
        expected + [[top + expected[0][0] - previous, *expected[0][1:]]] + expected[1:])


def test_filter_values_are_written_in_name_order_whatever_order_pagefind_gave(tmp_path):
    """Pagefind lists a filter's values in a random order per run (a Rust HashMap's): the written
    filter file is the same bytes for any order."""
    def shard(values):
        return search_merge.ShardIndex(language="en", version="1.5.2", wasm="en", include_characters=[],
                                       fields=[], pages=[], words=[], filters={"themes": dict(values)})
    values = [("waste-management", [0]), ("cleantech", [0]), ("вода", [0]), ("b2b", [0])]
    written = set()
    for i, order in enumerate((values, values[::-1], values[1:] + values[:1])):
        search_merge.write_language([shard(order)], [{}], tmp_path / str(i))
        (name,) = [p.name for p in (tmp_path / str(i) / "filter").iterdir()]
        written.add((name, (tmp_path / str(i) / "filter" / name).read_bytes()))
    assert len(written) == 1
    (_name, data), = written
    assert data[4:8] == b"\0\0\0\0", "no timestamp in the gzip header"
    assert cbor2.loads(gzip.decompress(data)[len(search_merge.SIGNATURE):])[1] == [
        [value, [0]] for value in sorted(v for v, _ in values)]
