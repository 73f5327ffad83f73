"""The language registry and the interface strings are checked like records (model/registry.py,
model/ui_strings.py); the rules themselves have fixtures in tests/fixtures/validation/registry-* and
strings-*. Here: the command line stops before anything is written, and the list of strings en.yml
must hold is the list the pages really read."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import render
from portal.model import ui_strings
from portal.model.translations import ui_status
from portal.model.validate import validate
from portal.render import context
from portal_testing import ROOT, make_repo, tree_snapshot
from test_validation_rules import CASES, expected_messages, overlay


def cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"))
    env.pop("PORTAL_ANNOTATIONS", None)
    return subprocess.run([sys.executable, "-m", "portal", *args], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("case", ["registry-code-not-a-tag", "registry-missing-fields",
                                  "registry-locale-file-missing", "registry-syntax-error",
                                  "strings-source-key-missing", "strings-translation-problems"])
def test_every_command_stops_with_the_messages_and_writes_nothing(case: str, tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    assert cli(repo, "generate").returncode == 0
    overlay(CASES / case, repo)
    before = tree_snapshot(repo / "docs")
    expected = expected_messages(CASES / case, repo)
    for command in ("validate", "generate"):
        done = cli(repo, command)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert [line for line in done.stderr.splitlines() if line.startswith("scripts/")] == expected
    assert tree_snapshot(repo / "docs") == before


def test_a_string_left_out_of_a_translation_falls_back_and_is_listed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    overlay(CASES / "strings-translation-falls-back", repo)
    assert validate(repo).problems == []
    total, missing = ui_status(repo / "scripts" / "locales", "fi")
    assert "notice.read_more" in missing and "notice.read_more" not in ui_status(repo / "scripts/locales", "ru")[1]


def test_every_family_of_keys_in_the_code_has_its_values() -> None:
    assert ui_strings.required(ROOT / "scripts")[1] == []


def test_the_required_strings_are_those_the_pages_read(tmp_path: Path, monkeypatch) -> None:
    """Render every page of the fixture data in every language, noting each string read and in what
    shape: each must be one validation requires of en.yml, in that shape."""
    read: dict[str, type] = {}
    original = context.UI.__getitem__

    def noting(self, key):
        value = original(self, key)
        read.setdefault(key, type(value))
        return value
    monkeypatch.setattr(context.UI, "__getitem__", noting)
    monkeypatch.setattr(context.UI, "__call__", noting)
    repo = make_repo(tmp_path / "repo")
    cat = validate(repo)
    assert cat.problems == []
    from portal.pipeline import export_pages
    site = render.Site(cat, repo)
    from portal.render.pages import all_pages
    all_pages(site) + export_pages(site)
    needed, _ = ui_strings.required(ROOT / "scripts")
    assert len(read) > 150
    optional = tuple(pattern.rstrip("*") for pattern in ui_strings.OPTIONAL_FAMILIES)
    assert sorted(key for key in set(read) - set(needed) if not key.startswith(optional)) == []
    shapes = {"text": (str,), "any": (str, dict), "list": (list,), "plural": (dict,), "section": (dict,)}
    wrong = {key: (needed[key].shape, kind.__name__) for key, kind in read.items() if key in needed
             and not issubclass(kind, shapes[needed[key].shape])}
    assert wrong == {}


def test_the_strings_check_is_kept_until_a_strings_file_or_the_code_changes(tmp_path: Path) -> None:
    """ui_strings.check() remembers its answer by the content of the code and of scripts/locales/
    (a record's save in the preview changes neither): an edit of either is checked again."""
    repo = make_repo(tmp_path / "repo")
    assert ui_strings.check(repo) == []
    assert ui_strings.check(repo) == []  # (kept)
    en = repo / "scripts/locales/en.yml"
    text = en.read_text(encoding="utf-8")
    en.write_text(text.replace("\nnotice:", "\nnotice_renamed:", 1), encoding="utf-8")
    broken = ui_strings.check(repo)
    assert ("scripts/locales/en.yml", "notice.fallback") in {(p.file, p.field) for p in broken}
    en.write_text(text, encoding="utf-8")
    assert ui_strings.check(repo) == []
    # The code reads a string en.yml does not have: found without any strings file changing.
    module = repo / "scripts/portal/render/pages/status.py"
    module.write_text(module.read_text(encoding="utf-8") + '\n\ndef _new(ui):\n    return ui["not.a.string.yet"]\n',
                      encoding="utf-8")
    assert [p.field for p in ui_strings.check(repo)] == ["not.a.string.yet"]


def test_a_kept_check_is_a_copy(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "scripts/locales/en.yml").write_text("{}\n", encoding="utf-8")
    first = ui_strings.check(repo)
    first.clear()
    assert ui_strings.check(repo)
