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

from . import render
from .errors import Problem
from .validate import Catalogue, validate
from .write import HandWrittenPage, WriteReport, atomic_write, write_pages

MANIFEST = "docs/.generated-manifest.json"  # dot-file: MkDocs ignores it
INPUTS = ("data", "scripts/templates", "scripts/locales", "scripts/portal")
RUNS = {"generate": 0}  # how many times generation really ran in this process (tests read it)


class ValidationFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} validation errors")
        self.problems = problems


@dataclass
class Result:
    catalogue: Catalogue
    report: WriteReport | None  # None when nothing had to be done


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    # The checked-out commit too: record dates come from the git history (export/history.py).
    from .export.history import checkout_key
    digest.update(checkout_key(root).encode() + b"\0")
    for top in INPUTS:
        for path in sorted((root / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def generate(root: Path) -> Result:
    """Validate everything; only when it is all valid, render and write the pages."""
    cat = validate(root)
    if cat.problems:
        raise ValidationFailed(cat.problems)  # docs/ stays exactly as it was
    RUNS["generate"] += 1
    # Producers in their own modules: the translation status page and the search alias tables.
    from . import redirects, search_aliases, status  # noqa: F401
    # Every page is rendered in memory before any is written: a failure leaves docs/ as it was.
    try:
        site = render.Site(cat, root)
        pages = site.pages()
        pages += export_pages(site)
    except render.RenderError as err:
        where = err.source if err.source.startswith("data/") and not err.source.endswith("/") else "data"
        raise ValidationFailed([Problem(where, 1, 1, "", str(err).split(": ", 1)[1])]) from None
    try:
        report = write_pages(pages, root / "docs", known=previous_pages(root))
    except HandWrittenPage as clash:
        raise ValidationFailed([Problem(f"docs/{p}", 1, 1, "", "a generated page would replace this "
                                        "hand-written page; rename the page or the record")
                                for p in clash.paths]) from None
    manifest = {"fingerprint": fingerprint(root), "pages": sorted(p.path for p in pages)}
    atomic_write(root / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    return Result(cat, report)


def export_pages(site: render.Site) -> list[render.Page]:
    """Open data, feeds, statistics and map (issue 10), listed explicitly: export.PRODUCERS."""
    from . import export
    from .schema import LANGS
    out: list[render.Page] = []
    for lang in LANGS:
        for produce in export.PRODUCERS:
            try:
                out.extend(produce(site, lang))
            except Exception as exc:  # a gap in validation: name it, never a bare traceback
                raise render.RenderError("data/", f"{lang}/ ({produce.__name__})", exc) from exc
    return out


def previous_pages(root: Path) -> set[str]:
    """The files the last generation wrote (for files that cannot carry a "generated" line: CSV)."""
    try:
        return set(json.loads((root / MANIFEST).read_text(encoding="utf-8")).get("pages", []))
    except (OSError, ValueError, AttributeError):
        return set()


def is_current(root: Path) -> bool:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (manifest.get("fingerprint") == fingerprint(root)
            and all((root / "docs" / p).exists() for p in manifest.get("pages", [])))


def ensure_generated(root: Path) -> Result | None:
    """Generate unless the pages already match the inputs; None when nothing had to be done."""
    return None if is_current(root) else generate(root)
