"""Benchmark: a one-record edit after a build, built in full and incrementally (issue 21).

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/incremental.py [SIZE ...] [--repeat 2] [--json out.json]

SIZE is "real" (today's data/) or a number of extra records over the test fixture
(tests/portal_testing.py::make_scaled_repo); default: real 1000. For each, in a temporary copy:
a first `portal build` (cold: no build state), then --repeat times, alternately: the English title
of the project startup-connect edited and `portal build` (incremental: the state of the build
before), the title edited again and `PORTAL_FULL_BUILD=1 portal build` (full, same kind of edit).
Each build is measured as CI runs it (validate, generate, MkDocs, Pagefind): wall time, CPU time
of its whole process tree (user + system of the waited-for children), the load average at its
start, and the pages each language rebuilt (from the build's log). Times are noisy on a shared
machine: compare within one run, and read the load beside them.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from portal_testing import make_repo, make_scaled_repo  # noqa: E402

RECORD = "data/projects/startup-connect.yml"  # in the real data and in every scaled fixture
REBUILT = re.compile(r"^\[(\w+)\] (incremental|full) build \((.*)\): (\d+) of (\d+) pages rebuilt", re.M)


def _repo(size: str, dest: Path) -> Path:
    if size == "real":
        return make_repo(dest, data=ROOT / "data", with_site=True)
    return make_scaled_repo(dest, int(size))


def _edit(repo: Path, n: int) -> None:
    """A new English title for the record (the fixture's flow style or the real data's block style)."""
    path = repo / RECORD
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"(\btitle:\s*\{?\s*en:\s*)Startup Connect[^,\n}]*", rf"\g<1>Startup Connect {n}", text,
                         count=1)
    assert count == 1, "the record's English title was not found"
    path.write_text(new, encoding="utf-8")


def _build(repo: Path, full: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    env.pop("PORTAL_FULL_BUILD", None)
    if full:
        env["PORTAL_FULL_BUILD"] = "1"
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "portal", "build"], cwd=repo, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"portal build failed:\n{done.stderr[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rebuilt = {code: [mode, int(n), int(total)] for code, mode, _why, n, total in REBUILT.findall(done.stderr)}
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "load": round(load, 2), "rebuilt": rebuilt}


def measure(size: str, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="portal-incremental-") as tmp:
        repo = _repo(size, Path(tmp) / "repo")
        subprocess.run([sys.executable, "-m", "portal", "schemas"], cwd=repo, check=True, capture_output=True,
                       env=dict(os.environ, PYTHONPATH=str(repo / "scripts")))
        runs = {"cold": [_build(repo, full=True)], "incremental": [], "full": []}
        edit = 0
        for _ in range(repeat):
            for kind in ("incremental", "full"):
                edit += 1
                _edit(repo, edit)
                runs[kind].append(_build(repo, full=kind == "full"))
        return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", default=["real", "1000"])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    print(f"{'data':>6} {'build':>12} {'wall s':>7} {'CPU s':>6} {'load':>5}  pages rebuilt (en/ru/fi of total)")
    for size in args.sizes:
        results[size] = measure(size, args.repeat)
        for kind, runs in results[size].items():
            for run in runs:
                pages = " ".join(f"{c} {r[1]}/{r[2]}" for c, r in sorted(run["rebuilt"].items()))
                print(f"{size:>6} {kind:>12} {run['wall_s']:>7} {run['cpu_s']:>6} {run['load']:>5}  {pages}",
                      flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
