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
the first), with filters and metadata for the catalogues. This module indexes every language
after every language is built, in shards (index_site: only the shards whose pages changed since the
build state's index of them), writes each language's index from its shards' (site/search_merge.py:
the same postings, filters and chunks as one Pagefind run over the language, in an order fixed by
the pages' addresses, so every build of a commit writes the same bytes), checks that every language
got its index, serves only Pagefind's scripts and WebAssembly of it (not its own UIs:
overrides/assets/portal/search.js is the portal's client of Pagefind's JS API), and compresses again
what every search downloads first (site/recompress.py).

Pagefind reads extracts, not the pages (search_input.py): per page its `<html lang>` and the
`data-pagefind-body` element, everything else it reads. The bundle is the same byte for byte
(tests/site/test_search_index.py indexes the real site both ways) and Pagefind takes 0.6 of the time.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..phases import phase
from ..staging import link_or_copy
from . import search_merge
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
    search_input.update_extracts), with the shards' indexes kept beside it (KEPT); without it they
    are cut from the site into a folder of their own and every shard is indexed.

    Each language's pages are split into shards by a hash of their path (shard_groups); Pagefind runs on
    the shards whose pages differ from those their kept index was made from (_index_shards: one more
    at a time than there are cores), and every language's index is written from its shards'
    (site/search_merge.py). Why
    shards: Pagefind indexes everything it is given from scratch, and a one-record change reaches a
    few pages; why not one run per page: each run costs a start and its own files."""
    site_dir = Path(site_dir)
    start = time.perf_counter()
    bundle = site_dir / BUNDLE
    from ..staging import remove_tree, staging_folder
    remove_tree(bundle)
    from .search_input import extract_paths, write_extracts
    with staging_folder(site_dir.parent, ".pagefind-") as staging:
        if extracts is None:
            source, kept = staging / "pages", staging / KEPT
            with phase("extracts of the pages"):
                written = write_extracts(site_dir, source, skip=[BUNDLE])  # what Pagefind reads of each page
        else:
            source, kept = Path(extracts), Path(extracts).parent / KEPT
            written = extract_paths(source)
        kept.mkdir(parents=True, exist_ok=True)
        groups = shard_groups(written)
        with phase("search shards compared"):
            digests = {key: _digest(source, rels) for key, rels in groups.items()}
            shards = {key: search_merge.load(kept / key / INDEX) for key in groups}
            stale = [key for key in groups if shards[key] is None or shards[key].digest != digests[key]]
            stale += _without_static(kept, groups, shards, stale)
        with phase(f"Pagefind on {len(stale)} of {len(groups)} shards"):
            shards.update(_index_shards(source, groups, stale, digests, staging, kept))
        _forget_others(kept, groups)
        with phase("search index written"):
            pages = _write_bundle(bundle, kept, shards)
    missing = [lang for lang in languages if not pages.get(lang)]
    if missing:
        raise SearchIndexFailed(f"no search index for {', '.join(missing)}: no page with <html lang> "
                                f"of that language carries data-pagefind-body")
    from .recompress import default_cache, recompress_bundle
    with phase("bundle recompressed"):
        recompress_bundle(bundle, default_cache())  # (site/recompress.py: what every search fetches first)
    return IndexReport(pages, time.perf_counter() - start)


# Pages per shard, about: Pagefind indexes 720 pages in about a second in 120 MB, and each run costs
# a start (0.1 s) and its own copy of its scripts. A language has a power of two of shards nearest
# to its pages / SHARD_PAGES (at 10,000 records 11,500 pages: 16 shards; the real site: one).
SHARD_PAGES = 720
MAX_SHARDS = 64
KEPT = "search"  # beside the extracts in the build state: a folder per shard, <lang>-<nn>/
INDEX = "index.cbor"  # in a shard's folder, beside fragment/ (its pages' fragments by full hash)
CHUNKS = "chunks"  # in KEPT: the index chunks compressed, by the full hash of their content
STATIC = "static"  # in KEPT: Pagefind's scripts and WebAssembly, the same in every run of a version
SCRIPTS = ("pagefind.js", "pagefind-worker.js")
# What the Pagefind processes running side by side may hold together, and what one holds per page
# (measured before the shards: 1.65 GB for one run over 10,053 pages; linear in the pages).
MEMORY_BUDGET = 1_200_000_000
BYTES_PER_PAGE = 165_000


def shard_count(pages: int) -> int:
    return min(MAX_SHARDS, 1 << max(0, round(math.log2(max(1.0, pages / SHARD_PAGES)))))


def shard_of(rel: str, count: int) -> int:
    """The shard of a page among `count`, by its path without the language folder: a record's pages
    in every language have the same number. crc32: stable across runs and machines, unlike hash()."""
    from .. import languages as registry_of
    first, _, rest = rel.partition("/")
    path = rest if first in registry_of.registry().targets else rel
    return zlib.crc32(path.encode("utf-8")) % count


def language_of(rel: str) -> str:
    from .. import languages as registry_of
    registry = registry_of.registry()
    first = rel.split("/", 1)[0]
    return first if first in registry.targets else registry.source


def shard_groups(rels: list[str]) -> dict[str, list[str]]:
    """{"<lang>-<nn>": [the extracts of that language in that shard, sorted]}, in the registry's
    order of the languages, then by shard."""
    from .. import languages as registry_of
    by_language: dict[str, list[str]] = {}
    for rel in rels:
        by_language.setdefault(language_of(rel), []).append(rel)
    codes = list(registry_of.registry().codes)
    groups = {}
    for lang in sorted(by_language, key=lambda code: (codes.index(code) if code in codes else len(codes), code)):
        count = shard_count(len(by_language[lang]))
        shards: dict[int, list[str]] = {}
        for rel in by_language[lang]:
            shards.setdefault(shard_of(rel, count), []).append(rel)
        groups.update({f"{lang}-{k:02d}": sorted(shards[k]) for k in sorted(shards)})
    return groups


def key_language(key: str) -> str:
    """The language of a shard's key, "<lang>-<nn>"."""
    return key.rsplit("-", 1)[0]


def languages_of(keys) -> list[str]:
    """The languages of shard keys, in their order."""
    return list(dict.fromkeys(key_language(key) for key in keys))


def _digest(source: Path, rels: list[str]) -> str:
    """What a shard's index is made of: its pages' extracts, the Pagefind version and arguments, and
    the format of the kept index."""
    digest = hashlib.sha256(f"{_pagefind_version()}\0{ARGUMENTS}\0{search_merge.FORMAT}\0".encode())
    top = os.fspath(source) + os.sep
    for rel in rels:
        with open(top + rel, "rb") as handle:
            digest.update(rel.encode() + b"\0" + hashlib.sha1(handle.read()).digest())
    return digest.hexdigest()


def _pagefind_version() -> str:
    try:
        from importlib.metadata import version
        return version("pagefind_bin")
    except Exception:  # not installed as a distribution: executable() says what is missing
        return "unknown"


# The heading permalinks (¶) are not text: left out of titles and excerpts.
ARGUMENTS = ("--exclude-selectors", ".headerlink")


def _without_static(kept: Path, groups: dict[str, list[str]], shards: dict, stale: list[str]) -> list[str]:
    """The first shard of each language whose WebAssembly (or Pagefind's scripts) the kept static
    files lack, when no shard of it is stale already: Pagefind must run once in that language."""
    static = kept / STATIC
    more = []
    for lang in languages_of(groups):
        keys = [key for key in groups if key_language(key) == lang]
        if any(key in stale for key in keys):
            continue
        wasm = {shards[key].wasm or "unknown" for key in keys}
        if not all((static / name).is_file() for name in (*SCRIPTS, *(f"wasm.{w}.pagefind" for w in wasm))):
            more.append(keys[0])
    return more


def _index_shards(source: Path, groups: dict[str, list[str]], stale: list[str], digests: dict[str, str],
                  staging: Path, kept: Path) -> dict[str, search_merge.ShardIndex]:
    """Pagefind on each stale shard (_index_shard), in processes forked for it when the build has
    more than one core and this process no other thread: reading a shard's index is Python (half
    a second at 720 pages), which in threads held the GIL while the other Pagefind ran; in
    processes it runs beside them (full build at 10,000 records: 48 shards)."""
    import multiprocessing
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from .. import faults
    from .build import jobs

    if not stale:
        return {}
    pages = max(len(groups[key]) for key in stale)
    at_once = max(1, min(jobs() + 1, len(stale), MEMORY_BUDGET // (pages * BYTES_PER_PAGE) or 1))
    tasks = [(source, groups[key], key, digests[key], staging, kept) for key in stale]
    if (at_once > 1 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()):
        with multiprocessing.get_context("fork").Pool(at_once) as pool:
            done = pool.starmap(_index_shard, tasks, chunksize=1)
    else:  # (forking a process that runs threads can copy a lock held by one of them)
        with ThreadPoolExecutor(max_workers=at_once) as threads:
            done = list(threads.map(lambda task: _index_shard(*task), tasks))
    faults.point("pagefind")  # (here, not in a worker: a kill there would take that worker only)
    out = {}
    for key in done:
        shard = search_merge.load(kept / key / INDEX)
        if shard is None:
            raise SearchIndexFailed(f"the search index of {key} was not kept in {kept}")
        out[key] = shard
    return out


def _index_shard(source: Path, rels: list[str], key: str, digest: str, staging: Path, kept: Path) -> str:
    """Pagefind on one shard (its extracts linked into a folder of their own), its index read and
    kept in kept/<key>/ with its fragments, Pagefind's scripts and WebAssembly in kept/static/."""
    lang = key_language(key)
    out, config = staging / "out" / key, staging / "config" / key
    config.mkdir(parents=True)
    pattern = shard_glob(rels)
    if pattern is not None:
        site = source
        (config / "pagefind.json").write_text(json.dumps({"glob": pattern}), encoding="utf-8")
    else:  # a path the glob cannot spell for certain: the shard's extracts linked into a folder of their own
        site = staging / "shards" / key
        for rel in rels:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source / rel, site / rel)
    with phase(f"Pagefind {key}"):
        done = subprocess.run([str(executable()), "--site", str(site), "--output-path", str(out),
                               *ARGUMENTS], capture_output=True, text=True, cwd=config)
    if done.returncode != 0:
        raise SearchIndexFailed(f"Pagefind failed on {key} ({len(rels)} pages):\n"
                                f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    try:
        shard, files = _read_output(out, lang)
    except search_merge.UnknownFormat as exc:
        raise SearchIndexFailed(f"the search index of {key} could not be read: {exc}") from None
    shard.digest = digest
    _keep(kept, key, shard, files, out)
    return key


# A shard's pages are named to Pagefind by a glob over all the extracts (in pagefind.json, which it
# reads from its working folder: a command-line argument is limited to 128 KiB, a shard's list at
# 10,000 records is 30-70 KB), not by linking them into a folder of their own: that made a folder
# for every page, and making a folder costs 0.05-1.5 ms on the file systems measured (one
# folder a page; benchmarks/README.md). The URL Pagefind gives a page is its path under --site
# either way.
_GLOB_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-")


def shard_glob(rels: list[str]) -> str | None:
    """A glob matching exactly the paths `rels` (Pagefind's glob syntax, the wax crate's), or None when
    a path holds a character outside letters, digits and `/._-` (no escaping of a metacharacter is
    relied on)."""
    if not rels or any(not _GLOB_SAFE.issuperset(rel) or "//" in rel or rel.startswith("/") for rel in rels):
        return None
    return "{" + ",".join(sorted(rels)) + "}"


def _read_output(out: Path, lang: str) -> tuple[search_merge.ShardIndex, dict[str, Path]]:
    """The shard's index of `lang` from Pagefind's output; an empty one when Pagefind found no words
    on its pages (it leaves such pages out). Pages of another <html lang> in the folder of `lang`
    would be indexed in that language: refused."""
    entry = json.loads((out / "pagefind-entry.json").read_text(encoding="utf-8"))
    others = sorted(set(entry.get("languages") or {}) - {lang})
    if others:
        raise search_merge.UnknownFormat(f"pages of {lang} declare <html lang> {', '.join(others)}")
    if lang not in (entry.get("languages") or {}):
        return search_merge.ShardIndex(language=lang, version=entry.get("version", ""), wasm=lang,
                                       include_characters=list(entry.get("include_characters") or []),
                                       fields=[], pages=[], words=[], filters={}), {}
    return search_merge.read_shard(out, lang)


def _keep(kept: Path, key: str, shard: search_merge.ShardIndex, files: dict[str, Path], out: Path) -> None:
    """The shard's index and fragments into kept/<key>/ (the old folder replaced whole, so a kept
    index always has its own fragments), Pagefind's scripts and WebAssembly into kept/static/.
    Made in a dot-folder of kept/ and renamed into place: what a killed run leaves there is no
    shard's name and goes at the next build (_forget_others)."""
    from ..staging import remove_tree
    new, old = kept / f".{key}.new-{os.getpid()}", kept / f".{key}.old-{os.getpid()}"
    remove_tree(new)
    (new / "fragment").mkdir(parents=True)
    for full, path in files.items():
        shutil.move(path, new / "fragment" / f"{full}.pf_fragment")
    search_merge.save(shard, new / INDEX)
    target = kept / key
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    remove_tree(old)
    static = kept / STATIC
    static.mkdir(exist_ok=True)
    for path in out.iterdir():
        if path.name in SCRIPTS or (path.name.startswith("wasm.") and path.name.endswith(".pagefind")):
            tmp = static / f".{path.name}.{os.getpid()}-{key}"
            shutil.copyfile(path, tmp)
            os.replace(tmp, static / path.name)


def _forget_others(kept: Path, groups: dict[str, list[str]]) -> None:
    """Kept shards no page belongs to any more (a language or the shard count changed)."""
    from ..staging import remove_tree
    for path in kept.iterdir():
        if path.name not in (STATIC, CHUNKS) and path.name not in groups:
            remove_tree(path) if path.is_dir() else path.unlink(missing_ok=True)


def _write_bundle(bundle: Path, kept: Path, shards: dict[str, search_merge.ShardIndex]) -> dict[str, int]:
    """The site's bundle from the kept shards: every language's index, Pagefind's scripts, the
    WebAssembly of each language and of "unknown", and pagefind-entry.json; returns pages per
    language."""
    bundle.mkdir(parents=True, exist_ok=True)
    compressed = kept / CHUNKS
    compressed.mkdir(exist_ok=True)
    used: set[str] = set()
    entry: dict = {}
    pages = {}
    for lang in languages_of(shards):
        keys = [key for key in shards if key_language(key) == lang and shards[key].pages]
        if not keys:
            continue
        parts = [shards[key] for key in keys]
        files = [{full: kept / key / "fragment" / f"{full}.pf_fragment" for _url, full, _n in shards[key].pages}
                 for key in keys]
        try:
            info = search_merge.write_language(parts, files, bundle, compressed=compressed, used=used)
        except (search_merge.UnknownFormat, KeyError, OSError) as exc:
            raise SearchIndexFailed(f"the search index of {lang} could not be written: {exc}") from None
        entry.setdefault("version", parts[0].version)
        entry.setdefault("languages", {})[lang] = info
        entry.setdefault("include_characters", parts[0].include_characters)
        pages[lang] = info["page_count"]
    for path in compressed.iterdir():  # chunks no index uses any more
        if path.name not in used:
            path.unlink(missing_ok=True)
    static = kept / STATIC
    wasm = [info["wasm"] for info in entry.get("languages", {}).values() if info.get("wasm")]
    for name in (*SCRIPTS, *(f"wasm.{w}.pagefind" for w in [*wasm, "unknown"])):
        if (static / name).is_file():
            shutil.copyfile(static / name, bundle / name)
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
    return pages


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

