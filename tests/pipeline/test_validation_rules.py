"""One test per validation rule: each fixture folder holds the bad input beside the exact messages
it must produce (tests/fixtures/validation/<case>/expected.txt)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from portal_testing import FIXTURES, make_repo
from portal.model.validate import validate

CASES = FIXTURES / "validation"


def overlay(case: Path, repo: Path) -> None:
    """Lay a case over the repository copy: its files (data/, docs/ for hand-written pages), the
    files named in delete.txt removed, and the edits of edits.yml made (for the language registry
    and the interface strings: one changed line in the real file, not a stale copy of it)."""
    for path in case.rglob("*"):
        rel = path.relative_to(case)
        if path.is_file() and rel.parts[0] in ("data", "docs"):  # docs/: hand-written pages
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, repo / rel)
    for line in (case / "delete.txt").read_text().split() if (case / "delete.txt").exists() else []:
        (repo / line).unlink()
    edits = yaml.safe_load((case / "edits.yml").read_text(encoding="utf-8")) if (case / "edits.yml").exists() else []
    for edit in edits:
        target = repo / edit["file"]
        text = target.read_text(encoding="utf-8")
        assert text.count(edit["replace"]) == 1, f"{case.name}: {edit['replace']!r} is not once in {edit['file']}"
        target.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")


def expected_messages(case: Path, repo: Path) -> list[str]:
    """expected.txt of a case; `{edit N}` stands for the line of the real file where the N-th edit of
    edits.yml was made (the real locale files grow, and their line numbers with them)."""
    text = (case / "expected.txt").read_text(encoding="utf-8").strip()
    edits = yaml.safe_load((case / "edits.yml").read_text(encoding="utf-8")) if (case / "edits.yml").exists() else []
    for n, edit in enumerate(edits, start=1):
        if f"{{edit {n}}}" in text:
            written = (repo / edit["file"]).read_text(encoding="utf-8")
            line = written[: written.index(edit["with"])].count("\n") + 1
            text = text.replace(f"{{edit {n}}}", str(line))
    return text.splitlines()


def messages(repo: Path) -> list[str]:
    return [str(p) for p in sorted(set(validate(repo).problems))]


def test_base_fixture_is_valid(repo):
    assert messages(repo) == []


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_rule(case, tmp_path):
    repo = make_repo(tmp_path / "repo")
    overlay(CASES / case, repo)
    assert messages(repo) == expected_messages(CASES / case, repo)


def test_file_over_the_size_limit(repo):
    big = repo / "data/projects/huge.yml"
    big.write_text("slug: huge\nsummary: {en: '" + "x" * 300_000 + "'}\n")
    assert messages(repo) == [f"data/projects/huge.yml:1:1: file is {big.stat().st_size} bytes; "
                              "a record may be at most 262144 bytes (split it, or move long text out)"]


def test_alias_bomb_is_refused_before_expansion(repo):
    # The classic "billion laughs": expanding it would take gigabytes.
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    (repo / "data/projects/bomb.yml").write_text("\n".join(lines) + "\n")
    assert messages(repo) == ["data/projects/bomb.yml:1:4: a: YAML anchors and aliases (&name, *name) are "
                              "not allowed in records; write the value out in full"]


def test_every_error_is_reported_at_once(tmp_path):
    repo = make_repo(tmp_path / "repo")
    cases = ("unknown-theme-typo", "end-before-start", "duplicate-key")  # three different files
    expected = []
    for case in cases:
        overlay(CASES / case, repo)
        expected += (CASES / case / "expected.txt").read_text(encoding="utf-8").split("\n")
    assert messages(repo) == sorted(line for line in expected if line)
