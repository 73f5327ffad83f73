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
    """Copy what the pipeline reads (scripts/, mkdocs.yml for the site's address, and for builds
    overrides/ and the hand-written pages) plus the given data/ into dest."""
    shutil.copytree(ROOT / "scripts", dest / "scripts",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(data or ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    (dest / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")  # site_url: absolute links (site_address.py)
    if with_site:
        shutil.copytree(ROOT / "overrides", dest / "overrides")
        for lang_dir in (ROOT / "docs").iterdir():
            if lang_dir.is_dir() and hand_written:
                shutil.copytree(lang_dir, dest / "docs" / lang_dir.name, ignore=_generated_only)
    return dest


def _generated_only(folder: str, names: list[str]) -> list[str]:
    """Generated files are not copied: marked ones, and those the last generation listed in its
    manifest (data files such as CSV cannot carry a mark)."""
    import json
    from portal.write import is_generated
    try:
        listed = set(json.loads((ROOT / "docs/.generated-manifest.json").read_text()).get("pages", []))
    except (OSError, ValueError):
        listed = set()
    docs = ROOT / "docs"
    return [n for n in names
            if n.startswith(".generated") or (n.endswith(".md") and is_generated(Path(folder) / n))
            or (Path(folder) / n).relative_to(docs).as_posix() in listed]


def tree_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_scaled_repo(dest: Path, extra: int) -> Path:
    """The fixture data set plus `extra` generated records spread like real growth (projects,
    organizations, events and playbook entries over the fixture's vocabularies, years and
    organizations: tests/scaled_data.py), with stub hand-written pages so the nav resolves: for
    measuring how pages and builds grow with the number of records. Deterministic for a given
    `extra`."""
    from scaled_data import write_extra_records
    repo = make_repo(dest, with_site=True, hand_written=False)
    write_extra_records(repo, extra)
    write_stub_pages(repo)
    return repo


def make_overlay_repo(dest: Path, overlay: Path) -> Path:
    """The fixture data set with the files of overlay/ laid over it (added or replaced), and stub
    hand-written pages so that the real pages' links to real records do not have to resolve."""
    repo = make_repo(dest, with_site=True, hand_written=False)
    shutil.copytree(overlay, repo / "data", dirs_exist_ok=True)
    write_stub_pages(repo)
    return repo


def write_stub_pages(repo: Path) -> None:
    """The hand-written pages the nav of mkdocs.yml names, as one-line stubs in every language of
    the repository's own language registry."""
    import yaml
    registry = yaml.safe_load((repo / "scripts/locales/languages.yml").read_text(encoding="utf-8"))
    for lang in [entry["code"] for entry in registry["languages"]]:
        for page in ("index.md", "knowledge/index.md", "glossary.md", "about.md", "contributing.md"):
            target = repo / "docs" / lang / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text('# Home\n\n--8<-- ".generated/newest.md"\n' if page == "index.md"
                              else f"# {page}\n")


def build(repo: Path, python: str | None = None, engine: str | None = None, env: dict | None = None):
    """`portal build` in a repository copy (schemas first: fixture vocabularies differ from the
    real ones), by this Python or `python`, with the engine PORTAL_ENGINE names or `engine`
    (site/engine.py), and the variables `env` set. Returns the completed process; the caller
    asserts on it."""
    import os
    import subprocess
    import sys
    python = python or sys.executable
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1", **(env or {}))
    if engine:
        env["PORTAL_ENGINE"] = engine
    subprocess.run([python, "-m", "portal", "schemas"], cwd=repo, env=env, check=True,
                   capture_output=True)
    return subprocess.run([python, "-m", "portal", "build"], cwd=repo, env=env,
                          capture_output=True, text=True)


def sites_built_both_ways(tmp_path: Path, variable: str, extra: int = 40) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The fixture with `extra` records more, built as the code builds it and, in a copy, with the
    environment variable `variable` set to 1 (the plain way a shortcut of the build must equal):
    both sites' files, less the input stamp (.portal-inputs: code digests)."""
    import shutil
    ours = make_scaled_repo(tmp_path / "ours", extra)
    plain = shutil.copytree(ours, tmp_path / "plain", symlinks=True)
    sites = []
    for repo, env in ((ours, {variable: ""}), (plain, {variable: "1"})):  # ("": off, whatever the caller set)
        done = build(repo, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        files = tree_snapshot(repo / "site")
        files.pop(".portal-inputs", None)
        sites.append(files)
    return sites[0], sites[1]


def current_site(site: Path, given: bool) -> Path:
    """`site`, once it is a build of the repository's inputs as they are now (site/build.py's
    stamp): a site/ left from older records, templates or code would let a test pass or fail for
    them. given: the site was named by PORTAL_SITE_DIR (`make test` builds it just before), so a
    stale one fails; otherwise the repository's site/ is built (again) here."""
    import os
    import subprocess
    import sys

    import pytest

    from portal.site.build import site_is_current
    if site_is_current(ROOT, site):
        return site
    if given:
        pytest.fail(f"PORTAL_SITE_DIR={site} is not a build of the current inputs (records, pages, "
                    "templates or code changed since): run `make site`", pytrace=False)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "scripts"), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "portal", "build"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0 or not site_is_current(ROOT, site):
        pytest.fail("could not build the site:\n" + done.stdout[-3000:] + done.stderr[-3000:],
                    pytrace=False)
    return site
