"""load -> validate -> render -> write, once per build.

MkDocs runs its hooks once per language (mkdocs-static-i18n rebuilds the site for each), and a
live preview rebuilds on every save. The input fingerprint kept beside the generated pages lets
every caller ask for generation while the work happens once per change of input.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import languages
from .model.errors import Problem
from .model.validate import Catalogue, validate
from .render import RenderError
from .render.pages import all_pages
from .render.site import Page, Site
from .write import HandWrittenPage, WriteReport, atomic_write, write_pages

MANIFEST = "docs/.generated-manifest.json"  # dot-file: MkDocs ignores it
INPUTS = ("data", "scripts/templates", "scripts/locales", "scripts/portal")  # what the pages depend on


class ValidationFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} validation errors")
        self.problems = problems


@dataclass
class Result:
    catalogue: Catalogue
    report: WriteReport | None  # None when nothing had to be done


def fingerprint(root: Path, generated: set[str]) -> str:
    """A digest of every input of the pages: records, templates, strings, code, and the
    hand-written pages of the source language (other languages fall back to them); `generated`
    names the pages the generator wrote (docs-relative), which are outputs, not inputs."""
    digest = hashlib.sha256()
    # The checked-out commit too: record dates come from the git history (export/history.py).
    from .export.history import checkout_key
    digest.update(checkout_key(root).encode() + b"\0")
    source = root / "docs" / languages.registry().source
    files = [p for top in INPUTS for p in (root / top).rglob("*") if "__pycache__" not in p.parts]
    files += [p for p in source.rglob("*.md") if p.relative_to(root / "docs").as_posix() not in generated]
    for path in sorted(files):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def generate(root: Path) -> Result:
    """Validate everything; only when it is all valid, render and write the pages."""
    cat = validate(root)
    if cat.problems:
        raise ValidationFailed(cat.problems)  # docs/ stays exactly as it was
    # Every page is rendered in memory before any is written: a failure leaves docs/ as it was.
    try:
        site = Site(cat, root)
        pages = all_pages(site) + export_pages(site)
    except RenderError as err:
        where = err.source if err.source.startswith("data/") and not err.source.endswith("/") else "data"
        raise ValidationFailed([Problem(where, 1, 1, "", str(err).split(": ", 1)[1])]) from None
    try:
        report = write_pages(pages, root / "docs", known=previous_pages(root))
    except HandWrittenPage as clash:
        raise ValidationFailed([Problem(f"docs/{p}", 1, 1, "", "a generated page would replace this "
                                        "hand-written page; rename the page or the record")
                                for p in clash.paths]) from None
    generated = sorted(p.path for p in pages)
    manifest = {"fingerprint": fingerprint(root, set(generated)), "pages": generated}
    atomic_write(root / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    return Result(cat, report)


def export_pages(site: Site) -> list[Page]:
    """Open data, feeds, statistics and map (issue 10), listed explicitly: export.PRODUCERS."""
    from . import export
    out: list[Page] = []
    for lang in languages.registry().codes:
        for produce in export.PRODUCERS:
            try:
                out.extend(produce(site, lang))
            except Exception as exc:  # a gap in validation: name it, never a bare traceback
                raise RenderError("data/", f"{lang}/ ({produce.__name__})", exc) from exc
    return out


def previous_pages(root: Path) -> set[str]:
    """The files the last generation wrote (for files that cannot carry a "generated" line: CSV)."""
    return set(_manifest(root).get("pages", []))


def _manifest(root: Path) -> dict:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def input_fingerprint(root: Path) -> str:
    """The fingerprint of the inputs as they are now (outputs of the last generation left out)."""
    return fingerprint(root, set(_manifest(root).get("pages", [])))


def is_current(root: Path) -> bool:
    manifest = _manifest(root)
    if not manifest:
        return False
    pages = manifest.get("pages", [])
    return (manifest.get("fingerprint") == fingerprint(root, set(pages))
            and all((root / "docs" / p).exists() for p in pages))


def ensure_generated(root: Path) -> Result | None:
    """Generate unless the pages already match the inputs; None when nothing had to be done."""
    return None if is_current(root) else generate(root)
