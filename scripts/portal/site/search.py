"""The site's search: a Pagefind index of the built HTML, one per language, written into site/pagefind/.

Why Pagefind (issue 12): the reader's browser loads only the index chunks a query needs (not a whole
index per page view), the build indexes in seconds with the binary the pinned `pagefind_bin` wheel
ships (no network), and nothing depends on the theme's own search. Pagefind reads each page's
`<html lang>` and builds one index per language, with Snowball stemming for English, Russian and
Finnish (the wasm.<lang>.pagefind files), so /ru/ searches Russian pages only and "отходов" finds
"отходы".

What is indexed is decided in the pages themselves (overrides/main.html and
overrides/partials/portal/search-data.html, from the front matter render/search_fields.py writes):
only the content of pages that carry `data-pagefind-body` (not the 404, not catalogue pages after
the first), with filters, sort keys and metadata for the catalogues. This module runs the indexer
once, after every language is built, checks that every language got its index, and removes the
bundle files the portal does not serve (Pagefind's own UIs: overrides/assets/portal/search.js is
the portal's client of Pagefind's JS API).
"""
from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE = "pagefind"  # site/pagefind/
# Pagefind's ready-made UIs and highlighter; the portal uses pagefind.js + pagefind-worker.js only.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexFailed(Exception):
    """Pagefind could not index the site, or a language has no index: the build must fail."""


@dataclass
class IndexReport:
    pages: dict[str, int]  # language -> pages indexed
    seconds: float


def executable() -> Path:
    """The Pagefind binary shipped in the pinned pagefind_bin wheel (requirements.txt)."""
    try:
        import pagefind_bin
    except ImportError:
        raise SearchIndexFailed("the Pagefind binary is missing: `make venv` installs pagefind[bin] "
                                "from requirements.txt") from None
    return pagefind_bin.get_executable()


def index_site(site_dir: Path, languages: list[str]) -> IndexReport:
    """Index site_dir into site_dir/pagefind; every language in `languages` must get pages."""
    site_dir = Path(site_dir)
    start = time.perf_counter()
    # The heading permalinks (¶) are not text: left out of titles and excerpts.
    done = subprocess.run([str(executable()), "--site", str(site_dir), "--output-subdir", BUNDLE,
                           "--exclude-selectors", ".headerlink"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SearchIndexFailed(f"Pagefind failed on {site_dir}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    pages = indexed_pages(site_dir / BUNDLE)
    missing = [lang for lang in languages if not pages.get(lang)]
    if missing:
        raise SearchIndexFailed(f"no search index for {', '.join(missing)}: no page with <html lang> "
                                f"of that language carries data-pagefind-body (Pagefind said: "
                                f"{_summary(done.stdout)})")
    for name in UNUSED:
        (site_dir / BUNDLE / name).unlink(missing_ok=True)
    return IndexReport(pages, seconds)


def indexed_pages(bundle: Path) -> dict[str, int]:
    """Pages per language, from the bundle's entry file."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {lang: int(info.get("page_count", 0)) for lang, info in (entry.get("languages") or {}).items()}


def _summary(stdout: str) -> str:
    return "; ".join(m.strip() for m in re.findall(r"^\s*(Indexed .*|Discovered .*)$", stdout, re.M)) or "nothing"


def ui_strings(locales: dict[str, dict], source: str) -> dict[str, dict]:
    """The search and filter strings of every language (scripts/locales/<lang>.yml), for the client:
    the page picks its own by <html lang>; a missing string falls back to the source language's."""
    fallback = locales.get(source, {}).get("search", {})
    return {lang: {"search": {**fallback, **(strings.get("search") or {})}} for lang, strings in locales.items()}
