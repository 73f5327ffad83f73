"""Benchmark: how long after saving a record its page shows the change in a browser under `portal serve`.

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/serve_latency.py [--edits 7] [--data DIR]

Copies the repository's code, hand-written pages and data/ (default: today's data) into a temporary
git repository, starts `python -m portal serve` there (the command `make serve` runs), opens the
page of one project in headless Chromium and saves its English title with a new word, several times.
Latency = from the write of the record file to the new word being in the page the browser shows
(MkDocs' live-reload script reloads it). Prints each edit with the server's own timeline (when the
generation finished, when MkDocs saw the change and when it reloaded the browsers) and the median.
Issue 12's target: <= 2 s at today's data.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from portal_testing import make_repo  # noqa: E402

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MARKS = {  # lines of the server's output that mark the steps of one save
    "generated": "Generated pages:",
    "detected": "Detected file changes",
    "reloaded": "Reloading browsers",
}


class ServerLog:
    """The server's output, each line with the time it arrived."""

    def __init__(self, stream):
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in iter(stream.readline, ""):
            with self.lock:
                self.lines.append((time.perf_counter(), line.rstrip()))

    def since(self, start: float) -> list[tuple[float, str]]:
        with self.lock:
            return [(t, line) for t, line in self.lines if t >= start]

    def first(self, start: float, mark: str) -> float | None:
        return next((t - start for t, line in self.since(start) if mark in line), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the preview did not answer on {url} within {timeout:.0f} s")


def prepare(tmp: Path, data: Path) -> tuple[Path, Path, str]:
    """A repository copy under git (the serve path reads the checkout like the real one) and the
    record to edit with its English title."""
    import yaml
    repo = make_repo(tmp / "repo", data=data, with_site=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@portal.invalid", "commit",
                    "-q", "-m", "snapshot"], cwd=repo, check=True)
    record = sorted((repo / "data/projects").glob("*.yml"))[0]
    title = yaml.safe_load(record.read_text(encoding="utf-8"))["title"]["en"]
    return repo, record, title


def edit(record: Path, title: str, word: str) -> None:
    """Put `word` after the English title (the first `en:` line that holds it), saved in place."""
    text = record.read_text(encoding="utf-8")
    new, count = re.subn(rf"(\ben: *){re.escape(title)}[^\n]*", rf"\g<1>{title} {word}", text, count=1)
    if not count:
        raise SystemExit(f"{record}: no line 'en: {title}' to edit")
    record.write_text(new, encoding="utf-8")


def page_text(page) -> str:
    try:
        return page.evaluate("document.body ? document.body.innerText : ''")
    except Exception:  # the live-reload script is navigating: no document this instant
        return ""


def stop(server: subprocess.Popen) -> None:
    """Ctrl-C to the preview's process group (the command and its MkDocs process), then kill."""
    try:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=7, help="saves to time (default 7)")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data/ to copy (default: today's)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for one edit")
    parser.add_argument("--verbose", action="store_true", help="print the server's lines of each edit")
    args = parser.parse_args()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        repo, record, title = prepare(Path(tmp), args.data)
        port = free_port()
        env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "portal", "serve", "--addr", f"127.0.0.1:{port}"],
                                  cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, bufsize=1, start_new_session=True)
        log = ServerLog(server.stdout)
        try:
            import yaml
            site_url = yaml.load((repo / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]
            base = urlsplit(site_url if isinstance(site_url, str) else site_url[-1]).path or "/"
            url = f"http://127.0.0.1:{port}{base}projects/{record.stem}/"
            wait_http(url, timeout=300)
            print(f"preview up after {time.perf_counter() - started:.1f} s: {url}")
            print(f"{'edit':>4} {'visible s':>9} {'generated s':>11} {'detected s':>10} {'reloaded s':>10}")
            results = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                time.sleep(1.5)  # let the first load's live-reload poll settle (not part of a test)
                for i in range(args.edits):
                    word = f"latency{i}x{os.getpid()}"
                    t0 = time.perf_counter()
                    edit(record, title, word)
                    # Each reload the live-reload script makes fires DOMContentLoaded: the new text is
                    # in the page then (polling the page every few ms took a core from the server measured).
                    while word not in page_text(page):
                        left = args.timeout - (time.perf_counter() - t0)
                        if server.poll() is not None:
                            raise SystemExit("the preview stopped:\n" + "\n".join(l for _, l in log.lines))
                        try:
                            page.wait_for_event("domcontentloaded", timeout=max(left, 0.001) * 1000)
                        except PlaywrightTimeout:
                            raise SystemExit(f"edit {i}: not visible after {args.timeout:.0f} s\n"
                                             + "\n".join(line for _, line in log.since(t0))) from None
                    visible = time.perf_counter() - t0
                    results.append(visible)
                    marks = [log.first(t0, m) for m in MARKS.values()]
                    print(f"{i:>4} {visible:>9.2f} " + " ".join(
                        f"{m:>{w}.2f}" if m is not None else f"{'-':>{w}}" for m, w in zip(marks, (11, 10, 10))))
                    if args.verbose:
                        for t, line in log.since(t0):
                            print(f"      {t - t0:7.2f}  {line[:150]}")
                    time.sleep(1.0)  # let the preview go idle: each edit is a separate save
                browser.close()
            print(f"median latency over {len(results)} edits: {statistics.median(results):.2f} s "
                  f"(min {min(results):.2f}, max {max(results):.2f})")
        finally:
            stop(server)


if __name__ == "__main__":
    main()
