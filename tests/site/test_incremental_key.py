"""The site key of incremental builds (site/incremental.py): what reaches every page's HTML besides
its own Markdown. A change to one of those inputs must change the key (a full build follows); a
record's change must not (only its pages are rebuilt)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.site import incremental
from portal_testing import BASE_DATA, ROOT, make_overlay_repo

HOOKS = ROOT / "scripts/portal/site/hooks.py"
# Imported by the hooks but not read in a language's build: ensure_generated() runs only in a build
# of every language in one process (`mkdocs build`, `make serve`); its output is the pages.
NOT_IN_A_LANGUAGE_BUILD = {"portal.pipeline"}


def _portal_imports(path: Path) -> set[str]:
    """The portal modules a file imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("portal"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                module = candidate if (ROOT / "scripts" / (candidate.replace(".", "/") + ".py")).is_file() \
                    else node.module
                found.add(module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("portal")}
    return found


def _covered(module: str) -> bool:
    path = "scripts/" + module.replace(".", "/") + ".py"
    return any(path == entry or path.startswith(entry + "/") for entry in incremental.SITE_CODE)


def test_every_module_the_hooks_read_is_in_the_site_key():
    modules = _portal_imports(HOOKS) - NOT_IN_A_LANGUAGE_BUILD
    assert "portal.escape" in modules and "portal.export.datapackage" in modules
    assert sorted(m for m in modules if not _covered(m)) == []


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_overlay_repo(tmp_path / "repo", BASE_DATA)


@pytest.mark.parametrize("edited", ["mkdocs.yml", "scripts/locales/fi.yml", "scripts/locales/languages.yml",
                                    "scripts/portal/site/hooks.py", "scripts/portal/escape.py",
                                    "docs/fi/about.md"])
def test_what_every_page_shows_is_in_the_key(repo, edited):
    before = incremental.site_key(repo)
    with open(repo / edited, "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert incremental.site_key(repo) != before, f"{edited} changed, the key did not"


def test_the_site_address_is_in_the_key(repo, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://example.org/a/")
    first = incremental.site_key(repo)
    monkeypatch.setenv("SITE_URL", "https://example.org/b/")
    assert incremental.site_key(repo) != first


@pytest.mark.parametrize("edited", ["data/projects/startup-connect.yml", "scripts/templates/project.html.j2"])
def test_a_record_or_a_template_is_not_in_the_key(repo, edited):
    before = incremental.site_key(repo)
    with open(repo / edited, "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert incremental.site_key(repo) == before


def test_the_default_address_given_by_the_environment_is_the_same_key(repo, monkeypatch):
    """The publish workflow sets SITE_URL to the Pages address; a pull request's build leaves
    mkdocs.yml's default: the same address must give the same key, or no pull request could use
    main's build state."""
    monkeypatch.delenv("SITE_URL", raising=False)
    default = incremental.site_key(repo)
    monkeypatch.setenv("SITE_URL", "https://baltic-circular.github.io/portal/")
    assert incremental.site_key(repo) == default
