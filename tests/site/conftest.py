"""The real data built once per test session, shared by the site tests.

`make test` builds site/ from the repository first and sets PORTAL_SITE_DIR=site, so the tests read
that build (the browser tests serve the same one): the real site is built once per run. Run on its
own, pytest builds a copy in a temporary folder.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal_testing import ROOT, build, current_site, make_repo


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    given = os.environ.get("PORTAL_SITE_DIR")
    if given:
        return current_site((ROOT / given).resolve(), given=True)  # a stale build fails
    repo = make_repo(tmp_path_factory.mktemp("real") / "repo", data=ROOT / "data", with_site=True)
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return repo / "site"
