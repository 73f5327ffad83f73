"""The site generator: MkDocs with Material and mkdocs-static-i18n.

The only module of the pipeline that runs MkDocs. Moving to another generator means replacing
this file, mkdocs.yml, overrides/ and scripts/portal/site/, not the records or templates.

A build is all or nothing: MkDocs builds into a fresh folder beside site/, and only a build that
succeeded (strict: no warning) replaces site/. A failed build leaves the previous site/ as it was.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SITE = "site"


def _run(root: Path, *args: str) -> list[str]:
    """The command line of site/run.py: MkDocs on the configuration with the registry's languages."""
    return [sys.executable, "-m", "portal.site.run", *args]


def _env(root: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(root / "scripts"))


def mkdocs_build(root: Path) -> int:
    # The new site is built beside site/ (same file system, so the swap is two renames).
    staging = Path(tempfile.mkdtemp(prefix=".site-building-", dir=root))
    try:
        code = subprocess.call(_run(root, "build", str(staging)), cwd=root, env=_env(root))
        if code != 0:
            print(f"The build failed; {SITE}/ was left as it was.", file=sys.stderr)
            return code
        swap_in(staging, root / SITE)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace target by new: readers of target see the old site or the new one, never a mix."""
    old = target.with_name(f".{target.name}-previous")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def mkdocs_serve(root: Path, addr: str) -> subprocess.Popen:
    # Live reload: mkdocs 1.6.1 reloads the browser on save (with click pinned to 8.2.1).
    return subprocess.Popen(_run(root, "serve", addr), cwd=root, env=_env(root))
