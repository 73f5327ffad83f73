"""Benchmark: where a command's wall time goes, and how busy the two cores are meanwhile.

    PYTHONPATH=scripts:tests .venv/bin/python benchmarks/timeline.py [--records 1000] [--edit]
        [--tree DIR] [--json timeline.json]

Runs `portal build` on a fresh copy of a scaled fixture (tests/portal_testing.py::make_scaled_repo;
made in a temporary folder, or in the one --tree names and reused from there) and notes the time of every
step the build marks (scripts/portal/phases.py: PORTAL_PHASES is set for it), while a sampler reads
/proc/stat every 0.2 s. It prints each step (nested steps indented) with when it started and ended,
its wall time and the cores busy on average meanwhile (the whole machine's busy time: run it on a
quiet machine; the load average at the start is printed beside it). Steps where fewer than `nproc`
cores are busy are where overlapping work would shorten the build. `--edit` then changes one record's title and runs
the build again on the state the first one left (a pull request's build on main's restored state).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests"), str(ROOT / "benchmarks")]
from portal import phases  # noqa: E402
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PERIOD = 0.2


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat's first line."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.perf_counter(), *_busy_jiffies()))
            self.stop.wait(PERIOD)

    def busy_cores(self, start: float, end: float) -> float:
        """Cores busy on average between start and end (the samples nearest outside them)."""
        before = [s for s in self.samples if s[0] <= start] or self.samples[:1]
        after = [s for s in self.samples if s[0] >= end] or self.samples[-1:]
        (t0, b0, a0), (t1, b1, a1) = before[-1], after[0]
        cores = os.cpu_count() or 1
        return cores * (b1 - b0) / (a1 - a0) if a1 > a0 else 0.0


def run_timed(tree: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree / "scripts"), "NO_MKDOCS_2_WARNING": "1", phases.ENV: "1"}
    sampler = Sampler()
    sampler.start()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    lines: list[tuple[float, str]] = []
    proc = subprocess.Popen([PYTHON, "-m", "portal", "build"], cwd=tree, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append((time.perf_counter() - start, line.rstrip()))
    code = proc.wait()
    wall = time.perf_counter() - start
    time.sleep(PERIOD * 2)  # a sample after the end
    sampler.stop.set()
    sampler.join()
    if code:
        sys.exit("portal build failed:\n" + "\n".join(text for _, text in lines[-40:]))
    steps, open_ = [], {}
    for at, text in lines:
        if not text.startswith("phase: "):
            continue
        name = text[len("phase: "):]
        if name.endswith(" …"):
            open_[name[:-2]] = at
        elif " done in " in name:
            name = name.rsplit(" done in ", 1)[0]
            begun = open_.pop(name, at)
            steps.append({"step": name, "from": begun, "to": at, "seconds": round(at - begun, 1),
                          "cores": round(sampler.busy_cores(start + begun, start + at), 2)})
    # Nested: inside a longer step of another kind (the MkDocs and Pagefind processes of the
    # languages run side by side: they overlap without one being part of the other).
    for step in steps:
        step["depth"] = sum(1 for other in steps if other is not step
                            and other["step"].split()[0] != step["step"].split()[0]
                            and other["from"] <= step["from"] and step["to"] <= other["to"])
    steps.sort(key=lambda s: (s["from"], s["depth"], s["step"]))
    for step in steps:
        step["from"], step["to"] = round(step["from"], 2), round(step["to"], 2)
    return {"wall": round(wall, 1), "load": round(load, 2),
            "cores": round(sampler.busy_cores(start, start + wall), 2), "steps": steps,
            "log": [[round(at, 2), text] for at, text in lines]}


def _print(title: str, result: dict) -> None:
    print(f"\n{title}: {result['wall']} s wall, {result['cores']} cores busy on average, "
          f"load {result['load']} at the start")
    print(f"  {'from':>7} {'to':>7} {'s':>6} {'cores':>5}  step")
    for s in result["steps"]:
        print(f"  {s['from']:7.1f} {s['to']:7.1f} {s['seconds']:6.1f} {s['cores']:5.2f}  {'  ' * s['depth']}{s['step']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--tree", type=Path, help="where the fixture is (made there when absent)")
    parser.add_argument("--edit", action="store_true", help="then a one-record build on the state")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from portal_testing import make_scaled_repo
    from scaling import edit_one_record
    work = Path(tempfile.mkdtemp(prefix="portal-timeline-"))
    fixture = args.tree or work / "fixture"
    try:
        if not (fixture / "data").is_dir():
            make_scaled_repo(fixture, args.records)
            subprocess.run([PYTHON, "-m", "portal", "schemas"], check=True, cwd=fixture, stdout=subprocess.DEVNULL,
                           env={**os.environ, "PYTHONPATH": str(fixture / "scripts")})
        tree = work / "build"  # a fresh copy: no docs/, no build state, no parse cache
        shutil.copytree(fixture, tree, symlinks=True)
        results = {"full": run_timed(tree)}
        _print("full build", results["full"])
        if args.edit:
            edit_one_record(tree)  # the edit scaling.py times
            results["one_record"] = run_timed(tree)
            _print("one record edited", results["one_record"])
        if args.json:
            args.json.write_text(json.dumps({"records": args.records, **results}, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
