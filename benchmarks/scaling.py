"""Benchmark: how generation, the site build and a record page grow with the number of records.

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/scaling.py [N ...]

Builds the fixture data set with N extra projects (default 10, 100, 400) in a temporary copy and
prints generation time, full strict build time, peak memory of the build, the size of one record
page and of the catalogue. Times are noisy on shared machines: compare the ratios within one run.
A record page must keep the same size whatever N is (no record list in the sidebar).
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from portal_testing import make_scaled_repo  # noqa: E402


def run(repo: Path, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", *args], cwd=repo, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    print(f"{'extra':>6} {'generate s':>10} {'build s':>8} {'peak MiB':>9} {'record B':>9} {'catalogue B':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            repo = make_scaled_repo(Path(tmp) / f"n{n}", n)
            run(repo, "portal", "schemas")
            gen = run(repo, "portal", "generate")
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            build = run(repo, "mkdocs", "build", "--strict")
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
            record = (repo / "site/projects/startup-connect/index.html").stat().st_size
            catalogue = (repo / "site/projects/index.html").stat().st_size
            print(f"{n:>6} {gen:>10.2f} {build:>8.2f} {peak:>9.0f} {record:>9} {catalogue:>12}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 400])
