"""load -> validate -> render -> write, once per change of input, rendering only what a change reaches.

MkDocs runs its hooks once per language (mkdocs-static-i18n rebuilds the site for each), and a
live preview rebuilds on every save. The input fingerprint kept beside the generated pages lets
every caller ask for generation while the work happens once per change of input: read_inputs()
takes it once per command, and the caller hands it on. The manifest also keeps each input's size,
mtime and digest, so checking an unchanged tree reads no file (10,000 records: a directory walk,
well under a second) and writes nothing, not even the manifest.

When the inputs did change, the dependency model (render/dependencies.py) decides which pages to
render: the manifest keeps what each page is made of, so an edit of one record renders the pages
that show it, whether the last generation ran in this process (the preview), on this machine, or
on main in CI (whose docs/ and manifest a pull request's build restores). The exports are rendered
after the pages and with them (on every core), a data file only when its rows changed; validation
parses only the record files whose bytes it has not parsed before (model/parse_cache.py).
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import languages, staging, write
from .phases import phase
from .model.errors import Problem
from .model.validate import Catalogue, validate
from .render import RenderError, dependencies
from .render.pages import all_pages
from .render.site import Page, Site
from .write import HandWrittenPage, WriteReport, atomic_write, write_pages

MANIFEST = "docs/.generated-manifest.json"  # dot-file: MkDocs ignores it
INPUTS = ("data", "scripts/templates", "scripts/locales", "scripts/portal")  # what the pages depend on
RACY_NS = 2_000_000_000  # a file changed this close to the last stat table is read again (FAT: 2 s steps)


class ValidationFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} validation errors")
        self.problems = problems


@dataclass
class Result:
    catalogue: Catalogue
    report: WriteReport | None  # None when nothing had to be done
    rendered: int = 0  # pages the dependency model had rendered again (it kept the others)
    kept: int = 0
    always: int = 0  # pages made on every generation (exports: they read every record and its date)


@dataclass
class Inputs:
    """The inputs as one command found them: fingerprint() of the tree, taken once and handed on."""

    digest: str
    table: dict  # {"stamp": ns, "files": {path: [size, mtime_ns, sha256]}}

    def context_key(self, site_root: str) -> str:
        """A digest of every input but the record files (render/dependencies.py: a change here
        renders every page) and of the site's address. Not the commit: a record's pages carry its
        git date as an argument (and their group's `pre`), and the data files are keyed by their
        rows, which carry the dates and are made every time."""
        from .model.schema import KINDS
        folders = {kind.folder for kind in KINDS.values()}
        digest = hashlib.sha256(site_root.encode() + b"\0")
        for rel, (_size, _mtime, sha) in self.table["files"].items():
            parts = rel.split("/")
            if not (len(parts) == 3 and parts[0] == "data" and parts[1] in folders):
                digest.update(f"{rel}\0{sha}\0".encode())
        return digest.hexdigest()


def input_files(root: Path, generated: set[str]) -> list[str]:
    """Every input of the pages, as paths relative to root: records, templates, strings, code, and
    the hand-written pages of the source language (other languages fall back to them); `generated`
    names the pages the generator wrote (docs-relative), which are outputs, not inputs. A walk of the
    folders, no file read (plain strings: at 10,000 records pathlib costs more than the walk)."""
    top = os.fspath(root) + os.sep
    files = [rel for folder in INPUTS for rel in _walk(top, folder) if "/__pycache__/" not in rel]
    source = languages.registry().source
    files += [rel for rel in _walk(top, f"docs/{source}")
              if rel.endswith(".md") and rel[5:] not in generated]
    return sorted(files)


def _walk(top: str, folder: str):
    """Paths (relative to top, with /) of the files under top/folder."""
    for path, _dirs, names in os.walk(top + folder):
        rel = path[len(top):].replace(os.sep, "/")
        for name in names:
            yield f"{rel}/{name}"


def _stats(root: Path, generated: set[str]) -> dict[str, tuple[int, int]]:
    """{input path: (size, mtime_ns)}, in input_files order; a file removed meanwhile is left out."""
    top, out = os.fspath(root) + os.sep, {}
    for rel in input_files(root, generated):
        try:
            st = os.stat(top + rel)
        except OSError:
            continue
        out[rel] = (st.st_size, st.st_mtime_ns)
    return out


def fingerprint(root: Path, generated: set[str], known: dict | None = None) -> tuple[str, dict]:
    """A digest of every input of the pages (input_files) and of the commit checked out; returns it
    with the stat table {"stamp": ns, "files": {path: [size, mtime_ns, sha256]}} for the manifest.

    known: the stat table of the last generation. A file whose size and mtime_ns are the same as
    then is not read again (its digest is taken from the table), unless it was written too close to
    the time the table was made (racy: a second write within the file system's timestamp step would
    leave the same mtime), so an unchanged tree costs a directory walk and one stat per file."""
    known = known if isinstance(known, dict) else {}
    stamp, files = known.get("stamp", 0), known.get("files", {})
    table: dict = {"stamp": time.time_ns(), "files": {}}
    digest = hashlib.sha256()
    # The checked-out commit too: record dates come from the git history (history.py); and
    # the site's address, which the data files, feeds and JSON-LD write out (site_address.py).
    from .history import checkout_key
    from .site_address import site_root
    digest.update(checkout_key(root).encode() + b"\0" + site_root(root).encode() + b"\0")
    top = os.fspath(root) + os.sep
    for rel, (size, mtime) in _stats(root, generated).items():
        was = files.get(rel)
        if was and was[0] == size and was[1] == mtime and mtime < stamp - RACY_NS:
            sha = was[2]
        else:
            try:
                sha = hashlib.sha256(Path(top + rel).read_bytes()).hexdigest()
            except OSError:  # removed since the walk: not an input any more
                continue
        table["files"][rel] = [size, mtime, sha]
        digest.update(rel.encode() + b"\0" + sha.encode() + b"\0")
    return digest.hexdigest(), table


def read_inputs(root: Path) -> Inputs:
    """The inputs as they are now, digested with the last generation's stat table (an unchanged
    file is not read). Take it before the records are read: a save meanwhile then differs from it."""
    manifest = _manifest(root)
    write.remember_generated(root / "docs", dependencies.written_files(manifest.get("dependencies")))
    return Inputs(*fingerprint(root, set(manifest.get("pages", [])), manifest.get("inputs")))


def generate(root: Path, validated: tuple[Inputs, Catalogue] | None = None, full: bool = False) -> Result:
    """Validate everything; only when it is all valid, render and write the pages. `validated`:
    (read_inputs() taken before, the catalogue validate() returned), when the caller validated.
    full: render every page, whatever the dependency model says (a test's reference, a cold build)."""
    inputs, cat = validated if validated else (read_inputs(root), None)
    cat = cat if cat is not None else validate(root)
    if cat.problems:
        raise ValidationFailed(cat.problems)  # docs/ stays exactly as it was
    manifest = _manifest(root)
    # Every page is rendered in memory before any is written: a failure leaves docs/ as it was.
    try:
        site = Site(cat, root)
        if dependencies.enabled() and not full:
            from .site_address import site_root
            dependencies.begin(site, inputs.context_key(site_root(root)), manifest.get("dependencies"),
                               root / "docs")
        try:
            with phase("render pages and exports"):
                pages = all_pages(site, after=export_producers())
        finally:
            dependencies.end()
    except RenderError as err:
        where = err.source if err.source.startswith("data/") and not err.source.endswith("/") else "data"
        raise ValidationFailed([Problem(where, 1, 1, "", str(err).split(": ", 1)[1])]) from None
    with docs_lock(root):  # one writer at a time; a journal left by a killed one is finished first
        write.recover(root / "docs", sweep=False)
        try:
            with phase("write pages"):
                report = write_pages(pages, root / "docs", known=previous_pages(root))
        except HandWrittenPage as clash:
            raise ValidationFailed([Problem(f"docs/{p}", 1, 1, "", "a generated page would replace this "
                                            "hand-written page; rename the page or the record")
                                    for p in clash.paths]) from None
        generated = sorted(p.path for p in pages)
        # The fingerprint taken before the records were read: a file saved meanwhile differs from
        # it, so the next check finds the pages stale and generates again.
        manifest = {"fingerprint": inputs.digest, "pages": generated, "inputs": inputs.table,
                    "outputs": _outputs_digest(root, generated),
                    "dependencies": dependencies.state(pages, root / "docs")}
        # Written after the pages: a run killed before this line leaves the previous manifest, whose
        # outputs digest no longer matches, so the next run generates again (and writes nothing new).
        atomic_write(root / MANIFEST, (json.dumps(manifest, separators=(",", ":")) + "\n").encode())
    # (counted here, not by the model: forked workers render most pages of a large catalogue)
    kept = sum(page.text is None for page in pages)
    always = sum(page.inputs is None for page in pages)
    return Result(cat, report, rendered=len(pages) - kept - always, kept=kept, always=always)


@contextlib.contextmanager
def long_lived():
    """For what a command makes and keeps to its end (the inputs, the manifest, the catalogue):
    the collector is held off while it is made (none of it is cyclic garbage) and it is frozen
    after (gc.freeze), so that no full collection walks it again. At 10,000 records that is
    700 MB, 0.2 s a walk, and validation and generation made eight of them. Not for the preview,
    which keeps no catalogue from one save to the next."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


@contextlib.contextmanager
def docs_lock(root: Path):
    """The lock every writer of docs/ holds (flock on the folder: released when its holder dies)."""
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    with staging.locked(docs):
        yield docs


def recover(root: Path) -> list[str]:
    """Finish or undo what an interrupted generation left under docs/ (write.recover): every command
    runs this first, before it reads docs/. Waits for a generation that is running meanwhile."""
    return write.recover(root / "docs")


def export_pages(site: Site) -> list[Page]:
    """Open data, feeds, statistics and map (issue 10), listed explicitly: export.PRODUCERS."""
    return [page for lang in languages.registry().codes for produce in export_producers()
            for page in produce(site, lang)]


def export_producers() -> list:
    """export.PRODUCERS, each failure named as a RenderError: what all_pages() renders after the
    pages (render/ does not import export/), on every core with them when the catalogue is large."""
    from . import export
    return [partial(_named_export, produce) for produce in export.PRODUCERS]


def _named_export(produce, site: Site, lang: str) -> list[Page]:
    try:
        return list(produce(site, lang))
    except Exception as exc:  # a gap in validation: name it, never a bare traceback
        raise RenderError("data/", f"{lang}/ ({produce.__name__})", exc) from exc


def previous_pages(root: Path) -> set[str]:
    """The files the last generation wrote (for files that cannot carry a "generated" line: CSV)."""
    return set(_manifest(root).get("pages", []))


_READ: dict[str, tuple[tuple, dict]] = {}  # path -> (its stat, the manifest read from it)


def _manifest(root: Path) -> dict:
    """The last generation's manifest ({} when missing or damaged); not to be changed by the caller.
    One command asks for it up to five times (the inputs, is_current, generate, the pages written
    before, the site build): read again only when the file changed (17 MB of JSON at 10,000 records)."""
    path = os.fspath(root / MANIFEST)
    try:
        known = _READ.get(path)
        if known and known[0] == _stamp(os.stat(path)):
            return known[1]
        with open(path, encoding="utf-8") as fh:
            stamp = _stamp(os.fstat(fh.fileno()))  # of the file read, whatever replaces it meanwhile
            data = json.loads(fh.read())
    except (OSError, ValueError):
        return {}
    data = data if isinstance(data, dict) else {}
    _READ[path] = (stamp, data)
    return data


def _stamp(info: os.stat_result) -> tuple:
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def input_fingerprint(root: Path) -> str:
    """The fingerprint of the inputs as they are now (outputs of the last generation left out)."""
    manifest = _manifest(root)
    return fingerprint(root, set(manifest.get("pages", [])), manifest.get("inputs"))[0]


def is_current(root: Path, inputs: Inputs | None = None) -> bool:
    """Whether the pages match the inputs (as read_inputs() found them, or now): nothing is written."""
    manifest = _manifest(root)
    if not manifest:
        return False
    pages = manifest.get("pages", [])
    digest = inputs.digest if inputs else fingerprint(root, set(pages), manifest.get("inputs"))[0]
    return manifest.get("fingerprint") == digest and manifest.get("outputs") == _outputs_digest(root, pages)


def _outputs_digest(root: Path, pages: list[str]) -> str:
    """Size and mtime of every page the generation wrote: a page removed or edited by hand since
    then makes the next generation run (and put it back); "" when one is missing."""
    digest = hashlib.sha256()
    docs = os.path.join(root, "docs", "")
    for rel in pages:
        try:
            st = os.stat(docs + rel)
        except OSError:
            return ""
        digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def ensure_generated(root: Path, validated: tuple[Inputs, Catalogue] | None = None) -> Result | None:
    """Generate unless the pages already match the inputs; None when nothing had to be done."""
    inputs = validated[0] if validated else read_inputs(root)
    return None if is_current(root, inputs) else generate(root, validated or (inputs, None))
