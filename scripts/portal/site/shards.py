"""One language's build cut into shards, so that a large catalogue uses every core and less memory.

Why: MkDocs renders a language's pages one after the other in one process and keeps them all in
memory until the end. With three languages on two cores, the third language ran alone while a
core idled, and at 10,000 records each process held ≈ 11,600 pages. A shard is an ordinary strict
MkDocs build of the language that renders only its share of the pages:

- every shard sees every file, so links, the sidebar and the page titles are those of the whole
  language; the pages of other shards are marked excluded (MkDocs' own InclusionLevel, as
  `exclude_docs` does), which keeps their URLs for links and leaves them out of the output;
- the pages the sidebar names (a dozen) are built by every shard, identically, since the sidebar
  needs their titles; static files (theme assets, open data, images) only by shard 0;
- a page's shard is a hash of its path without the language folder, so a record is in the same
  shard in every language and from one build to the next;
- merge() puts the shards' folders together and joins their sitemaps (site/finish.py reads one per
  language).
"""
from __future__ import annotations

import math
import os
import re
import shutil
import zlib
from pathlib import Path

from mkdocs.structure.files import InclusionLevel

# Below this many pages a language is built in one process: today's site (≈150 pages a language)
# builds in seconds, and each shard pays MkDocs' start (configuration, theme, every file listed).
MIN_PAGES = 1000
# At most this many pages per shard: bounds a build process's memory (≈ 40 KB a page).
MAX_PAGES = 6000

EXCLUDED_LINK = "which is excluded from the built site"  # MkDocs' INFO line for a link to another shard


def count_pages(docs: Path) -> int:
    """Markdown pages under one language's folder of docs/."""
    return sum(name.endswith(".md") for _, _, names in os.walk(docs) for name in names)


def plan(pages: dict[str, int], jobs: int) -> dict[str, int]:
    """How many shards each language is built in, given its page count and the processes that run
    at once: enough to keep each under MAX_PAGES, and, when the languages do not divide evenly over
    the processes (three languages, two cores), enough that every process has work to the end."""
    shards = {code: max(1, math.ceil(count / MAX_PAGES)) for code, count in pages.items()}
    large = [code for code, count in pages.items() if count >= MIN_PAGES]
    if jobs > 1 and large:
        for _ in range(jobs):
            if sum(shards.values()) % jobs == 0:
                break
            # one more shard for the language whose shards are largest
            code = max(large, key=lambda c: pages[c] / shards[c])
            shards[code] += 1
    return shards


def owner(uri: str, shards: int) -> int:
    """The shard that renders the page at `uri` (its path without the language folder)."""
    return zlib.crc32(uri.encode("utf-8")) % shards


def _nav_paths(nav) -> set[str]:
    """The page paths mkdocs.yml's nav names."""
    out: set[str] = set()
    stack = list(nav or [])
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return out


def page_uri(file) -> str:
    """A page's path without the language folder (mkdocs-static-i18n's `norm_src_uri`)."""
    return getattr(file, "norm_src_uri", None) or file.src_uri


def exclude_others(files, config, shard: int, shards: int, only: set[str] | None = None) -> None:
    """Mark what other shards build as excluded (after mkdocs-static-i18n picked the language's
    files). `only`: an incremental build (site/incremental.py), whose shards share out only
    these pages (the changed ones); the sidebar pages and the static files are built as always."""
    nav = _nav_paths(config.nav)
    for file in files:
        if file.inclusion.is_excluded():
            continue
        if file.is_documentation_page():
            uri = page_uri(file)
            if uri in nav or ((only is None or uri in only) and owner(uri, shards) == shard):
                continue
        elif shard == 0:
            continue
        file.inclusion = InclusionLevel.EXCLUDED


def merge(parts: list[Path], out: Path) -> None:
    """Put the shards' outputs together in `out` (moved, not copied). A file two shards wrote (a
    sidebar page, 404.html) is kept from the first; the sitemaps are joined, first shard first."""
    locs: list[str] = []
    for part in parts:
        locs += _sitemap_urls(part / "sitemap.xml")
    os.replace(parts[0], out)
    for part in parts[1:]:
        _move_tree(part, out)
        shutil.rmtree(part, ignore_errors=True)
    if locs:
        entries = "".join(f"<url>{loc}</url>" for loc in dict.fromkeys(locs))
        (out / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n',
            encoding="utf-8")
        (out / "sitemap.xml.gz").unlink(missing_ok=True)


def _sitemap_urls(sitemap: Path) -> list[str]:
    try:
        text = sitemap.read_text(encoding="utf-8")
    except OSError:
        return []
    return re.findall(r"<loc>[^<]*</loc>", text)


def _move_tree(src: Path, dst: Path) -> None:
    for entry in os.scandir(src):
        target = dst / entry.name
        if not os.path.lexists(target):
            os.replace(entry.path, target)
        elif entry.is_dir(follow_symlinks=False) and target.is_dir():
            _move_tree(Path(entry.path), target)
