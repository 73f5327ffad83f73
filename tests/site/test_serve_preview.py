"""`portal serve` end to end (the command `make serve` runs): a saved record shows in every
language, through the dirty rebuilds of the language workers (site/serve_workers.py); a removed
record's pages are gone after the full rebuild it asks for; a worker that died does not stop the
preview (a full build takes over)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from portal_testing import ROOT, make_repo

TIMEOUT = 120  # seconds for a change to show: generous, the machine may be busy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except OSError:
        return 0, ""


def wait_until(condition, what: str, log: Path):
    """Ask until the preview shows it (each request is answered by the server under test)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)  # between two questions to the server: not a wait for the answer
    pytest.fail(f"{what} within {TIMEOUT} s; the preview said:\n{log.read_text(errors='replace')[-4000:]}")


def start_preview(tmp_path: Path, **env_extra: str):
    """`portal serve` on today's data (the hand-written pages link to its records, the small
    fixture set lacks them), once it answers: (repo, process, base URL, log)."""
    repo = make_repo(tmp_path / "repo", data=ROOT / "data", with_site=True)
    port = free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1", **env_extra)
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "portal", "serve", "--addr", f"127.0.0.1:{port}"],
                                  cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    site_url = yaml.load((repo / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]
    site_url = site_url if isinstance(site_url, str) else site_url[-1]  # !ENV [variable, default]
    base = f"http://127.0.0.1:{port}" + (urlsplit(site_url).path or "/")
    try:
        wait_until(lambda: fetch(base)[0] == 200, "the preview did not answer", log)
    except BaseException:
        stop(server, signal.SIGKILL)
        raise
    return repo, server, base.rstrip("/") + "/", log


def stop(server: subprocess.Popen, how: int = signal.SIGINT) -> None:
    os.killpg(server.pid, how)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@pytest.fixture
def preview(tmp_path):
    repo, server, base, log = start_preview(tmp_path)
    try:
        yield repo, base, log
    finally:
        stop(server)


def project(repo: Path) -> Path:
    return sorted((repo / "data/projects").glob("*.yml"))[0]


def retitle(record: Path, lang: str, word: str) -> None:
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    old = data["title"][lang]
    text = record.read_text(encoding="utf-8")
    assert f"{lang}: {old}" in text, f"{record}: no plain '{lang}: {old}' line to edit"
    record.write_text(text.replace(f"{lang}: {old}", f"{lang}: {old} {word}", 1), encoding="utf-8")


def test_a_saved_record_shows_in_every_language(preview):
    repo, base, log = preview
    record = project(repo)
    url = {lang: f"{base}{prefix}projects/{record.stem}/" for lang, prefix in (("en", ""), ("ru", "ru/"), ("fi", "fi/"))}
    for lang in url:
        retitle(record, lang, f"Zebra{lang}")
    for lang, page in url.items():
        wait_until(lambda lang=lang, page=page: f"Zebra{lang}" in fetch(page)[1],
                   f"the {lang} page did not show the edit", log)
    # The page of another language still links to the edited one in its own language (switcher).
    assert f'/ru/projects/{record.stem}/"' in fetch(url["en"])[1]
    assert "Reloading browsers" in log.read_text()


def unreferenced_record(repo: Path) -> Path:
    """A record that no other record and no hand-written page names (removing it leaves the
    records valid and the strict build free of broken links)."""
    texts = [p.read_text(encoding="utf-8") for p in (repo / "data").rglob("*.yml")]
    texts += [text for p in (repo / "docs").rglob("*.md")
              if "generated from" not in (text := p.read_text(encoding="utf-8"))[:400]]
    for folder in ("projects", "events", "playbooks", "organizations"):
        for record in sorted((repo / "data" / folder).glob("*.yml")):
            if sum(record.stem in text for text in texts) == 1:  # only its own file
                return record
    raise AssertionError("every record is named elsewhere: the test needs another way to remove one")


def test_a_removed_record_page_is_gone(preview):
    repo, base, log = preview
    record = unreferenced_record(repo)
    path = f"{record.parent.name}/{record.stem}/"
    assert fetch(base + path)[0] == 200
    record.unlink()
    wait_until(lambda: fetch(base + path)[0] == 404, "the removed record's page was still served", log)
    assert fetch(f"{base}ru/{path}")[0] == 404 and fetch(f"{base}fi/{path}")[0] == 404


def language_workers(repo: Path, code: str) -> list[int]:
    """The pids of this preview's worker for one language (found in /proc: their command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = (entry / "cwd").resolve()
        except OSError:
            continue
        if b"serve-language" in argv and code.encode() in argv and cwd == repo.resolve():
            found.append(int(entry.name))
    return found


def test_a_dead_language_worker_leaves_a_full_rebuild(preview):
    repo, base, log = preview
    record = project(repo)
    wait_until(lambda: language_workers(repo, "ru"), "no Russian worker of this preview", log)
    os.kill(language_workers(repo, "ru")[0], signal.SIGKILL)
    retitle(record, "ru", "Zebradead")
    page = f"{base}ru/projects/{record.stem}/"
    wait_until(lambda: "Zebradead" in fetch(page)[1], "the edit did not show after a worker died", log)
    assert "building everything again" in log.read_text()
    # A new worker took its place: the next save is a dirty rebuild again, and shows.
    wait_until(lambda: language_workers(repo, "ru"), "no new Russian worker", log)
    retitle(record, "ru", "Zebraback")
    wait_until(lambda: "Zebraback" in fetch(page)[1], "the next edit did not show", log)



def test_a_stopped_preview_leaves_no_temporary_folders(tmp_path):
    """Stopped the way a process manager stops it (SIGTERM to `portal serve` alone, which passes
    it on to the MkDocs process): the built site, the template cache and the trigger folder go."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    repo, server, base, log = start_preview(tmp_path, TMPDIR=str(temp))
    made = sorted(p.name for p in temp.iterdir())
    try:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            stop(server, signal.SIGKILL)
    # The preview made them (else the test would prove nothing), and none is left.
    for prefix in ("mkdocs_", "mkdocs-templates-", "portal-serve-"):
        assert any(name.startswith(prefix) for name in made), (prefix, made)
    left = sorted(p.name for p in temp.iterdir())
    assert left == [], f"left behind: {left}\n{log.read_text(errors='replace')[-2000:]}"
