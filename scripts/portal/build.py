"""The site generator: MkDocs with Material and mkdocs-static-i18n.

The only module of the pipeline that runs MkDocs. Moving to another generator means replacing
this file, mkdocs.yml, overrides/ and scripts/portal/mkdocs_site/, not the records or templates.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _mkdocs(root: Path, *args: str) -> int:
    env = dict(os.environ, PYTHONPATH=str(root / "scripts"))
    return subprocess.call([sys.executable, "-m", "mkdocs", *args], cwd=root, env=env)


def mkdocs_build(root: Path) -> int:
    return _mkdocs(root, "build", "--strict", "--clean")


def mkdocs_serve(root: Path, addr: str) -> int:
    # --livereload: mkdocs 1.6.1 reloads the browser on save (with click pinned to 8.2.1).
    return _mkdocs(root, "serve", "--livereload", "--dev-addr", addr)
