"""Fixtures shared by every test folder; helpers live in portal_testing.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from portal_testing import make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of scripts/ with the small fixture data set (tests/fixtures/base/data)."""
    return make_repo(tmp_path / "repo")
