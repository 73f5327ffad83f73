"""The Makefile passes what an editor types to the command as it is: neither make nor the shell
interprets it; and the exit codes are those README documents."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from portal_testing import make_repo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(ROOT / name, repo / name)  # copy2 keeps the times: make sees the venv as current
    (repo / ".venv").symlink_to(ROOT / ".venv")
    return repo


def make(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MAKEFLAGS="-o .venv/.site-installed")  # the venv is the repository's own
    env.pop("PORTAL_ANNOTATIONS", None)
    return subprocess.run(["make", "-s", *args], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)


def files(repo: Path) -> list[str]:
    return sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if ".venv" not in p.parts)


def test_a_slug_is_never_run_by_the_shell(repo: Path) -> None:
    before = files(repo)
    done = make(repo, "new", "KIND=project", 'SLUG=x";touch ran;"')
    assert not (repo / "ran").exists()
    assert done.returncode == 2  # make's code for a failed recipe; the command said 1 ("Error 1")
    assert "the file name 'x\";touch ran;\"' is not a slug" in done.stderr
    assert files(repo) == before


def test_a_slug_is_never_expanded_by_make(repo: Path) -> None:
    before = files(repo)
    done = make(repo, "new", "KIND=project", "SLUG=$(y)x")
    assert "the file name '$(y)x' is not a slug" in done.stderr and done.returncode == 2
    assert files(repo) == before  # not data/projects/x.yml
    quoted = make(repo, "new", "KIND=project", "SLUG=it's-$$HOME")
    assert "the file name 'it's-$$HOME' is not a slug" in quoted.stderr


def test_a_valid_slug_is_written(repo: Path) -> None:
    done = make(repo, "new", "KIND=project", "SLUG=my-project")
    assert done.returncode == 0, done.stderr
    assert (repo / "data/projects/my-project.yml").is_file()


def test_make_validate_exit_codes_are_the_documented_ones(repo: Path) -> None:
    assert make(repo, "schemas").returncode == 0  # the fixture's vocabularies differ from the real ones
    assert make(repo, "validate").returncode == 0
    record = repo / "data/projects/startup-connect.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("themes: [", "themes: [recyling, ", 1),
                      encoding="utf-8")
    done = make(repo, "validate")
    # The command exits 1; make reports that as "Error 1" and itself exits 2 (README, "make validate").
    assert done.returncode == 2 and "validate] Error 1" in done.stderr
    assert "data/projects/startup-connect.yml:" in done.stderr
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"))
    direct = subprocess.run([str(repo / ".venv/bin/python"), "-m", "portal", "validate"], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=300)
    assert direct.returncode == 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "exits 1" in readme and "make` itself then exits 2" in readme
