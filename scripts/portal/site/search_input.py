"""What Pagefind reads of each built page: an extract holding only the parts it indexes.

Pagefind parses a whole page to find its `data-pagefind-body` element (overrides/main.html wraps
the page content, its h1, metadata and filters in one), and reads nothing else of it but the
`<html lang>` that picks the language's index. At 10,000 records it spent 40 % of its time on the
rest: the header, the sidebar, the footer and scripts are most of a page's bytes. The extract
keeps exactly the two: `<html lang="…">` and the body element as the page wrote it, so the index,
the fragments and the filters are the same byte for byte (tests/site/test_search_index.py runs
Pagefind both ways on the real site and compares the bundles).

A page without the element (the 404 pages, catalogue pages after the first) gets no extract:
Pagefind leaves such pages out anyway once any page carries it. A page whose element cannot be
cut out with certainty (its closing tag not found) is handed over whole.

An extract depends on its page's HTML alone, so `portal build` keeps them in the build state
(site/incremental.py) and makes again only those of the pages it wrote anew (update_extracts): at
10,000 records a one-record build read and cut every one of 34,700 pages (9 s) and removed the
copies after (rm of 35,000 files).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

BODY = "<div data-pagefind-body>"  # as overrides/main.html writes it
_DIV = re.compile(r"<(/?)div\b")
_LANG = re.compile(r'<html\b[^>]*\blang="([^"]*)"')


def extract(html: str) -> str | None:
    """The page as Pagefind needs it, or None when it has no body element (not indexed)."""
    start = html.find(BODY)
    if start < 0:
        return None
    end = _element_end(html, start)
    lang = _LANG.search(html, 0, start)
    if end is None or lang is None:
        return html  # not cut with certainty: the whole page, which Pagefind reads as always
    return (f'<!doctype html><html lang="{lang.group(1)}"><head><meta charset="utf-8"></head>'
            f"<body>{html[start:end]}</body></html>")


def _element_end(html: str, start: int) -> int | None:
    """The end of the div opened at `start` (nested divs counted), or None."""
    depth = 0
    for tag in _DIV.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = html.find(">", tag.end())
            return close + 1 if close >= 0 else None
    return None


def write_extract(page: str, dest: str) -> bool:
    """The extract of the page at `page` written to `dest` (its folders made); when the page has none,
    no file at `dest` (one left by an earlier build removed). True when an extract was written."""
    with open(page, encoding="utf-8") as handle:
        text = extract(handle.read())
    if text is None:
        Path(dest).unlink(missing_ok=True)
        return False
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w", encoding="utf-8") as handle:
        handle.write(text)
    return True


def update_extracts(parts: dict[str, tuple[str, Path]], dest: Path,
                    changes: dict[str, tuple[list[str], list[str]]] | None) -> None:
    """Make dest/ hold the extract of every HTML page of the parts (language -> (its folder under the
    site root, "" or "ru/"; the part's folder)), at the page's path in the site. `changes`: per
    language (the files written anew, the files removed) since the extracts in dest/ were made from
    that part; None: dest/ holds none of them yet, every page is cut."""
    for code, (prefix, part) in parts.items():
        base, out = str(part), os.path.join(str(dest), prefix)
        if changes is None:
            written, removed = _html_files(base), []
        else:
            written = [rel for rel in changes[code][0] if rel.endswith(".html")]
            removed = [rel for rel in changes[code][1] if rel.endswith(".html")]
        for rel in written:
            if not write_extract(os.path.join(base, rel), os.path.join(out, rel)) and changes is not None:
                _remove_empty_folders(os.path.dirname(os.path.join(out, rel)), str(dest))
        for rel in removed:
            Path(out, rel).unlink(missing_ok=True)
            _remove_empty_folders(os.path.dirname(os.path.join(out, rel)), str(dest))


def _remove_empty_folders(folder: str, top: str) -> None:
    """The folder of a removed extract and the folders above it, while empty (up to `top`)."""
    while os.path.normpath(folder) != os.path.normpath(top):
        try:
            os.rmdir(folder)
        except OSError:  # not empty, or gone
            return
        folder = os.path.dirname(folder)


def _html_files(base: str) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(base):
        rel = os.path.relpath(folder, base)
        found += [name if rel == "." else f"{rel}/{name}" for name in names if name.endswith(".html")]
    return found


def extract_paths(dest: Path) -> list[str]:
    """The extracts in dest/, relative to it."""
    return _html_files(str(dest))


def write_extracts(site: Path, dest: Path, skip: list[str]) -> list[str]:
    """An extract of every HTML page of `site` at the same path under `dest` (top-level folders in
    `skip` left out); returns their paths, relative to `dest`."""
    written = []
    for folder, dirs, names in os.walk(site):
        here = Path(folder)
        if here == site:
            dirs[:] = [d for d in dirs if d not in skip]
        for name in names:
            if name.endswith(".html"):
                rel = (here / name).relative_to(site)
                if write_extract(str(here / name), str(dest / rel)):
                    written.append(rel.as_posix())
    return written
