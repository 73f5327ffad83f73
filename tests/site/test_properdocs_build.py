"""The exit from MkDocs is ready (issue 21, item 4): ProperDocs builds the fixture site exactly as
MkDocs does, every file but the generator line (scripts/portal/site/compare.py), and its strict
mode counts what Material, mkdocs-static-i18n and our hooks warn.

ProperDocs runs from its own virtualenv, without MkDocs (`make properdocs-venv`, or the Python
PORTAL_PROPERDOCS_PYTHON names: the pull request workflow's ProperDocs job sets it). Without that
virtualenv these tests are skipped, saying how to make it; with PORTAL_PROPERDOCS_PYTHON set to a
Python that is not there, they fail.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from portal.site import compare

from portal_testing import BASE_DATA, ROOT, build, make_overlay_repo

PYTHON_ENV = "PORTAL_PROPERDOCS_PYTHON"


@pytest.fixture(scope="module")
def properdocs_python() -> str:
    given = os.environ.get(PYTHON_ENV)
    # absolute (the builds run in the repository copies), symlinks kept (a virtualenv's python is one)
    python = Path(given or ROOT / ".venv-properdocs/bin/python").absolute()
    if not python.exists():
        if given:
            pytest.fail(f"{PYTHON_ENV}={given}: no such Python", pytrace=False)
        pytest.skip("no ProperDocs virtualenv: `make properdocs-venv` makes .venv-properdocs")
    return str(python)


def _run(python: str, code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PORTAL_ENGINE="properdocs", PYTHONPATH=str(ROOT / "scripts"))
    return subprocess.run([python, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_the_properdocs_virtualenv_has_no_mkdocs_and_mkdocs_imports_are_properdocs(properdocs_python):
    done = _run(properdocs_python, """
import importlib.metadata as md, sys
assert "mkdocs" not in {d.metadata["Name"] for d in md.distributions()}, "MkDocs is installed too"
import portal.site
import mkdocs, mkdocs.commands.build, properdocs
assert mkdocs is properdocs and mkdocs.commands.build.__name__ == "properdocs.commands.build"
from portal.site import hooks  # our hooks, as ProperDocs loads them
print(md.version("properdocs"))
""")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1.6.7"


def test_a_warning_logged_as_mkdocs_counts_in_properdocs_strict_mode(properdocs_python):
    # ProperDocs counts the warnings of a strict build on its `properdocs` logger; Material,
    # mkdocs-static-i18n and our hooks (mkdocs.portal) log under `mkdocs`. engine.py joins the two
    # as ProperDocs' own command line does; without that, their warnings would pass a strict build.
    done = _run(properdocs_python, """
import logging
import portal.site
from properdocs.utils import CountHandler
counter = CountHandler()
logging.getLogger("properdocs").addHandler(counter)  # as properdocs.commands.build does in strict mode
logging.getLogger("mkdocs.portal").warning("from a hook")
logging.getLogger("mkdocs.material.extensions").warning("from the theme")
print(counter.get_counts())
""")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('WARNING', 2)]"


@pytest.mark.slow
def test_properdocs_builds_the_fixture_site_as_mkdocs_does_but_for_the_generator_line(tmp_path, properdocs_python):
    sites = {}
    for engine, python in (("mkdocs", None), ("properdocs", properdocs_python)):
        repo = make_overlay_repo(tmp_path / engine / "repo", BASE_DATA)  # the fixture, stub hand-written pages
        done = build(repo, python=python, engine=engine)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        assert "WARNING" not in done.stderr, done.stderr
        sites[engine] = repo / "site"
    # Each engine really built its site: the one line set aside names it.
    assert compare.generators(sites["mkdocs"]) == {
        '<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1">'}
    assert compare.generators(sites["properdocs"]) == {
        '<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">'}
    names = compare.files(sites["mkdocs"])
    assert {"sitemap.xml", "ru/index.html", "fi/404.html", "pagefind/pagefind.js", "data/datapackage.json",
            "feed.xml"} <= set(names), "the comparison covers pages, sitemaps, search index and exports"
    assert compare.differences(sites["mkdocs"], sites["properdocs"]) == []
