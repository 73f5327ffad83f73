"""What a reader downloads, step by step, from a built site served as GitHub Pages serves it (issue 21).

    .venv/bin/python benchmarks/reader_bytes.py site [--json out.json]

The site is served on 127.0.0.1 under the base path of its site_url by tests/browser/server.py, with
GitHub Pages' caching headers (max-age=600, ETag); headless Chromium with its HTTP cache on (no
request routing, which would turn it off). Two readers:

- one who opens the English home page, switches to Russian with the language selector, then
  searches on the Russian home page ("отходов");
- per language, one with an empty cache who opens a record page (projects/ekolend/) and searches.

Bytes are what reached the server and what it sent (the server's own request log: a 200 sends the
file, a 304 nothing), uncompressed and as GitHub Pages would send them (text types gzipped at level
6: benchmarks/scaling.py on_the_wire); a file the browser took from its cache is not counted.
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "scripts"), str(ROOT / "tests")]

from scaling import CHROMIUM, CHROMIUM_ARGS, base_path, on_the_wire  # noqa: E402

RECORD = "projects/ekolend/"  # a real project, in every language
QUERIES = {"en": "waste", "ru": "отходов", "fi": "kiertotalouden"}
PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}


def _file(site: Path, base: str, path: str) -> Path:
    rel = path[len(base):] if path.startswith(base) else ""
    target = site / rel
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else site / "404.html"


def account(site: Path, base: str, requests: list) -> dict:
    """The server's log lines (method, path, status) as requests, files, bytes and gzip bytes."""
    files, total, wire, sitemaps = [], 0, 0, 0
    for _method, path, status in requests:
        sitemaps += path.endswith("sitemap.xml")
        if status in (200, 404):
            body = _file(site, base, path).read_bytes()
            ctype = mimetypes.guess_type(path if "." in path.rsplit("/", 1)[-1] else "x.html")[0] or ""
            total += len(body)
            gz = on_the_wire(body, ctype)
            wire += gz
            files.append([path, status, gz])
        else:
            files.append([path, status, 0])
    return {"requests": len(requests), "bytes": total, "gzip": wire, "sitemap_requests": sitemaps,
            "files": files}


def _search(page, lang: str) -> None:
    page.locator(".portal-search__open").click()
    page.locator("#portal-search-input").fill(QUERIES[lang])
    page.locator(".portal-search__result").first.wait_for(state="visible", timeout=120_000)
    page.wait_for_load_state("networkidle")


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from browser import server
    base = base_path(site)
    srv, url = server.start(site, base)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            steps = []

            def step(name, action):
                start = len(srv.requests)
                action()
                steps.append((name, account(site, base, srv.requests[start:])))

            def home():
                page.goto(url)
                page.wait_for_load_state("networkidle")

            def switch():
                page.locator(".md-header__option .md-select").first.hover()
                link = page.locator(".md-select__link[hreflang=ru]").first
                link.wait_for(state="visible")
                with page.expect_navigation():
                    link.click()
                page.wait_for_load_state("networkidle")

            step("en home", home)
            step("switch to ru", switch)
            step("first search on ru", lambda: _search(page, "ru"))
            context.close()
            out["switch"] = dict(steps)
            for lang in PREFIX:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                steps = []
                step("record page", lambda: (page.goto(url + PREFIX[lang] + RECORD),
                                             page.wait_for_load_state("networkidle")))
                step("first search", lambda: _search(page, lang))
                context.close()
                out[f"record+search {lang}"] = dict(steps)
            browser.close()
    finally:
        srv.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = measure(args.site.resolve())
    print(f"{'reader':<20} {'step':<20} {'requests':>8} {'sitemap':>7} {'bytes':>10} {'gzip':>9}")
    for reader, steps in result.items():
        for name, got in steps.items():
            print(f"{reader:<20} {name:<20} {got['requests']:>8} {got['sitemap_requests']:>7} "
                  f"{got['bytes']:>10,} {got['gzip']:>9,}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
