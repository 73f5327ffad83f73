"""The real data built once per test session, shared by the site tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from portal_testing import ROOT, build, make_repo


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("real") / "repo", data=ROOT / "data", with_site=True)
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return repo / "site"
