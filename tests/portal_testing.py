"""Shared test helpers: a throw-away copy of the repository with the data a test needs.

(A module, not conftest.py: test folders have conftest files of their own.)"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_DATA = FIXTURES / "base" / "data"


def make_repo(dest: Path, data: Path | None = BASE_DATA, with_site: bool = False,
              hand_written: bool = True) -> Path:
    """Copy what the pipeline reads (scripts/, and for builds mkdocs.yml, overrides/ and the
    hand-written pages) plus the given data/ into dest."""
    shutil.copytree(ROOT / "scripts", dest / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(data or ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    (dest / "docs").mkdir()
    if with_site:
        shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
        shutil.copytree(ROOT / "overrides", dest / "overrides")
        for lang_dir in (ROOT / "docs").iterdir():
            if lang_dir.is_dir() and hand_written:
                shutil.copytree(lang_dir, dest / "docs" / lang_dir.name, ignore=_generated_only)
    return dest


def _generated_only(folder: str, names: list[str]) -> list[str]:
    from portal.write import is_generated
    return [n for n in names
            if n.startswith(".generated") or (n.endswith(".md") and is_generated(Path(folder) / n))]


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_scaled_repo(dest: Path, extra: int) -> Path:
    """The fixture data set plus `extra` copies of its project, with stub hand-written pages so the
    nav resolves: for measuring how pages and builds grow with the number of records."""
    import yaml
    repo = make_repo(dest, with_site=True, hand_written=False)
    template = yaml.safe_load((repo / "data/projects/startup-connect.yml").read_text())
    for i in range(extra):
        record = dict(template, slug=f"extra-{i:04d}",
                      title={"en": f"Extra project {i}", "ru": f"Проект {i}", "fi": f"Hanke {i}"})
        (repo / f"data/projects/extra-{i:04d}.yml").write_text(yaml.safe_dump(record, allow_unicode=True))
    for lang in ("en", "ru", "fi"):
        for page in ("index.md", "knowledge/index.md", "glossary.md", "about.md", "contributing.md"):
            target = repo / "docs" / lang / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text('# Home\n\n--8<-- ".generated/newest.md"\n' if page == "index.md"
                              else f"# {page}\n")
    return repo
