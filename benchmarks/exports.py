"""Benchmark (issue 10): what the open-data files, feeds, statistics and map add to generation.

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/exports.py [N ...]

For the fixture data set with N extra projects (default 1000 5000): validation, rendering of the
pages, the exports (one pass over the catalogue, export/model.py), and with --build the full strict
MkDocs build, all in seconds. The exports must stay under 10 % of the build.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from portal_testing import make_scaled_repo  # noqa: E402


def main(sizes: list[int], full: bool) -> None:
    from portal import pipeline
    from portal.render.pages import all_pages
    from portal.render.site import Site
    from portal.model.validate import validate
    print(f"{'extra':>6} {'validate s':>10} {'pages s':>8} {'exports s':>9} {'files':>6}"
          + (f" {'build s':>8} {'exports %':>9}" if full else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            repo = make_scaled_repo(Path(tmp) / f"n{n}", n)
            t0 = time.perf_counter()
            cat = validate(repo)
            t1 = time.perf_counter()
            site = Site(cat, repo)
            pages = all_pages(site)
            t2 = time.perf_counter()
            exports = pipeline.export_pages(site)
            t3 = time.perf_counter()
            line = f"{n:>6} {t1 - t0:>10.2f} {t2 - t1:>8.2f} {t3 - t2:>9.2f} {len(exports):>6}"
            if full:
                env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
                subprocess.run([sys.executable, "-m", "portal", "schemas"], cwd=repo, env=env, check=True,
                               capture_output=True)
                b0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "portal", "build"], cwd=repo, env=env, check=True,
                               capture_output=True)
                build = time.perf_counter() - b0
                line += f" {build:>8.1f} {100 * (t3 - t2) / build:>8.1f}%"
            print(line, flush=True)
            del pages


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--build"]
    main([int(a) for a in args] or [1000, 5000], "--build" in sys.argv)
