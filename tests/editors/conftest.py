"""Shared helpers for the editors' workflow tests (issue 4)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A throw-away copy of data/ and scripts/ (and mkdocs.yml, docs/ skeleton not included).

    Commands run against it write only inside tmp_path; the real data/ is never touched."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "scripts", root / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root
