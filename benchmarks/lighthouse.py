"""Benchmark: Lighthouse scores of the built site, mobile, per page kind and language (issue 20).

    make lighthouse   # once: npm ci of Lighthouse 12.2.3 (benchmarks/lighthouse/package-lock.json)
    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/lighthouse.py [--site [LABEL=]DIR ...]
        [--runs 3] [--languages en ru fi] [--pages home catalogue record map]
        [--record projects/crea-re/] [--json results.json] [--markdown table.md] [--reports DIR]

The built site (`make site`) is served on 127.0.0.1 under the base path of its site_url, by the
browser tests' server (tests/browser/server.py: a missing page answers the root 404.html, a folder
without its slash is redirected) with what GitHub Pages adds to it on the wire: text types
gzip-compressed (level 6) for a client that accepts gzip, and `Cache-Control: max-age=600`.

Lighthouse (the npm package pinned in benchmarks/lighthouse/package-lock.json) runs in its default
mode: mobile form factor, simulated throttling (slow 4G, 4x CPU slowdown), an empty cache per run,
with Chromium at /usr/bin/chromium (PORTAL_CHROMIUM overrides) in headless mode. Each run is one
Lighthouse process for one page; the runs go round all pages and languages (and sites) before the
next round starts, so a busy minute on the shared machine spreads over every page rather than
spoiling one. Several sites (`--site before=/tmp/site-old after=site`, each a built site) are
measured interleaved in this way, for a comparison within one session.

For every page and language it prints the median over the runs of the performance score and of each
of its metrics (FCP, LCP, TBT, CLS, Speed Index, each a median of its own), the accessibility,
best-practices and SEO scores, the performance score of each run, and the 1-minute load average
(os.getloadavg()) when each run started: scores on a busy machine are lower, so read them beside it.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from browser import server  # noqa: E402
from browser.conftest import site_base_path  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {  # Lighthouse audit id → (column, divisor of its numericValue, decimals)
    "first-contentful-paint": ("FCP s", 1000, 1),
    "largest-contentful-paint": ("LCP s", 1000, 1),
    "total-blocking-time": ("TBT ms", 1, 0),
    "cumulative-layout-shift": ("CLS", 1, 3),
    "speed-index": ("SI s", 1000, 1),
}
LANG_PREFIX = {"en": ""}  # the default language at the root, every other under /<code>/
PAGES = {"home": "", "catalogue": "projects/", "record": None, "map": "map/"}
RECORD = "projects/crea-re/"  # a project page of median size
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml",
                    "image/svg+xml")


class PagesHandler(server.SiteHandler):
    """tests/browser/server.py's answers, sent as GitHub Pages sends them: gzip for text types when
    the client accepts it, and Pages' ten-minute cache header. The parent's status line and headers
    are held back until the body is known, then sent with the encoding that fits."""

    def send_head(self):
        self._held: list[tuple[str, str]] = []
        self._status = None
        body = super().send_head()
        headers = dict(self._held)
        if body is not None and self._compressible(headers) and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(body.read(), compresslevel=6, mtime=0)
            body.close()
            headers["Content-Length"] = str(len(data))
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
            body = io.BytesIO(data)
        if "Cache-Control" in headers:
            headers["Cache-Control"] = "max-age=600"
        self._status, status = None, self._status
        http.server.BaseHTTPRequestHandler.send_response_only(self, *status)
        for name, value in headers.items():
            http.server.BaseHTTPRequestHandler.send_header(self, name, value)
        http.server.BaseHTTPRequestHandler.end_headers(self)
        self._held = None
        return body

    @staticmethod
    def _compressible(headers: dict[str, str]) -> bool:
        return headers.get("Content-Type", "").split(";")[0].strip().startswith(COMPRESSED_TYPES)

    def send_response_only(self, code, message=None):
        if getattr(self, "_held", None) is None:
            return super().send_response_only(code, message)
        self._status = (code, message)

    def send_header(self, keyword, value):
        if getattr(self, "_held", None) is None or self._status is None:
            return super().send_header(keyword, value)
        self._held.append((keyword, value))

    def end_headers(self):
        if getattr(self, "_held", None) is None or self._status is None:
            super().end_headers()


def serve(site: Path):
    """Serve `site` under its base path on a free port of 127.0.0.1: (server, root URL)."""
    base = site_base_path(site)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(PagesHandler, site=site, base=base))
    srv.requests = []  # tests/browser/server.py notes every request answered there
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}{base}"


def page_path(lang: str, page: str, record: str) -> str:
    prefix = LANG_PREFIX.get(lang, f"{lang}/")
    return prefix + (record if PAGES[page] is None else PAGES[page])


def lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run on `url`, default (mobile, simulated throttling); its JSON report."""
    command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(CHROMIUM_ARGS)}"]
    done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM},
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def summary(result: dict) -> dict:
    """The numbers of one run: category scores (0-100) and the metrics' numeric values."""
    if result.get("runtimeError"):
        raise SystemExit(f"lighthouse: {result['runtimeError']}")
    out = {category: round(100 * (result["categories"][category]["score"] or 0)) for category in CATEGORIES}
    for audit in METRICS:
        out[audit] = result["audits"][audit]["numericValue"]
    return out


def median_row(runs: list[dict]) -> dict:
    row = {key: statistics.median(run[key] for run in runs) for key in (*CATEGORIES, *METRICS)}
    row["runs"] = [run["performance"] for run in runs]
    row["load"] = [run["load"] for run in runs]
    return row


def table(rows: dict[tuple[str, str, str], dict]) -> str:
    """One line per (site, page, language); the site column only when there are several sites."""
    several = len({site for site, _, _ in rows}) > 1
    head = [*(["site"] if several else []), "page", "lang", "perf",
            *(column for column, _, _ in METRICS.values()), "a11y", "BP", "SEO",
            "perf of each run", "load (1 min) at each run"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] * (3 if several else 2) + ["---:"] * (len(head) - (3 if several else 2))) + "|"]
    for (site, page, lang), row in rows.items():
        metrics = [f"{row[audit] / divisor:.{decimals}f}" for audit, (_, divisor, decimals) in METRICS.items()]
        cells = [*([site] if several else []), page, lang, f"**{row['performance']:.0f}**", *metrics,
                 f"{row['accessibility']:.0f}", f"{row['best-practices']:.0f}", f"{row['seo']:.0f}",
                 " / ".join(str(score) for score in row["runs"]),
                 " / ".join(f"{load:.2f}" for load in row["load"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chromium_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return CHROMIUM


def lighthouse_version() -> str:
    package = LIGHTHOUSE.parents[1] / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def site_arguments(values: list[str]) -> dict[str, Path]:
    """`[LABEL=]DIR` each; the label defaults to the folder's name."""
    sites = {}
    for value in values:
        label, _, folder = value.rpartition("=")
        folder = Path(folder)
        if not (folder / "sitemap.xml").exists():
            raise SystemExit(f"{folder} is not a built site: make site")
        sites[label or folder.resolve().name] = folder.resolve()
    return sites


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", nargs="+", default=[str(ROOT / "site")],
                        help="built sites, [LABEL=]DIR each (default: site/, from make site)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and language (median)")
    parser.add_argument("--languages", nargs="+", default=["en", "ru", "fi"])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--record", default=RECORD, help="the record page, a path under a language's root")
    parser.add_argument("--json", type=Path, help="write every run and the medians here")
    parser.add_argument("--markdown", type=Path, help="write the table here")
    parser.add_argument("--reports", type=Path, help="keep each run's Lighthouse JSON report here")
    args = parser.parse_args()

    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: make lighthouse")
    sites = site_arguments(args.site)
    reports = args.reports or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    servers = {label: serve(folder) for label, folder in sites.items()}
    runs: dict[tuple[str, str, str], list[dict]] = {
        (site, page, lang): [] for page in args.pages for lang in args.languages for site in sites}
    started = datetime.now(timezone.utc)
    try:
        for number in range(1, args.runs + 1):
            for (site, page, lang), done in runs.items():
                load = os.getloadavg()[0]
                began = time.monotonic()
                report = reports / f"{site}-{page}-{lang}-{number}.json"
                url = servers[site][1] + page_path(lang, page, args.record)
                result = summary(lighthouse(url, report))
                result["load"] = load
                done.append(result)
                print(f"run {number} {site} {page:9} {lang}: performance {result['performance']:3} "
                      f"(LCP {result['largest-contentful-paint'] / 1000:.1f} s, "
                      f"TBT {result['total-blocking-time']:.0f} ms, "
                      f"CLS {result['cumulative-layout-shift']:.3f}) load {load:.2f}, "
                      f"{time.monotonic() - began:.0f} s", flush=True)
    finally:
        for srv, _ in servers.values():
            srv.shutdown()
    rows = {key: median_row(done) for key, done in runs.items()}
    text = table(rows)
    machine = (f"{platform.node()}, nproc {os.cpu_count()}, Lighthouse {lighthouse_version()}, "
               f"{chromium_version()}, {started:%Y-%m-%d %H:%M} UTC, median of {args.runs}")
    print(f"\n{machine}\n\n{text}")
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "record": args.record, "runs": [
            {"site": site, "page": page, "lang": lang, **run}
            for (site, page, lang), done in runs.items() for run in done],
        }, indent=1) + "\n", encoding="utf-8")
    print(f"reports: {reports}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
