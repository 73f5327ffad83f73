"""A command killed at any stage is finished or undone by the next run, with nothing left behind
(issue 18): the tree after the next run is byte for byte that of a clean build.

The kill is deterministic: PORTAL_KILL_AT=<stage> makes the command SIGKILL its own process group at
that stage (scripts/portal/faults.py), so the test sees what `kill -9` at that point leaves, on any
machine and at any load. Each command runs in a session of its own, so only it is killed.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from portal import faults, pipeline, staging

from portal_testing import BASE_DATA, build, make_overlay_repo

EDITED = "data/projects/startup-connect.yml"
REMOVED = "data/events/meeting-2019.yml"


def _portal(repo: Path, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    env.pop(faults.ENV, None)
    if kill_at:
        env[faults.ENV] = kill_at
    return subprocess.run([sys.executable, "-m", "portal", *args], cwd=repo, env=env,
                          capture_output=True, text=True, start_new_session=True)


def _edit(repo: Path) -> None:
    """A change that rewrites pages in every language and removes others."""
    record = repo / EDITED
    text = record.read_text(encoding="utf-8")
    assert "fi: Startup Connect}" in text
    record.write_text(text.replace("fi: Startup Connect}", "fi: Muokattu hanke}"), encoding="utf-8")
    (repo / REMOVED).unlink()


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of the repository copy but the code (and its __pycache__): docs/, site/, and any
    leftover beside them. The manifest's stat table holds mtimes, so only its fingerprint and page
    list are compared."""
    out = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo).as_posix()
        if path.is_dir() or rel.startswith("scripts/") or "__pycache__" in rel:
            continue
        data = path.read_bytes()
        if rel == pipeline.MANIFEST:
            manifest = json.loads(data)
            data = json.dumps([manifest["fingerprint"], manifest["pages"]]).encode()
        out[rel] = data
    return out


@pytest.fixture(scope="module")
def built_before(tmp_path_factory) -> Path:
    """The fixture site, built: the state every interrupted run starts from."""
    repo = make_overlay_repo(tmp_path_factory.mktemp("before") / "repo", BASE_DATA)
    done = build(repo)
    assert done.returncode == 0, done.stderr[-3000:]
    return repo


@pytest.fixture(scope="module")
def clean_after(tmp_path_factory) -> dict[str, bytes]:
    """A clean build, from nothing, of the edited data: what the next run must leave."""
    repo = make_overlay_repo(tmp_path_factory.mktemp("clean") / "repo", BASE_DATA)
    _edit(repo)
    done = build(repo)
    assert done.returncode == 0, done.stderr[-3000:]
    return snapshot(repo)


def _differences(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    return sorted([f"only after the interrupted run: {n}" for n in set(got) - set(want)]
                  + [f"missing: {n}" for n in set(want) - set(got)]
                  + [f"differs: {n}" for n in set(got) & set(want) if got[n] != want[n]])


# stage -> (the command killed, what the kill must have left: proof that it struck at that stage)
KILLS = {
    "generate-temp": ("generate", lambda repo: list(repo.glob("docs/**/.*.tmp"))
                      and not (repo / "docs" / ".generated-journal.json").exists()),
    "generate-rename": ("generate", lambda repo: (repo / "docs" / ".generated-journal.json").is_file()),
    "mkdocs": ("build", lambda repo: list(repo.glob(".site-building-*/parts/*/index.html"))),
    "pagefind": ("build", lambda repo: list(repo.glob(".site-building-*/.pagefind-*/out/*/pagefind-entry.json"))),
    "swap": ("build", lambda repo: (repo / ".site-previous").is_dir() and not (repo / "site").exists()),
}


@pytest.mark.parametrize("stage", faults.STAGES)
def test_the_next_build_after_a_kill_leaves_the_tree_of_a_clean_build(built_before, clean_after,
                                                                       tmp_path, stage):
    repo = shutil.copytree(built_before, tmp_path / "repo", symlinks=True)
    _edit(repo)
    command, left_behind = KILLS[stage]
    killed = _portal(repo, command, kill_at=stage)
    assert killed.returncode == -signal.SIGKILL, killed.stdout[-2000:] + killed.stderr[-3000:]
    assert left_behind(repo), f"the kill at {stage} left nothing to recover: the hook missed its stage"
    again = _portal(repo, "build")
    assert again.returncode == 0, again.stderr[-3000:]
    differences = _differences(snapshot(repo), clean_after)
    assert not differences, "\n".join(differences[:20])


@pytest.mark.parametrize("stage", ["generate-temp", "generate-rename"])
def test_docs_are_whole_again_before_the_next_command_reads_them(built_before, clean_after,
                                                                  tmp_path, stage):
    """A killed generation is finished (journal written) or undone (temp files only) by any next
    command before it reads docs/: here `portal validate`, which writes no page itself."""
    repo = shutil.copytree(built_before, tmp_path / "repo", symlinks=True)
    before = {n: b for n, b in snapshot(repo).items() if n.startswith("docs/") and n != pipeline.MANIFEST}
    _edit(repo)
    assert _portal(repo, "generate", kill_at=stage).returncode == -signal.SIGKILL
    checked = _portal(repo, "validate")
    assert checked.returncode == 0, checked.stderr[-3000:]
    docs = {n: b for n, b in snapshot(repo).items() if n.startswith("docs/") and n != pipeline.MANIFEST}
    if stage == "generate-temp":  # undone: the pages of the last complete generation
        assert _differences(docs, before) == []
    else:  # finished: the pages of the edited records, as a clean generation writes them
        want = {n: b for n, b in clean_after.items() if n.startswith("docs/") and n != pipeline.MANIFEST}
        assert _differences(docs, want) == []
    assert "interrupted generation" in checked.stderr


HOLDER = """
import sys
from pathlib import Path
from portal import staging
with staging.staging_folder(Path(sys.argv[1]), ".site-building-") as folder:
    print(folder, flush=True)
    sys.stdin.read()  # held until the test closes stdin or kills this process
"""


def test_a_live_runs_staging_folder_is_never_removed_a_dead_ones_is(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(Path(staging.__file__).parents[1]))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        folder = Path(holder.stdout.readline().strip())
        assert folder.is_dir() and folder.name.startswith(f".site-building-{holder.pid}-")
        (folder / "part.html").write_text("work in progress")
        assert staging.remove_stale(tmp_path, ".site-building-") == []
        assert (folder / "part.html").is_file(), "a live build's work was removed"
        with staging.staging_folder(tmp_path, ".site-building-") as mine:  # a second build meanwhile
            assert folder.is_dir() and mine.is_dir() and mine != folder
    finally:
        holder.kill()
        holder.wait()
    assert folder.is_dir(), "kill -9 leaves the folder behind"
    assert staging.remove_stale(tmp_path, ".site-building-") == [folder]
    assert not folder.exists()


PROBE = """
import sys
from pathlib import Path
from portal import staging
with staging.locked(Path(sys.argv[1]), wait=False) as free:
    print(free)
"""


def test_a_generation_under_way_holds_docs_so_no_other_run_sweeps_its_temp_files(tmp_path):
    (tmp_path / "docs").mkdir()
    with pipeline.docs_lock(tmp_path):
        probe = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "docs")],
                               env=dict(os.environ, PYTHONPATH=str(Path(staging.__file__).parents[1])),
                               capture_output=True, text=True)
    assert probe.stdout.strip() == "False", probe.stderr
