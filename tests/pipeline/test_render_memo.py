"""The preview's memo (render/memo.py) renders only the pages a change reaches: after every sort of
edit, the pages it leaves in docs/ are byte for byte those of a full generation of the same data."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from portal import pipeline
from portal.render import memo
from portal_testing import ROOT, make_repo

pytestmark = pytest.mark.slow  # not in `make check`: every sort of edit against a full generation, ~50 s


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def tree(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and p.name != ".generated-manifest.json"}


@pytest.fixture
def repos(tmp_path):
    """Two copies of today's data: `live` generates with the memo on, as the preview does; `full`
    gets the same data after each edit and generates everything."""
    live = make_repo(tmp_path / "live", data=ROOT / "data")
    full = make_repo(tmp_path / "full", data=ROOT / "data")
    memo.enable()
    try:
        pipeline.generate(live)
        yield live, full
    finally:
        memo.enable(False)


def check(live: Path, full: Path) -> tuple[int, int]:
    """Generate both; the docs/ trees must be equal. Returns (rendered, reused) of the live one."""
    pipeline.generate(live)
    counts = memo.counts()
    shutil.rmtree(full / "data")
    shutil.copytree(live / "data", full / "data")
    with memo.suspended():
        pipeline.generate(full)
    ours, theirs = tree(live / "docs"), tree(full / "docs")
    assert ours.keys() == theirs.keys()
    differ = [path for path in ours if ours[path] != theirs[path]]
    assert not differ, f"pages the memo left stale: {differ[:10]}"
    return counts


def first(live: Path, folder: str) -> Path:
    return sorted((live / "data" / folder).glob("*.yml"))[0]


def test_a_title_edit_renders_only_the_pages_that_show_it(repos):
    live, full = repos
    record = first(live, "projects")
    data = load(record)
    # Its place in the reading order stays (a record that moves shifts the place of every record
    # after it, which each of their pages carries for the catalogue filter: render/search_fields.py).
    data["title"]["en"] = data["title"]["en"] + " (edited)"
    save(record, data)
    rendered, reused = check(live, full)
    assert reused > 5 * rendered, (rendered, reused)


def test_reused_when_nothing_changed_but_a_format(repos):
    live, full = repos
    record = first(live, "projects")
    save(record, load(record))  # same data, other YAML layout
    rendered, reused = check(live, full)
    assert rendered <= 3 * 2 and reused > 300  # at most the record's pages (its positions changed)


@pytest.mark.parametrize("edit", ["themes", "partners", "organization-name", "event-date", "translation",
                                  "new-record", "removed-record", "vocabulary", "part-of"])
def test_every_sort_of_edit_matches_a_full_generation(repos, edit):
    live, full = repos
    data_dir = live / "data"
    assert tree(data_dir) == tree(ROOT / "data")
    if edit == "themes":
        record = first(live, "projects")
        data = load(record)
        themes = list(load(data_dir / "vocabularies/themes.yml")["terms"])
        data["themes"] = [themes[-1]["id"]]
        save(record, data)
    elif edit == "partners":
        record = max((data_dir / "projects").glob("*.yml"), key=lambda p: len(load(p).get("partners") or []))
        data = load(record)
        data["partners"] = data["partners"][:-1]
        save(record, data)
    elif edit == "organization-name":
        record = first(live, "organizations")
        data = load(record)
        data["name"]["ru"] = "Яблоко " + data["name"].get("ru", data["name"]["en"])
        save(record, data)
    elif edit == "event-date":
        record = first(live, "events")
        data = load(record)
        data["date"] = "2026-01-15"
        save(record, data)
    elif edit == "translation":
        record = first(live, "playbooks")
        data = load(record)
        data["title"].pop("fi", None)  # the Finnish page falls back to English, with the notice
        save(record, data)
    elif edit == "new-record":
        source = first(live, "projects")
        data = load(source)
        data["title"] = {"en": "Memo test project", "ru": "Проект для проверки", "fi": "Testihanke"}
        data.pop("acronym", None)
        data.pop("aliases", None)
        if "slug" in data:
            data["slug"] = "memo-test-project"
        save(data_dir / "projects/memo-test-project.yml", data)
    elif edit == "removed-record":
        texts = {p: p.read_text(encoding="utf-8") for p in data_dir.rglob("*.yml")}
        hand = [p.read_text(encoding="utf-8") for p in (live / "docs").rglob("*.md")
                if "generated from" not in p.read_text(encoding="utf-8")[:400]]
        record = next(p for p in sorted(texts) if p.parent.name in ("events", "playbooks", "organizations")
                      and sum(p.stem in t for t in texts.values()) == 1 and not any(p.stem in t for t in hand))
        record.unlink()
    elif edit == "vocabulary":
        vocab = data_dir / "vocabularies/themes.yml"
        data = load(vocab)
        data["terms"][0]["label"]["en"] = "Zebra " + data["terms"][0]["label"]["en"]
        save(vocab, data)
    elif edit == "part-of":  # a project leaves its parent's list of sub-projects
        child = next(p for p in sorted((data_dir / "projects").glob("*.yml")) if load(p).get("part_of"))
        data = load(child)
        data.pop("part_of")
        save(child, data)
    check(live, full)
    # and back again, with the memo holding the edited pages
    shutil.rmtree(data_dir)
    shutil.copytree(ROOT / "data", data_dir)
    check(live, full)
