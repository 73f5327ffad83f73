"""The site generator: MkDocs with Material and mkdocs-static-i18n, one build per language in parallel.

The only module of the pipeline that runs MkDocs. Moving to another generator means replacing
this file, mkdocs.yml, overrides/ and scripts/portal/site/, not the records or templates.

Why one build per language (issue 12): mkdocs-static-i18n builds the languages one after the other
inside one process, so the build takes the sum of their times and holds them all in memory. Each
language is built here by its own process (`run.py build-language`, the plugin's build_only_locale
option), as many at once as there are cores. A large language is cut into shards (site/shards.py),
so that three languages keep two cores busy to the end and no process holds more than a few
thousand pages. The parts are then put together: the source language at the root, the others under
<lang>/, one sitemap index naming every language, and one Pagefind index (site/search.py).

A build is all or nothing: everything happens in a fresh folder beside site/, and only a build that
succeeded (strict: no warning) replaces site/. A failed build leaves the previous site/ as it was.
A build stopped by kill -9 leaves its folder behind: the next build removes it (only folders whose
run is gone: portal/staging.py) and undoes a swap it found half done (recover_swap).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import faults, languages, staging
from . import shards

SITE = "site"
STAGING_PREFIX = ".site-building-"  # beside site/: a build's work folder (staging.py)
_LOG = threading.Lock()  # one language's log block at a time


def _run(root: Path, *args: str) -> list[str]:
    """The command line of site/run.py: MkDocs on the configuration with the registry's languages."""
    return [sys.executable, "-m", "portal.site.run", *args]


def _env(root: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(root / "scripts"), NO_MKDOCS_2_WARNING="1")


def jobs() -> int:
    """How many MkDocs processes run at once: one per core unless PORTAL_BUILD_JOBS says otherwise."""
    try:
        wanted = int(os.environ.get("PORTAL_BUILD_JOBS", "0"))
    except ValueError:
        wanted = 0
    return max(1, wanted or os.cpu_count() or 1)


def mkdocs_build(root: Path) -> int:
    # The new site is built beside site/ (same file system, so the swap is two renames), in a folder
    # only this run holds; what an interrupted run left is undone first (site/staging.py).
    recover_swap(root / SITE)
    key = inputs_key(root)  # taken before MkDocs reads anything: a save meanwhile makes it stale
    with staging.staging_folder(root, STAGING_PREFIX) as folder:
        codes = list(languages.registry().codes)
        if not build_languages(root, codes, folder / "parts") or not assemble(folder / "parts", folder / SITE):
            print(f"The build failed; {SITE}/ was left as it was.", file=sys.stderr)
            return 1
        (folder / SITE / INPUTS_STAMP).write_text(key + "\n", encoding="utf-8")
        swap_in(folder / SITE, root / SITE)
        return 0


INPUTS_STAMP = ".portal-inputs"  # in site/: the inputs_key() of the build (a hex digest, nothing else)
SITE_INPUTS = ("mkdocs.yml", "overrides")  # what MkDocs reads beyond docs/ and scripts/


def inputs_key(root: Path) -> str:
    """A digest of everything a build of site/ reads: the pages' inputs (pipeline.input_fingerprint:
    records, templates, strings, code, the commit), whether the generated pages are current, the
    hand-written pages of every language, mkdocs.yml and overrides/. Equal keys, equal sites (the
    build is reproducible): the tests use it to refuse a stale site/."""
    import hashlib

    from .. import pipeline
    digest = hashlib.sha256()
    digest.update(f"{pipeline.input_fingerprint(root)}\0{pipeline.is_current(root)}\0".encode())
    generated = pipeline.previous_pages(root)
    docs = root / "docs"
    files = [p for p in sorted(docs.rglob("*")) if p.is_file() and not p.name.startswith(".")
             and p.relative_to(docs).as_posix() not in generated]
    for name in SITE_INPUTS:
        path = root / name
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def site_is_current(root: Path, site: Path) -> bool:
    """Whether `site` was built from root's inputs as they are now."""
    try:
        return (site / INPUTS_STAMP).read_text(encoding="utf-8").strip() == inputs_key(root)
    except OSError:
        return False


def build_languages(root: Path, codes: list[str], parts: Path) -> bool:
    """Each language's strict MkDocs build into parts/<code>/ (its pages at the root of that folder),
    as jobs() processes at once; a large language in shards (site/shards.py), put together after.
    The pages must be generated already (`portal build` and `portal build-language` do it first)."""
    workers = jobs()
    plan = shards.plan({code: shards.count_pages(root / "docs" / code) for code in codes}, workers)
    pieces = parts / ".shards"

    def out(code: str, k: int) -> Path:
        return parts / code if plan[code] == 1 else pieces / f"{code}-{k}"

    tasks = [(code, k) for code in codes for k in range(plan[code])]
    with ThreadPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        results = list(pool.map(lambda task: _build(root, *task, plan[task[0]], out(*task)), tasks))
    if not all(results):
        return False
    for code in codes:
        if plan[code] > 1:
            shutil.rmtree(parts / code, ignore_errors=True)
            shards.merge([out(code, k) for k in range(plan[code])], parts / code)
    shutil.rmtree(pieces, ignore_errors=True)
    return True


def build_language(root: Path, code: str, out: Path) -> bool:
    """One language into `out` (`portal build-language`: a job of the publish workflow's matrix)."""
    with staging.staging_folder(out.parent, ".language-building-") as parts:
        if not build_languages(root, [code], parts):
            return False
        shutil.rmtree(out, ignore_errors=True)
        os.replace(parts / code, out)
        return True


def _build(root: Path, code: str, shard: int, shards_: int, out: Path) -> bool:
    """One MkDocs process: a language, or one shard of it, into `out`."""
    name = code if shards_ == 1 else f"{code} {shard + 1}/{shards_}"
    args = [f"{code}={out}"] + ([f"{shard}/{shards_}"] if shards_ > 1 else [])
    start = time.perf_counter()
    done = subprocess.run(_run(root, "build-language", *args), cwd=root, env=_env(root),
                          capture_output=True, text=True)
    # The build's log as one block, so builds running side by side do not interleave their
    # lines; the not-in-nav list of record pages (one line per page) is left out.
    seconds = time.perf_counter() - start
    with _LOG:
        for line in (done.stderr + done.stdout).splitlines():
            if line and not line.startswith("  - "):
                print(f"[{name}] {line}", file=sys.stderr)
        print(f"[{name}] built in {seconds:.1f} s" if done.returncode == 0 else f"[{name}] failed",
              file=sys.stderr)
    return done.returncode == 0


def assemble(parts: Path, site: Path) -> bool:
    """Put the languages built into parts/<lang>/ together as `site` (the source language at the
    root, the others under <lang>/), then the sitemap and the search index (site/finish.py).
    `portal assemble` runs this on the parts the publish workflow's language jobs built."""
    from . import finish
    registry = languages.registry()
    missing = [code for code in registry.codes if not (parts / code / "index.html").is_file()]
    if missing:
        print(f"ERROR   -  no build of {', '.join(missing)} in {parts}/", file=sys.stderr)
        return False
    os.replace(parts / registry.source, site)
    for code in registry.targets:
        if (site / code).exists():  # a source page named like a language folder: refuse, not replace
            print(f"ERROR   -  docs/{registry.source}/{code} clashes with the {code} language folder",
                  file=sys.stderr)
            return False
        os.replace(parts / code, site / code)
    try:
        finish.finish(site)
    except finish.FinishFailed as exc:
        print(f"ERROR   -  {exc}", file=sys.stderr)
        return False
    return True


def swap_in(new: Path, target: Path) -> None:
    """Replace target by new: readers of target see the old site or the new one, never a mix.
    Two renames, under a lock on the parent so that two builds finishing at once take turns."""
    with staging.locked(target.parent):
        _recover_swap(target)
        old = _previous(target)
        if target.exists():
            os.replace(target, old)
        faults.point("swap")
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)


def _previous(target: Path) -> Path:
    return target.with_name(f".{target.name}-previous")


def recover_swap(target: Path) -> None:
    """Undo a swap that was interrupted: with site/ moved aside and no new one in place, the old one
    goes back (the run builds a new one anyway); with both, the old one is removed."""
    if target.parent.is_dir():
        with staging.locked(target.parent):
            _recover_swap(target)


def _recover_swap(target: Path) -> None:
    old = _previous(target)
    if not old.exists():
        return
    if target.exists():
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(old, target)


def mkdocs_serve(root: Path, addr: str) -> subprocess.Popen:
    # Live reload: mkdocs 1.6.1 reloads the browser on save (with click pinned to 8.2.1).
    return subprocess.Popen(_run(root, "serve", addr), cwd=root, env=_env(root))
