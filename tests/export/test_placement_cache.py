"""The map's name placements kept between generations (export/placement_cache.py): the same answer
as a new search, never a stale or broken one."""
from __future__ import annotations

import pytest

from portal.export import map_labels as lab
from portal.export import placement_cache


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(placement_cache, "_MEMORY", {})
    return tmp_path / "cache" / "portal" / "map-labels"


def features(second: str = "Kotka") -> list:
    return [lab.Feature("Helsinki", 60.0, 60.0, 3.0), lab.Feature(second, 90.0, 62.0, 2.0),
            lab.Feature("Narva", 120.0, 70.0, 2.0)]


FRAME, SIZE = lab.Box(0.0, 0.0, 200.0, 140.0), 8.0


def described(placed) -> list:
    return [(p.feature.text, p.lines, p.box, p.leader) for p in placed]


def test_a_kept_placement_is_what_the_search_gives(own_cache, monkeypatch):
    searched = described(lab._search(features(), FRAME, SIZE))
    assert described(lab.place(features(), FRAME, SIZE)) == searched  # searched, then kept
    assert len(list(own_cache.glob("*.json"))) == 1
    monkeypatch.setattr(lab, "_search", lambda *a: pytest.fail("searched again"))
    assert described(lab.place(features(), FRAME, SIZE)) == searched  # from the process
    placement_cache._MEMORY.clear()
    again = lab.place(features(), FRAME, SIZE)  # from the file
    assert described(again) == searched
    assert all(p.feature in features() for p in again)


def test_another_name_or_size_is_searched_again(own_cache):
    lab.place(features(), FRAME, SIZE)
    lab.place(features("Kouvola"), FRAME, SIZE)
    lab.place(features(), FRAME, SIZE + 1)
    assert len(list(own_cache.glob("*.json"))) == 3


@pytest.mark.parametrize("content", ["", "{not json", "[[7, [\"x\"], [0, 0, 1, 1], null]]", "[[0, 1]]"])
def test_a_broken_or_foreign_file_is_ignored_and_replaced(own_cache, content):
    searched = described(lab._search(features(), FRAME, SIZE))
    own_cache.mkdir(parents=True)
    path = own_cache / f"{placement_cache.key(features(), FRAME, SIZE)}.json"
    path.write_text(content, encoding="utf-8")
    assert described(lab.place(features(), FRAME, SIZE)) == searched
    assert path.read_text(encoding="utf-8") != content


def test_an_unwritable_cache_changes_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where the folder would be
    assert described(lab.place(features(), FRAME, SIZE)) == described(lab._search(features(), FRAME, SIZE))
