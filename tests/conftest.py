"""Fixtures shared by every test folder; helpers live in portal_testing.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from portal_testing import make_repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of scripts/ with the small fixture data set (tests/fixtures/base/data)."""
    return make_repo(tmp_path / "repo")


def pytest_addoption(parser):
    parser.addoption("--shard", default="", metavar="K/N",
                     help="run only the K-th of N shares of the test files (make check runs two at once)")


def pytest_collection_modifyitems(config, items):
    """--shard K/N: the test files dealt out in turn, whole (a module's fixtures are set up once)."""
    shard = config.getoption("--shard")
    if not shard:
        return
    k, n = (int(x) for x in shard.split("/"))
    files = list(dict.fromkeys(item.path for item in items))
    mine = {path for i, path in enumerate(files) if i % n == k - 1}
    keep = [item for item in items if item.path in mine]
    config.hook.pytest_deselected(items=[item for item in items if item.path not in mine])
    items[:] = keep
