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
the first), with filters and metadata for the catalogues. This module runs the indexer
once per language after every language is built, checks that every language got its index, and
removes the bundle files the portal does not serve (Pagefind's own UIs: overrides/assets/portal/search.js is
the portal's client of Pagefind's JS API), puts the filter files in a fixed order so that every
build of a commit writes the same bytes (site/search_order.py), and compresses again what every search downloads first
(site/recompress.py).

Pagefind reads extracts, not the pages (search_input.py): per page its `<html lang>` and the
`data-pagefind-body` element, everything else it reads. The bundle is the same byte for byte
(tests/site/test_search_index.py indexes the real site both ways) and Pagefind takes 0.6 of the time.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ..phases import phase
from ..render.context import ui_key

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


def index_site(site_dir: Path, languages: list[str], extracts: Path | None = None) -> IndexReport:
    """Index site_dir into site_dir/pagefind; every language in `languages` must get pages.
    `extracts`: a folder holding the extract of every page of site_dir already (the build state's,
    search_input.update_extracts); without it they are cut from the site into a folder of their own.

    Pagefind runs once per language of the registry, on that language's pages only (`--glob`), into
    a bundle of its own, and the bundles are put together: its index files are named per language
    and its scripts are the same in every run. Why not one run: Pagefind holds every page it indexes
    in memory (≈ 165 KB a page: 1.65 GB for one language at 10,000 records). The languages run side
    by side, one per core, when their indexes fit in MEMORY_BUDGET together, else one at a time."""
    site_dir = Path(site_dir)
    start = time.perf_counter()
    bundle = site_dir / BUNDLE
    from ..staging import remove_tree, staging_folder
    remove_tree(bundle)
    from .search_input import extract_paths, write_extracts
    with staging_folder(site_dir.parent, ".pagefind-") as staging:
        if extracts is None:
            source = staging / "pages"
            with phase("extracts of the pages"):
                written = write_extracts(site_dir, source, skip=[BUNDLE])  # what Pagefind reads of each page
        else:
            source, written = extracts, extract_paths(extracts)
        globs = _language_globs(site_dir)
        outputs = _run_languages(source, globs, staging, _at_once(written, [code for code, _ in globs]))
        with phase("bundles put together"):
            _merge_bundles([out for out, _ in outputs], bundle)
    pages = indexed_pages(bundle)
    missing = [lang for lang in languages if not pages.get(lang)]
    if missing:
        said = "; ".join(_summary(stdout) for _, stdout in outputs)
        raise SearchIndexFailed(f"no search index for {', '.join(missing)}: no page with <html lang> "
                                f"of that language carries data-pagefind-body (Pagefind said: {said})")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    from .search_order import UnknownFormat, canonical_bundle
    try:
        with phase("bundle in a fixed order"):
            canonical_bundle(bundle)  # the same bytes and names on every build (site/search_order.py)
    except (UnknownFormat, OSError, ValueError, KeyError) as exc:
        raise SearchIndexFailed(f"the Pagefind bundle could not be put in a fixed order: {exc}") from None
    from .recompress import default_cache, recompress_bundle
    with phase("bundle recompressed"):
        recompress_bundle(bundle, default_cache())  # (site/recompress.py: what every search fetches first)
    return IndexReport(pages, time.perf_counter() - start)


# What the Pagefind processes running side by side may hold together, and what one holds per page
# (measured: 1.65 GB for 10,053 pages, the same for whole pages and for extracts).
MEMORY_BUDGET = 1_200_000_000
BYTES_PER_PAGE = 165_000


def _at_once(written: list[str], codes: list[str]) -> int:
    """How many languages Pagefind indexes at once: one per core while the largest indexes fit in
    MEMORY_BUDGET together."""
    from .. import languages as registry_of
    registry = registry_of.registry()
    counts = dict.fromkeys(codes, 0)
    for rel in written:
        first = rel.split("/", 1)[0]
        counts[first if first in registry.targets else registry.source] += 1
    from .build import jobs
    largest = sorted(counts.values(), reverse=True)
    n = max(1, min(jobs(), len(codes)))
    while n > 1 and sum(largest[:n]) * BYTES_PER_PAGE > MEMORY_BUDGET:
        n -= 1
    return n


def _run_languages(source: Path, globs: list[tuple[str, str]], staging: Path,
                   at_once: int) -> list[tuple[Path, str]]:
    """Pagefind on each language's extracts into staging/<code>/: [(that folder, what it said)], in
    the order of `globs`."""
    from concurrent.futures import ThreadPoolExecutor

    from .. import faults

    def run(task: tuple[str, str]) -> tuple[Path, str]:
        code, glob = task
        out = staging / code
        # The heading permalinks (¶) are not text: left out of titles and excerpts.
        with phase(f"Pagefind {code}"):
            done = subprocess.run([str(executable()), "--site", str(source), "--glob", glob,
                                   "--output-path", str(out), "--exclude-selectors", ".headerlink"],
                                  capture_output=True, text=True)
        if done.returncode != 0 and re.search(r"^Found 0 files matching", done.stdout, re.M):
            return out, f"no HTML file matches {glob}"  # reported by the caller if required
        if done.returncode != 0:
            raise SearchIndexFailed(f"Pagefind failed on {source} ({code}):\n"
                                    f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
        faults.point("pagefind")
        return out, done.stdout

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return list(pool.map(run, globs))


def _language_globs(site_dir: Path) -> list[tuple[str, str]]:
    """(language, the glob of its HTML files) for every language of the registry: a language's own
    folder (ru/**), and for the source language everything else at the root of the site."""
    from .. import languages
    registry = languages.registry()
    root = [entry.name for entry in sorted(site_dir.iterdir())
            if entry.is_dir() and entry.name not in registry.targets and entry.name != BUNDLE]
    source = "{" + ",".join(["*.html"] + [f"{name}/**/*.html" for name in root]) + "}"
    return [(registry.source, source)] + [(code, f"{registry.prefix(code)}**/*.html")
                                          for code in registry.targets]


def _merge_bundles(parts: list[Path], bundle: Path) -> None:
    """One bundle from the per-language ones: their files side by side (index, fragment and filter
    files and the .pf_meta are named per language; the scripts and the WebAssembly are the same in
    each), and one pagefind-entry.json naming every language."""
    entry: dict = {}
    for part in parts:
        if not (part / "pagefind-entry.json").is_file():
            continue  # a language with no page to index: reported by the caller
        own = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = {**entry.get("languages", {}), **own.get("languages", {})}
        entry = {**own, "languages": languages}
        for path in sorted(part.rglob("*")):
            target = bundle / path.relative_to(part)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif path.name != "pagefind-entry.json" and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")


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


# What the header offers without JavaScript (overrides/partials/portal/search.html): the search cannot
# run, so it says so and links the pages that list every record. Named with ui_key so that en.yml
# must hold each string (model/ui_strings.py); a missing translation falls back to the source language.
WITHOUT_SCRIPT = {"label": ui_key("search.label"), "title": ui_key("search_without_js.title"),
                  "text": ui_key("search_without_js.text")}
WITHOUT_SCRIPT_LINKS = (("projects/", ui_key("catalogue.projects.title")),
                        ("organizations/", ui_key("catalogue.organizations.title")),
                        ("events/", ui_key("catalogue.events.title")),
                        ("playbooks/", ui_key("catalogue.playbooks.title")),
                        ("programmes/", ui_key("catalogue.programmes.title")),
                        ("topics/", ui_key("facets.title")))


def without_script(locales: dict[str, dict], source: str, lang: str) -> dict:
    """{label, title, text, links: [[path under the language's root, label], …]} in `lang`."""
    def text(key: str) -> str:
        for strings in (locales.get(lang) or {}, locales.get(source) or {}):
            node = strings
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, str) and node:
                return node
        return ""
    return {**{name: text(key) for name, key in WITHOUT_SCRIPT.items()},
            "links": [[path, text(key)] for path, key in WITHOUT_SCRIPT_LINKS]}

