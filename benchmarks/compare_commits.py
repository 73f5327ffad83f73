"""Benchmark: the full `portal build` of one scaled fixture with the code of two commits, interleaved.

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/compare_commits.py BEFORE AFTER
        [--records 1000] [--repeat 2] [--json results.json]

BEFORE and AFTER are git revisions of this repository. Each gets a worktree in a temporary folder;
the fixture (tests/portal_testing.py::make_scaled_repo, with the given number of extra records) is
made once per commit from that commit's own code and copied fresh for every build, so each build
starts with no docs/, no build state and no parse cache. The builds run before, after, before,
after … ; for each: wall time, CPU time of the whole process tree (user + system of the children,
from os.wait4 through resource.getrusage) and the load average at its start. The two outputs of
the last round are compared file by file (`diff -rq` but for `.portal-inputs`, which holds code
digests). Times on a shared machine are noisy: compare the ratio of the medians within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _worktree(rev: str, where: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev],
                   check=True, capture_output=True)
    return where


def _fixture(code: Path, records: int, dest: Path) -> Path:
    script = ("import sys; from pathlib import Path; from portal_testing import make_scaled_repo; "
              f"make_scaled_repo(Path(sys.argv[1]), {records})")
    env = {**os.environ, "PYTHONPATH": f"{code / 'scripts'}:{code / 'tests'}"}
    subprocess.run([PYTHON, "-c", script, str(dest)], check=True, env=env, cwd=code)
    # The extra records' vocabulary terms are in the editors' JSON Schemas, which validation checks.
    subprocess.run([PYTHON, "-m", "portal", "schemas"], check=True, cwd=dest, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(dest / "scripts"), "NO_MKDOCS_2_WARNING": "1"})
    return dest


def _build(tree: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "portal", "build"], cwd=tree, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"portal build failed in {tree}:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": round(wall, 1), "cpu": round(cpu, 1), "load": round(load, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portal-commits-"))
    results: dict[str, list[dict]] = {args.before: [], args.after: []}
    trees: dict[str, Path] = {}
    try:
        fixtures = {}
        for name, rev in (("before", args.before), ("after", args.after)):
            code = _worktree(rev, work / f"code-{name}")
            fixtures[rev] = _fixture(code, args.records, work / f"fixture-{name}")
        for round_ in range(args.repeat):
            for name, rev in (("before", args.before), ("after", args.after)):
                tree = work / f"build-{name}"
                shutil.rmtree(tree, ignore_errors=True)
                shutil.copytree(fixtures[rev], tree, symlinks=True)
                figures = _build(tree)
                results[rev].append(figures)
                trees[rev] = tree
                print(f"round {round_ + 1} {name:6} {rev}: {figures['wall']:7.1f} s wall "
                      f"{figures['cpu']:7.1f} s CPU  load {figures['load']}", flush=True)
        diff = subprocess.run(["diff", "-rq", "-x", ".portal-inputs", str(trees[args.before] / "site"),
                               str(trees[args.after] / "site")], capture_output=True, text=True).stdout
        summary = {}
        for rev, runs in results.items():
            summary[rev] = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu")}
        ratio = {k: round(summary[args.after][k] / summary[args.before][k], 3) for k in ("wall", "cpu")}
        print(f"medians: before {summary[args.before]}, after {summary[args.after]}; "
              f"after/before wall {ratio['wall']}, CPU {ratio['cpu']}")
        print("sites identical" if not diff else f"sites differ in {len(diff.splitlines())} files:\n{diff[:2000]}")
        if args.json:
            args.json.write_text(json.dumps({"records": args.records, "runs": results, "medians": summary,
                                             "ratio": ratio, "identical": not diff}, indent=1))
    finally:
        for name in ("before", "after"):
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / f"code-{name}")],
                           capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
