"""Incremental generation (issue 12): an unchanged tree is checked by its file stats and nothing is
written, not even the manifest; a touched record is re-read but renders nothing; an edited record
writes only the pages whose bytes changed; a deleted record's pages go; a record saved while a
generation runs makes the next check generate again."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import pipeline
from portal.model.schema import LANGS

RECORD = "data/events/meeting-2019.yml"


def docs_state(repo: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under docs/ with its bytes and mtime: a rewrite with the same bytes shows too."""
    return {p.relative_to(repo / "docs").as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted((repo / "docs").rglob("*")) if p.is_file()}


def age_inputs(repo: Path, seconds: int = 3600) -> None:
    """Date every input back, as on a tree that was not just copied (no racy timestamps)."""
    past = (os.stat(repo / RECORD).st_mtime_ns - seconds * 10**9)
    for rel in pipeline.input_files(repo, set()):
        os.utime(repo / rel, ns=(past, past))


def record_pages(record: str) -> set[str]:
    folder, name = record.split("/")[1:]
    return {f"{lang}/{folder}/{Path(name).stem}.md" for lang in LANGS}


@pytest.fixture
def generated(repo: Path) -> Path:
    age_inputs(repo)
    assert pipeline.ensure_generated(repo) is not None
    return repo


def test_a_no_op_run_writes_nothing_not_even_the_manifest(generated):
    before = docs_state(generated)
    assert pipeline.ensure_generated(generated) is None
    assert docs_state(generated) == before


def test_an_unchanged_tree_is_checked_by_stats_without_reading_a_file(generated, monkeypatch):
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    assert pipeline.is_current(generated)
    assert read == []


def test_a_touched_record_is_read_again_but_nothing_is_written(generated, monkeypatch):
    before = docs_state(generated)
    record = generated / RECORD
    later = record.stat().st_mtime_ns + 10**9
    os.utime(record, ns=(later, later))
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    assert pipeline.ensure_generated(generated) is None
    assert read == [record], "only the file whose stat changed is hashed"
    assert docs_state(generated) == before


def test_an_edited_record_writes_only_the_pages_that_changed(generated):
    before = docs_state(generated)
    record = generated / RECORD
    text = record.read_text(encoding="utf-8")
    assert "summary: {en: A meeting.," in text
    record.write_text(text.replace("summary: {en: A meeting.,", "summary: {en: A meeting on reuse.,"),
                      encoding="utf-8")
    result = pipeline.ensure_generated(generated)
    assert result is not None
    after = docs_state(generated)
    manifest = Path(pipeline.MANIFEST).relative_to("docs").as_posix()
    changed = {p for p in after if p in before and after[p][0] != before[p][0]} - {manifest}
    # Only the English text changed: the Russian and Finnish pages keep their bytes and their mtime.
    assert "en/events/meeting-2019.md" in result.report.written
    assert "ru/events/meeting-2019.md" not in result.report.written
    assert "A meeting on reuse." in (generated / "docs/en/events/meeting-2019.md").read_text()
    assert set(result.report.written) == changed, "a page is written exactly when its bytes change"
    untouched = [p for p in before if p in after and p not in changed and p != manifest]
    assert untouched and all(after[p][1] == before[p][1] for p in untouched), "no same-bytes rewrite"
    assert pipeline.ensure_generated(generated) is None, "and the next run has nothing to do"


def test_a_deleted_record_loses_its_pages(generated):
    (generated / RECORD).unlink()
    result = pipeline.ensure_generated(generated)
    assert result is not None
    for page in record_pages(RECORD):
        assert not (generated / "docs" / page).exists()
        assert page in result.report.removed


def test_a_generated_page_removed_by_hand_is_put_back(generated):
    page = generated / "docs" / sorted(record_pages(RECORD))[0]
    text = page.read_bytes()
    page.unlink()
    assert pipeline.ensure_generated(generated) is not None
    assert page.read_bytes() == text


def test_a_record_saved_during_generation_is_generated_again(repo, monkeypatch):
    age_inputs(repo)
    real = pipeline.validate
    record = repo / RECORD

    def validate_then_save(root):
        cat = real(root)  # the record was read; the editor saves again before the pages are written
        record.write_text(record.read_text(encoding="utf-8") + "# saved again\n", encoding="utf-8")
        return cat

    monkeypatch.setattr(pipeline, "validate", validate_then_save)
    assert pipeline.ensure_generated(repo) is not None
    monkeypatch.setattr(pipeline, "validate", real)
    assert pipeline.ensure_generated(repo) is not None, "the pages may be older than the record"
    assert pipeline.ensure_generated(repo) is None


def test_generate_command_on_a_current_tree_says_so_and_writes_nothing(generated):
    before = docs_state(generated)
    env = dict(os.environ, PYTHONPATH=str(generated / "scripts"))
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run([sys.executable, "-m", "portal", "generate"], cwd=generated, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Generated pages are current: nothing to do, nothing written."
    assert docs_state(generated) == before
