"""`make serve` asks MkDocs for one rebuild per save, and for a full one only when a dirty rebuild
would leave a page stale (scripts/portal/site/serve.py: rebuild_needed)."""
from __future__ import annotations

import os

import pytest

from portal import pipeline
from portal.site.run import FULL
from portal.site.serve import rebuild_needed
from portal.write import WriteReport


def result(written=(), removed=()) -> pipeline.Result:
    return pipeline.Result(catalogue=None, report=WriteReport(written=list(written), removed=list(removed)))


@pytest.fixture
def root(tmp_path):
    return tmp_path


def at(root, rel: str) -> str:
    return os.path.join(root, *rel.split("/"))


GENERATED = {"en/projects/a.md", "ru/projects/a.md", "en/projects/index.md"}


def test_a_record_edit_asks_for_a_dirty_rebuild(root):
    changed = {at(root, "data/projects/a.yml"), at(root, "docs/en/projects/a.md"),
               at(root, "docs/en/projects/.a.md.x1y2.tmp"), at(root, "docs/.generated-manifest.json")}
    assert rebuild_needed(root, changed, result(written=["en/projects/a.md"]), GENERATED) == "dirty"


def test_a_removed_page_asks_for_a_full_rebuild(root):
    # A dirty build would keep serving the removed record's HTML.
    changed = {at(root, "data/projects/a.yml"), at(root, "docs/en/projects/a.md")}
    assert rebuild_needed(root, changed, result(removed=["en/projects/a.md"]), GENERATED) == FULL


def test_a_hand_written_page_asks_for_a_full_rebuild(root):
    # Its title may be in every page's sidebar, which a dirty build does not redraw.
    assert rebuild_needed(root, {at(root, "docs/fi/about.md")}, None, GENERATED) == FULL


def test_mkdocs_yml_asks_for_a_full_rebuild(root):
    assert rebuild_needed(root, {at(root, "mkdocs.yml")}, None, GENERATED) == FULL


def test_nothing_to_rebuild_when_generation_wrote_nothing(root):
    # An invalid record (result None), a touched record (nothing written), the generator's own writes.
    assert rebuild_needed(root, {at(root, "data/projects/a.yml")}, None, GENERATED) == ""
    assert rebuild_needed(root, {at(root, "docs/en/projects/a.md")}, result(), GENERATED) == ""


def test_an_invalid_save_is_reported_once_and_the_fix_is_generated(repo):
    # site/serve.py::regenerate: the errors of one input state are printed once, however many
    # unrelated events follow; the next valid save is generated.
    import io

    from portal.site import serve
    serve._LAST_FAILED["fingerprint"] = None
    assert serve.regenerate(repo, io.StringIO()) is not None
    record = sorted((repo / "data/projects").glob("*.yml"))[0]
    good = record.read_text(encoding="utf-8")
    record.write_text(good + "\nstatus: [not, a, status]\n", encoding="utf-8")
    first, second = io.StringIO(), io.StringIO()
    assert serve.regenerate(repo, first) is None and serve.regenerate(repo, second) is None
    assert record.name in first.getvalue() and "last valid version" in first.getvalue()
    assert second.getvalue() == ""
    record.write_text(good.replace("\n", "\n\n", 1), encoding="utf-8")
    assert serve.regenerate(repo, io.StringIO()) is not None
    assert serve._LAST_FAILED["fingerprint"] is None
