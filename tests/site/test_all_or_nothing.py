"""A failed build leaves the previous site/ as it was; the live preview keeps the last valid pages."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from portal_testing import BASE_DATA, build, make_overlay_repo, tree_snapshot


def test_a_failed_build_leaves_the_previous_site(tmp_path):
    repo = make_overlay_repo(tmp_path / "repo", BASE_DATA)
    assert build(repo).returncode == 0
    before = tree_snapshot(repo / "site")
    # Valid records, but a hand-written page with a broken link fails the strict MkDocs build
    # after the pages were generated: the half-built new site must never replace the old one.
    (repo / "docs/fi/about.md").write_text("# Tietoa\n\n[rikki](ei-ole.md)\n")
    result = build(repo)
    assert result.returncode != 0
    assert "site/ was left as it was" in result.stderr
    assert tree_snapshot(repo / "site") == before
    assert not list(repo.glob(".site-*")), "the staging folder is removed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, what: str, timeout: float = 60.0):
    """Poll until predicate() holds: the condition a reader would see, bounded in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)  # polling interval of a condition, not a fixed wait for an outcome
    raise AssertionError(f"timed out waiting for {what}")


def _title(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            html = response.read().decode("utf-8")
    except OSError:
        return ""
    start = html.find("<title>")
    return html[start + 7: html.find("</title>", start)] if start >= 0 else ""


def test_serve_shows_edits_and_keeps_the_last_valid_page(tmp_path):
    repo = make_overlay_repo(tmp_path / "repo", BASE_DATA)
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "portal", "serve", "--addr", f"127.0.0.1:{port}"],
                            cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/portal/fi/projects/startup-connect/"
    record = repo / "data/projects/startup-connect.yml"
    try:
        _wait_for(lambda: _title(url).startswith("Startup Connect -"), "the first build")
        record.write_text(record.read_text().replace("fi: Startup Connect}", "fi: Muokattu hanke}"))
        _wait_for(lambda: _title(url).startswith("Muokattu hanke -"), "the edited title")
        record.write_text(record.read_text() + "bad: [\n")
        lines = record.read_text().count("\n")
        message = f"data/projects/startup-connect.yml:{lines + 1}:1: YAML syntax error"
        _wait_for(lambda: message in Path(log.name).read_text(encoding="utf-8"), "the error message")
        assert _title(url).startswith("Muokattu hanke -")
        record.write_text(record.read_text().replace("bad: [\n", "").replace("Muokattu hanke", "Korjattu"))
        _wait_for(lambda: _title(url).startswith("Korjattu -"), "the fixed record")
        text = Path(log.name).read_text(encoding="utf-8")
        assert text.count(message) == 1, "one save, one report"
        assert "Traceback" not in text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
