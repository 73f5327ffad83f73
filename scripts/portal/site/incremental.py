"""Incremental site builds: the next `portal build` renders only the pages whose Markdown changed.

The build state (.portal-cache/ beside site/, git-ignored; CI keeps the one of the last `main` build
with the cache action) holds, per language, the language's built output before assembly (its
"part", what build_languages() writes to parts/<code>/) and a manifest: for each page, the sha256
of its Markdown, the file MkDocs wrote it to and its sitemap address; and one site key.

The site key is a digest of everything that reaches every page's HTML besides the page's own
Markdown: mkdocs.yml, overrides/, the hand-written pages of every language (the sidebar's titles,
the home page), the code MkDocs runs (scripts/portal/site/ and what the hooks read: the language
registry and string files, escape.py's filters, the licence), the installed versions of the site's
packages, the Python version and SITE_URL. A changed key, or a state that is missing or does not
read back whole, means a full build.

With the key unchanged, a language's build is an ordinary strict MkDocs build whose share of the
pages is the changed ones (site/shards.py marks the others excluded, which keeps their addresses
for links): it renders the new and changed pages, the sidebar's pages (always: a catalogue page
changes with its records, and they are a dozen), the pages that include a generated snippet (the
home page's newest records), the 404 page, and copies every static file (theme assets, open data,
images: a removed one is then simply absent). The other pages' HTML is taken from the previous part
(hard links, copies across file systems); pages whose Markdown is gone are left out. Whether that
is right rests on one more check, after the build: the sidebar (titles, addresses, the page meta
Material prints there) is what it was, since every kept page carries it; otherwise the language is
built again in full. Then assembly and finish (sitemaps, Pagefind) run on the whole site as always.

The state also keeps the search extracts of every page (site/search_input.py, by the page's path
in the site): an extract depends on its page alone, so only those of the pages written anew are cut
again, and Pagefind reads the state's folder.

A state with the parts' site key is updated in place (sync_tree: only the files that differ are
linked again, the files of removed pages unlinked; a one-record build at 10,000 records used to
stage a second copy of every language's output, 34,700 pages and the static files, and remove the
first): its state file is removed before
anything changes and written again once site/ was swapped in, so a build killed midway leaves no
state, and the next build is a full one. Any other state is made anew beside it and swapped in
after site/ (two renames under a lock, undone or finished by the next run). Either way a build
killed at any point leaves the previous state, the new one or none, never a mix that is read.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from ..staging import link_or_copy

CACHE = ".portal-cache"  # beside site/
STATE_FILE = "state.json"
VERSION = 2  # 2: the search extracts kept beside the parts
EXTRACTS = "extracts"  # in the state: the search extracts of every page, at its path in the site
PART_MANIFEST = ".portal-state.json"  # in parts/<code>/ until assembly: that part's manifest
NOT_KEPT = ("sitemap.xml", "sitemap.xml.gz", PART_MANIFEST)  # the sitemap is written from the manifest
FULL_ENV = "PORTAL_FULL_BUILD"  # set (to anything but ""/0): every language built in full
SNIPPET = b"--8<--"  # pymdownx.snippets: the page includes a generated file (docs/<lang>/.generated/)
MOSTLY_CHANGED = 0.5  # above this share of changed pages a full build (in shards, every core) is as quick

# What the MkDocs processes read beyond docs/: the code of site/ and of these modules (the hooks
# call them: hooks.py), the registry and the string files (hooks.py: the theme's words, the 404
# page, the licence, the search box), the theme's overrides and the configuration.
SITE_CODE = ("scripts/portal/site", "scripts/portal/languages.py", "scripts/portal/escape.py",
             "scripts/portal/render/context.py", "scripts/portal/export/datapackage.py",
             "scripts/locales", "mkdocs.yml", "overrides", "requirements.txt")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _installed_versions(root: Path) -> list[str]:
    """name==version of the packages requirements.txt pins and everything they require, as
    installed (a test tool installed beside them changes nothing)."""
    from importlib import metadata
    try:
        lines = (root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    todo = [re.split(r"[\s\[<>=!~;]", line.strip(), maxsplit=1)[0] for line in lines
            if line.strip() and not line.lstrip().startswith(("#", "-"))]
    seen: dict[str, str] = {}
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            seen[name] = "-"
            continue
        seen[name] = dist.version
        for requirement in dist.requires or []:
            if "extra ==" not in requirement:
                todo.append(re.split(r"[\s\[<>=!~;(]", requirement, maxsplit=1)[0])
    return [f"{name}=={version}" for name, version in sorted(seen.items())]


def _site_url(root: Path) -> str:
    """mkdocs.yml's site_url as MkDocs reads it ($SITE_URL when set): the same address whether the
    environment names it or the default in mkdocs.yml stands (the publish workflow sets it, a pull
    request's build does not)."""
    from mkdocs.utils.yaml import yaml_load
    try:
        with open(root / "mkdocs.yml", encoding="utf-8") as handle:
            return str(yaml_load(handle).get("site_url") or "")
    except OSError:
        return ""


def site_key(root: Path) -> str:
    """The digest of everything besides a page's own Markdown that reaches its HTML (see above)."""
    from .. import pipeline
    digest = hashlib.sha256(f"portal-build {VERSION}\0{sys.version}\0{_site_url(root)}\0".encode())
    digest.update("\n".join(_installed_versions(root)).encode() + b"\0")
    generated = pipeline.previous_pages(root)
    docs = root / "docs"
    hand_written = [p for p in _files(docs) if not any(part.startswith(".") for part in p.relative_to(docs).parts)
                    and p.relative_to(docs).as_posix() not in generated]
    files = hand_written + [p for name in SITE_CODE for p in _files(root / name)]
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Pages:
    """One language's Markdown pages as they are now: path (without the language folder) -> sha256."""
    digests: dict[str, str]
    with_snippets: set[str]


def read_pages(docs: Path) -> Pages:
    """Every .md under docs/<lang>/ that MkDocs reads as a page (not in a dot-folder)."""
    digests, snippets = {}, set()
    for folder, dirs, names in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                path = Path(folder, name)
                data = path.read_bytes()
                uri = path.relative_to(docs).as_posix()
                digests[uri] = hashlib.sha256(data).hexdigest()
                if SNIPPET in data:
                    snippets.add(uri)
    return Pages(digests, snippets)


@dataclass
class Plan:
    """How one language is built: in full (only is None), or only these pages, the others kept."""
    code: str
    only: list[str] | None = None
    reason: str = "no build state"
    kept_from: Path | None = None  # the previous part
    previous: dict = field(default_factory=dict)  # the previous manifest of the language

    @property
    def incremental(self) -> bool:
        return self.only is not None


def load_state(cache: Path, key: str) -> tuple[dict | None, str]:
    """(the state, "") when it reads back whole and was built with the same site key; else
    (None, why not)."""
    try:
        state = json.loads((cache / STATE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "no build state"
    except (OSError, ValueError):
        return None, "the build state is unreadable"
    if not isinstance(state, dict) or state.get("version") != VERSION or \
            not isinstance(state.get("languages"), dict):
        return None, "the build state is of another version"
    if state.get("key") != key:
        return None, "the site's configuration, theme, hand-written pages or code changed"
    return state, ""


def plans(root: Path, codes: list[str], key: str, pages: dict[str, Pages]) -> dict[str, Plan]:
    """Each language's plan, from the state in root/.portal-cache/ and its pages as they are now."""
    if os.environ.get(FULL_ENV, "") not in ("", "0"):
        return {code: Plan(code, reason=f"{FULL_ENV} is set") for code in codes}
    cache = root / CACHE
    state, why = load_state(cache, key)
    out = {}
    for code in codes:
        previous = (state or {}).get("languages", {}).get(code)
        part = cache / "parts" / code
        if state is None:
            out[code] = Plan(code, reason=why)
        elif not isinstance(previous, dict) or not isinstance(previous.get("pages"), dict) \
                or not (part / "index.html").is_file():
            out[code] = Plan(code, reason=f"no previous build of {code} in the build state")
        else:
            now = pages[code]
            old = {uri: entry[0] for uri, entry in previous["pages"].items()
                   if isinstance(entry, list) and len(entry) == 3}
            changed = sorted(uri for uri, sha in now.digests.items() if old.get(uri) != sha)
            if len(changed) > MOSTLY_CHANGED * max(1, len(now.digests)):
                out[code] = Plan(code, reason=f"{len(changed)} of {len(now.digests)} pages changed")
            else:
                removed = len(set(old) - set(now.digests))
                only = sorted(set(changed) | now.with_snippets)
                out[code] = Plan(code, only, f"{len(changed)} pages new or changed, {removed} removed",
                                 part, previous)
    return out


class Stale(Exception):
    """The previous part cannot be completed into this build: build the language in full."""


def read_reports(paths: list[Path]) -> dict:
    """The reports of a language's processes (site/build_report.py) as one."""
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    rendered = sorted({uri for report in reports for uri in report["rendered"]})
    return {"pages": reports[0]["pages"], "nav": reports[0]["nav"], "rendered": rendered}


def complete(plan: Plan, part: Path, report: dict) -> int:
    """Put the pages this incremental build did not render into `part` from the previous part,
    and the sitemap of every page; returns how many were kept. Raises Stale when the sidebar
    changed or a page's output is not where the previous build wrote it."""
    if report["nav"] != plan.previous.get("nav"):
        raise Stale("the sidebar changed (a title, an address)")
    rendered = set(report["rendered"])
    old = plan.previous["pages"]
    kept = 0
    for uri, (dest, _loc) in sorted(report["pages"].items()):
        if uri in rendered:
            continue
        entry = old.get(uri)
        source = plan.kept_from / dest
        if not entry or entry[1] != dest or not source.is_file():
            raise Stale(f"{uri}: no output in the previous build")
        target = part / dest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, target)
            kept += 1
    write_sitemap(part, report)
    return kept


def write_sitemap(part: Path, report: dict) -> None:
    """The part's sitemap of every page (site/finish.py reads only its addresses, and sorts them;
    the home page first, as MkDocs writes it: finish takes the site's root from it)."""
    order = sorted(report["pages"], key=lambda uri: (uri != "index.md", uri))
    entries = "".join(f"<url><loc>{escape(report['pages'][uri][1])}</loc></url>" for uri in order)
    (part / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n',
        encoding="utf-8")
    (part / "sitemap.xml.gz").unlink(missing_ok=True)


def write_manifest(part: Path, code: str, key: str, report: dict, pages: Pages) -> None:
    """The language's manifest, inside its part until assembly (so that a part built by one job of
    the publish workflow carries it to the job that assembles and keeps the state)."""
    manifest = {"version": VERSION, "key": key, "language": code, "nav": report["nav"],
                "pages": {uri: [pages.digests.get(uri), dest, loc]
                          for uri, (dest, loc) in sorted(report["pages"].items())}}
    (part / PART_MANIFEST).write_text(json.dumps(manifest, sort_keys=True, ensure_ascii=False),
                                      encoding="utf-8")


def take_manifests(parts: Path, codes: list[str]) -> dict[str, dict]:
    """Remove each part's manifest (it is not published) and return them: {code: manifest}."""
    out = {}
    for code in codes:
        path = parts / code / PART_MANIFEST
        try:
            out[code] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        finally:
            path.unlink(missing_ok=True)
    return out


@dataclass
class StateUpdate:
    """The build state being made from the parts just built, in `folder`: root/.portal-cache/ itself
    (in place) or a staging folder, which site/build.py swaps in once write_state() wrote its file."""
    folder: Path
    in_place: bool
    state: dict

    @property
    def extracts(self) -> Path:
        return self.folder / EXTRACTS


def update_state(cache: Path, parts: Path, manifests: dict[str, dict], codes: list[str],
                 staging: Path, prefixes: dict[str, str]) -> StateUpdate | None:
    """The next build state from the parts and their manifests, with every page's search extract:
    in place when `cache` holds a whole state of the parts' site key, else in `staging`. None (and
    nothing kept) when a part has no manifest or the parts were built with different site keys."""
    from .search_input import update_extracts
    keys = {manifests[code].get("key") for code in codes if code in manifests}
    if len(keys) != 1 or any(code not in manifests for code in codes):
        return None
    key = keys.pop()
    state = {"version": VERSION, "key": key,
             "languages": {code: {"nav": manifests[code]["nav"], "pages": manifests[code]["pages"]}
                           for code in codes}}
    previous, _why = load_state(cache, key)
    in_place = previous is not None and (cache / EXTRACTS).is_dir() and \
        all((cache / "parts" / code).is_dir() for code in codes)
    folder = cache if in_place else staging
    changes = None
    if in_place:
        # No state until commit_state: a build stopped while the files change leaves none.
        (cache / STATE_FILE).unlink()
        changes = {code: sync_tree(parts / code, cache / "parts" / code, skip=NOT_KEPT) for code in codes}
    else:
        for code in codes:
            link_tree(parts / code, staging / "parts" / code, skip=NOT_KEPT)
    update_extracts({code: (prefixes[code], parts / code) for code in codes}, folder / EXTRACTS, changes)
    return StateUpdate(folder, in_place, state)


def write_state(update: StateUpdate) -> None:
    """The state file, written last: a state whose file is there is whole."""
    path = update.folder / STATE_FILE
    temporary = path.with_name(f".{STATE_FILE}.{os.getpid()}")
    temporary.write_text(json.dumps(update.state, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def sync_tree(src: Path, dst: Path, skip: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Make dst/ a copy of src/ made of hard links, as link_tree does, changing only what differs:
    a file that is not already the same file (inode) as src's is linked again (through a temporary
    name and a rename), a file src/ does not have is removed, and so is a folder left empty.
    Returns (the files linked again, the files removed), relative to the folders."""
    base, out = str(src), str(dst)
    present: set[str] = set()
    linked: list[str] = []
    for folder, _dirs, names in os.walk(base):
        rel_dir = os.path.relpath(folder, base)
        target_dir = out if rel_dir == "." else os.path.join(out, rel_dir)
        os.makedirs(target_dir, exist_ok=True)
        for name in names:
            if rel_dir == "." and name in skip:
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            present.add(rel)
            source, target = os.path.join(folder, name), os.path.join(target_dir, name)
            try:
                if os.path.samefile(source, target):
                    continue
            except OSError:
                pass
            temporary = Path(target_dir, f".{name}.portal-link")
            temporary.unlink(missing_ok=True)
            link_or_copy(Path(source), temporary)
            os.replace(temporary, target)
            linked.append(rel)
    removed: list[str] = []
    for folder, dirs, names in os.walk(out, topdown=False):
        rel_dir = os.path.relpath(folder, out)
        gone = 0
        for name in names:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if rel not in present:
                os.unlink(os.path.join(folder, name))
                removed.append(rel)
                gone += 1
        if rel_dir != "." and (gone == len(names)) and not os.listdir(folder):
            os.rmdir(folder)  # (a folder whose files were all removed, or that had only folders)
    return linked, removed


def link_tree(src: Path, dst: Path, skip: tuple[str, ...] = ()) -> None:
    """dst/ as a copy of src/ made of hard links (no bytes copied; a copy across file systems),
    less the files at its top named in `skip`. Nothing writes into a built file afterwards: every
    build writes new files and replaces folders whole."""
    for folder, dirs, names in os.walk(src):
        dirs.sort()
        here = Path(folder)
        target = dst / here.relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            if here == src and name in skip:
                continue
            link_or_copy(here / name, target / name)


