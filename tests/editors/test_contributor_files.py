"""Issue forms, pull-request template, pre-commit configuration and the contributor guide."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal_testing import make_repo

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
LANGS = ("en", "ru", "fi")


def vocabulary_labels(name: str) -> list[str]:
    data = yaml.safe_load((ROOT / "data" / "vocabularies" / f"{name}.yml").read_text(encoding="utf-8"))
    return [term["label"]["en"] for term in data["terms"]]


def test_there_is_a_form_for_each_proposal() -> None:
    names = {yaml.safe_load(p.read_text(encoding="utf-8"))["name"] for p in FORMS.glob("*.yml")
             if p.name != "config.yml"}
    assert names == {"Propose a project", "Propose an organization", "Propose an event", "Report a correction"}
    config = yaml.safe_load((FORMS / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False


@pytest.mark.parametrize("path", sorted(p for p in FORMS.glob("*.yml") if p.name != "config.yml"),
                         ids=lambda p: p.name)
def test_issue_form_is_well_formed(path: Path) -> None:
    form = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids)), "ids must be unique within a form"
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if item["type"] != "markdown":
            assert item["attributes"]["label"].strip()
            assert re.fullmatch(r"[a-z0-9_-]+", item["id"])
        if item["type"] == "dropdown":
            options = item["attributes"]["options"]
            assert len(options) == len(set(options))
    if "correction" not in path.name:
        sources = next(i for i in form["body"] if i.get("id") == "sources")
        assert sources["validations"]["required"] is True, "a proposal must name its sources"


@pytest.mark.parametrize("form, field, vocabulary", [
    ("1-project.yml", "status", "statuses"),
    ("2-organization.yml", "type", "organization-types"),
    ("3-event.yml", "format", "event-formats"),
])
def test_dropdowns_offer_the_vocabulary(form: str, field: str, vocabulary: str) -> None:
    # The forms list the English labels of data/vocabularies/; when a term is added there, add it here.
    body = yaml.safe_load((FORMS / form).read_text(encoding="utf-8"))["body"]
    options = next(i for i in body if i.get("id") == field)["attributes"]["options"]
    assert options[:-1] == vocabulary_labels(vocabulary), f"{form}: update the {field} options"


def test_pull_request_template_has_a_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert len(re.findall(r"^- \[ \] ", text, re.M)) >= 5
    for words in ("source", "make validate", "make serve"):
        assert words in text


@pytest.mark.slow  # runs pre-commit for real (a git repository, the hooks): in `make test`, not `make check`
def test_pre_commit_validates_changed_records(tmp_path: Path) -> None:
    """pre-commit itself runs the hook on a commit that breaks a record, and on one that does not."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}["validate-records"]
    assert config["repos"][0]["repo"] == "local" and shlex.split(hook["entry"]) == ["make", "validate"]
    repo = make_repo(tmp_path / "repo")
    for name in ("Makefile", ".pre-commit-config.yaml", "requirements.txt"):
        shutil.copy2(ROOT / name, repo / name)  # copy2 keeps the times: make sees the venv as current
    (repo / ".venv").symlink_to(ROOT / ".venv")
    # The virtualenv is the repository's own (already set up): make must not try to rebuild it here.
    env = dict(os.environ, MAKEFLAGS="-o .venv/.site-installed", PRE_COMMIT_HOME=str(tmp_path / "cache"),
               GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")

    def git(*args):
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    subprocess.run(["make", "-s", "schemas"], cwd=repo, env=env, check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")

    def pre_commit(*files):
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "validate-records", "--files", *files],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    record = "data/projects/startup-connect.yml"
    good = pre_commit(record)
    assert good.returncode == 0, good.stdout + good.stderr
    path = repo / record
    path.write_text(path.read_text(encoding="utf-8").replace("themes: [circular-economy]", "themes: [circular-econmy]"),
                    encoding="utf-8")
    git("add", record)
    bad = pre_commit(record)
    assert bad.returncode == 1
    assert "data/projects/startup-connect.yml:" in bad.stdout and "did you mean 'circular-economy'?" in bad.stdout
    assert pre_commit("docs/README.md").returncode == 0  # a file the hook does not concern: skipped

    # The schema hook, in the environment pre-commit makes for it (its pinned packages only).
    def schema_hook(*files):
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "record-schemas", "--files", *files],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    path.write_text(path.read_text(encoding="utf-8").replace("themes: [circular-econmy]", "themes: [circular-economy]"),
                    encoding="utf-8")
    git("add", record)
    fine = schema_hook(record)
    assert fine.returncode == 0, fine.stdout + fine.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("status: closed", 'status: closed\nwebsite: \'https://example.org/a"b\''),
                    encoding="utf-8")
    git("add", record)
    broken = schema_hook(record)
    assert broken.returncode == 1
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if row.startswith("website:"))
    assert f"{record}:{line}:10: website: " in broken.stdout


def test_no_hook_needs_the_test_toolchain() -> None:
    """An editor runs the hooks with the site's virtualenv at most: no `make test-deps` (which asks for
    sudo to install Chromium), and the isolated hooks pin what they install to requirements-test.txt's
    versions."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"validate-records", "record-schemas", "actionlint"} <= set(hooks)
    pins = dict(line.split("==") for line in (ROOT / "requirements-test.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    pins.update(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    for hook in hooks.values():
        assert "test" not in hook["entry"] and "browser" not in hook["entry"], hook["entry"]
        if hook["language"] == "python":
            for dependency in hook["additional_dependencies"]:
                name, version = dependency.split("==")
                assert pins.get(name) == version, f"{hook['id']}: {dependency} is not the pinned version"


def test_contributing_md_is_the_english_page() -> None:
    # CONTRIBUTING.md is docs/en/contributing.md with links that work on GitHub: same sections,
    # same examples.
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "en" / "contributing.md").read_text(encoding="utf-8")
    assert re.findall(r"^#+ .*$", guide, re.M) == re.findall(r"^#+ .*$", page, re.M)
    assert re.findall(r"```.*?```", guide, re.S) == re.findall(r"```.*?```", page, re.S)


def test_contributor_guide_exists_in_every_language() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for lang in LANGS:
        page = (ROOT / "docs" / lang / "contributing.md").read_text(encoding="utf-8")
        for command in ("make new", "make serve", "make validate", "make status"):
            assert command in page, (lang, command)
        assert page.count("```") == guide.count("```"), f"{lang}: same examples as CONTRIBUTING.md"
    ru = (ROOT / "docs" / "ru" / "contributing.md").read_text(encoding="utf-8")
    fi = (ROOT / "docs" / "fi" / "contributing.md").read_text(encoding="utf-8")
    assert re.search("[а-яА-Я]{200}", re.sub(r"[^а-яА-Я]", "", ru)), "the Russian page is in Russian"
    assert "ä" in fi and "muokkaa" in fi.lower(), "the Finnish page is in Finnish"
