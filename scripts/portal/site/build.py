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
A language whose build state allows it (site/incremental.py) renders only its changed pages and
keeps the others from the previous build.

A build is all or nothing: everything happens in a fresh folder beside site/, and only a build that
succeeded (strict: no warning) replaces site/. A failed build leaves the previous site/ as it was.
A build stopped by kill -9 leaves its folder behind: the next build removes it (only folders whose
run is gone: portal/staging.py) and undoes a swap it found half done (recover_swap).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import faults, languages, staging
from ..phases import phase
from . import incremental, shards

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
    recover_swap(root / incremental.CACHE)
    key = inputs_key(root)  # taken before MkDocs reads anything: a save meanwhile makes it stale
    with staging.staging_folder(root, STAGING_PREFIX) as folder:
        codes = list(languages.registry().codes)
        with phase("build languages"):
            built = build_languages(root, codes, folder / "parts")
        if not built:
            print(f"The build failed; {SITE}/ was left as it was.", file=sys.stderr)
            return 1
        # the next build's state (site/incremental.py): the parts as built, before assembly, and
        # every page's search extract, which the search index reads
        update = _update_state(root, folder / "parts", codes, folder / "state")
        if not assemble(folder / "parts", folder / SITE, update.extracts if update else None):
            print(f"The build failed; {SITE}/ was left as it was.", file=sys.stderr)
            return 1
        (folder / SITE / INPUTS_STAMP).write_text(key + "\n", encoding="utf-8")
        with phase("swap in site and state"):
            swap_in(folder / SITE, root / SITE)
            if update:  # only after site/ is in place: the state always describes a build that succeeded
                _commit_state(root, update)
        return 0


def _update_state(root: Path, parts: Path, codes: list[str], staging_: Path) -> incremental.StateUpdate | None:
    registry = languages.registry()
    with phase("keep the build state"):
        manifests = incremental.take_manifests(parts, codes)
        return incremental.update_state(root / incremental.CACHE, parts, manifests, codes, staging_,
                                        {code: registry.prefix(code) for code in codes})


def _commit_state(root: Path, update: incremental.StateUpdate) -> None:
    incremental.write_state(update)
    if not update.in_place:
        swap_in(update.folder, root / incremental.CACHE)


INPUTS_STAMP = ".portal-inputs"  # in site/: the inputs_key() of the build (a hex digest, nothing else)
SITE_INPUTS = ("mkdocs.yml", "overrides")  # what MkDocs reads beyond docs/ and scripts/


def inputs_key(root: Path) -> str:
    """A digest of everything a build of site/ reads: the pages' inputs (pipeline.read_inputs:
    records, templates, strings, code, the commit), whether the generated pages are current, the
    hand-written pages of every language, mkdocs.yml and overrides/. Equal keys, equal sites (the
    build is reproducible): the tests use it to refuse a stale site/."""
    import hashlib

    from .. import pipeline
    digest = hashlib.sha256()
    inputs = pipeline.read_inputs(root)  # once: is_current() compares with it rather than walking again
    digest.update(f"{inputs.digest}\0{pipeline.is_current(root, inputs)}\0".encode())
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
    A language whose build state allows it is built incrementally (site/incremental.py): only its
    changed pages are rendered, the others kept from the previous build. Each part carries its
    manifest (incremental.PART_MANIFEST) until assembly.
    The pages must be generated already (`portal build` and `portal build-language` do it first)."""
    key = incremental.site_key(root)
    pages = {code: incremental.read_pages(root / "docs" / code) for code in codes}
    plans = incremental.plans(root, codes, key, pages)
    todo = list(codes)
    while todo:
        reports = _build_round(root, [plans[code] for code in todo], parts)
        if reports is None:
            return False
        todo = []
        for code, report in reports.items():
            plan, total = plans[code], len(report["pages"])
            if plan.incremental:
                try:
                    kept = incremental.complete(plan, parts / code, report)
                except incremental.Stale as why:  # built again in full, in the next round
                    print(f"[{code}] incremental build not possible ({why}): building it in full",
                          file=sys.stderr)
                    shutil.rmtree(parts / code, ignore_errors=True)
                    plans[code] = incremental.Plan(code, reason=str(why))
                    todo.append(code)
                    continue
                print(f"[{code}] incremental build ({plan.reason}): {len(report['rendered'])} of "
                      f"{total} pages rebuilt, {kept} kept", file=sys.stderr)
            else:
                print(f"[{code}] full build ({plan.reason}): {len(report['rendered'])} of {total} "
                      "pages rebuilt", file=sys.stderr)
            incremental.write_manifest(parts / code, code, key, report, pages[code])
    return True


def _build_round(root: Path, plans: list, parts: Path) -> dict[str, dict] | None:
    """The MkDocs processes of these languages' plans, side by side; {code: its report}, or None
    when a build failed."""
    workers = jobs()
    sizes = {plan.code: len(plan.only) if plan.incremental else shards.count_pages(root / "docs" / plan.code)
             for plan in plans}
    split = shards.plan(sizes, workers)
    pieces, notes = parts / ".shards", parts / ".reports"
    notes.mkdir(parents=True, exist_ok=True)
    only = {}
    for plan in plans:
        if plan.incremental:
            only[plan.code] = notes / f"{plan.code}-pages.json"
            only[plan.code].write_text(json.dumps(plan.only), encoding="utf-8")

    def out(code: str, k: int) -> Path:
        return parts / code if split[code] == 1 else pieces / f"{code}-{k}"

    tasks = [(plan.code, k) for plan in plans for k in range(split[plan.code])]
    with ThreadPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        results = list(pool.map(lambda task: _build(root, *task, split[task[0]], out(*task),
                                                    only.get(task[0]), notes / f"{task[0]}-{task[1]}.json"),
                                tasks))
    if not all(results):
        return None
    reports = {}
    for plan in plans:
        code = plan.code
        if split[code] > 1:
            shutil.rmtree(parts / code, ignore_errors=True)
            shards.merge([out(code, k) for k in range(split[code])], parts / code)
        reports[code] = incremental.read_reports([notes / f"{code}-{k}.json" for k in range(split[code])])
    shutil.rmtree(pieces, ignore_errors=True)
    shutil.rmtree(notes, ignore_errors=True)
    return reports


def build_language(root: Path, code: str, out: Path) -> bool:
    """One language into `out` (`portal build-language`: a job of the publish workflow's matrix),
    with its manifest for the build state (`portal assemble --keep-state` keeps it)."""
    recover_swap(root / incremental.CACHE)
    with staging.staging_folder(out.parent, ".language-building-") as parts:
        if not build_languages(root, [code], parts):
            return False
        shutil.rmtree(out, ignore_errors=True)
        os.replace(parts / code, out)
        return True


def _build(root: Path, code: str, shard: int, shards_: int, out: Path, only: Path | None,
           report: Path) -> bool:
    """One MkDocs process: a language, or one shard of it, into `out`; `only`: the pages of an
    incremental build; `report`: where it says what it built (site/build_report.py)."""
    name = code if shards_ == 1 else f"{code} {shard + 1}/{shards_}"
    args = [f"{code}={out}"] + ([f"{shard}/{shards_}"] if shards_ > 1 else [])
    args += (["--only", str(only)] if only else []) + ["--report", str(report)]
    start = time.perf_counter()
    with phase(f"MkDocs {name}"):
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


def assemble_keeping_state(root: Path, parts: Path, site: Path) -> bool:
    """assemble(), and the parts kept as the build state in root/.portal-cache/ (`portal assemble
    --keep-state`: the publish workflow, whose cache the pull requests' builds restore)."""
    recover_swap(root / incremental.CACHE)
    codes = list(languages.registry().codes)
    with staging.staging_folder(root, STAGING_PREFIX) as folder:
        update = _update_state(root, parts, codes, folder / "state")
        if not assemble(parts, site, update.extracts if update else None):
            return False
        if update:
            _commit_state(root, update)
        else:
            print("The parts carry no build state (or of different inputs): none was kept.",
                  file=sys.stderr)
        return True


def assemble(parts: Path, site: Path, extracts: Path | None = None) -> bool:
    """Put the languages built into parts/<lang>/ together as `site` (the source language at the
    root, the others under <lang>/), then the sitemap and the search index (site/finish.py; from
    `extracts` when the build state holds them). `portal assemble` runs this on the parts the
    publish workflow's language jobs built."""
    from . import finish
    registry = languages.registry()
    incremental.take_manifests(parts, list(registry.codes))  # not published
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
        finish.finish(site, extracts)
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
        staging.remove_tree(old)


def _previous(target: Path) -> Path:
    return target.with_name(f".{target.name.lstrip('.')}-previous")


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
        staging.remove_tree(old)
    else:
        os.replace(old, target)


def mkdocs_serve(root: Path, addr: str) -> subprocess.Popen:
    # Live reload: mkdocs 1.6.1 reloads the browser on save (with click pinned to 8.2.1).
    return subprocess.Popen(_run(root, "serve", addr), cwd=root, env=_env(root))
