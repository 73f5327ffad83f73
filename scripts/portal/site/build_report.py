"""What one language's MkDocs process says about its build, for site/incremental.py (hooks.py calls it).

A process of `portal build` (site/build.py) is given a report file (config.extra["portal_build"]
["report"]); at the end of a successful build it writes there, as JSON:

- "pages": every page of the language, built here or not (a shard or an incremental build marks
  the others excluded, site/shards.py), with the file MkDocs writes it to and its address in the
  sitemap, as MkDocs itself computed them: an incremental build keeps the output of the pages it
  did not build from the previous one, and writes the sitemap of all of them;
- "nav": what the sidebar shows (titles, addresses and the page meta Material's nav reads): every
  page carries the sidebar, so a page kept from the previous build is only right if this is unchanged;
- "rendered": the pages this process rendered (the build log's "rebuilt N pages").
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urljoin

from . import shards

NAV_META = ("icon", "subtitle", "status")  # page meta Material's nav partials print (nav-item.html)

_STATE: dict = {}


def start(files, config) -> None:
    """At on_files, before this process marks other shards' pages excluded: the language's pages."""
    base = config.site_url or ""
    base = base if not base or base.endswith("/") else base + "/"
    _STATE.clear()
    _STATE.update(rendered=set(), nav=None, pages={
        shards.page_uri(f): [f.dest_uri, urljoin(base, f.url) if base else f.url]
        for f in files if f.is_documentation_page() and not f.inclusion.is_excluded()})


def note_nav(nav) -> None:
    _STATE["nav"] = nav


def note_page(page) -> None:
    if "rendered" in _STATE:
        _STATE["rendered"].add(shards.page_uri(page.file))


def _nav_items(items) -> list:
    out = []
    for item in items or []:
        meta = getattr(item, "meta", None) or {}
        out.append({"title": item.title, "url": getattr(item, "url", None),
                    "meta": {key: str(meta[key]) for key in NAV_META if key in meta},
                    "children": _nav_items(getattr(item, "children", None))})
    return out


def write(path: str) -> None:
    """At on_post_build: the report, in one write (the parent reads it only after the process ended)."""
    nav = _STATE.get("nav")
    report = {"pages": _STATE.get("pages", {}), "rendered": sorted(_STATE.get("rendered", ())),
              "nav": _nav_items(nav.items) if nav is not None else []}
    Path(path).write_text(json.dumps(report, sort_keys=True, ensure_ascii=False), encoding="utf-8")
