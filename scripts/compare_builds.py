"""Build one commit with MkDocs and with ProperDocs and compare the two sites (issue 21).

    python scripts/compare_builds.py [--commit HEAD] [--mkdocs-python PY] [--properdocs-python PY]
                                     [--work DIR]
    python scripts/compare_builds.py --compare SITE_A SITE_B

The first form clones the commit twice (git clone --shared: the history is there, for the feed's
dates), runs `portal build --engine mkdocs` in one clone with --mkdocs-python (default: this
Python) and `portal build --engine properdocs` in the other with --properdocs-python (default:
.venv-properdocs/bin/python, made by `make properdocs-venv`), one after the other, and prints each
build's time with the load average. The second form compares two sites already built (the pull
request workflow compares the site job's artifact with its ProperDocs build).

Every file is compared (scripts/portal/site/compare.py); the only line set aside is an HTML page's
`<meta name="generator">`. Exit 0 when the sites are the same, 1 when anything else differs (each
file and its differing lines printed), 2 when a build failed or the call was wrong.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from portal.site import compare  # noqa: E402

ENGINES = ("mkdocs", "properdocs")


def clone(commit: str, dest: Path) -> None:
    run = dict(check=True, capture_output=True, text=True)
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(ROOT), str(dest)], **run)
    subprocess.run(["git", "-C", str(dest), "checkout", "--quiet", "--detach", commit], **run)


def build(repo: Path, python: str, engine: str) -> tuple[bool, float, str]:
    """`portal build` with one engine in a clone: (succeeded, seconds, the load averages before and after)."""
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), PORTAL_ENGINE=engine, NO_MKDOCS_2_WARNING="1")
    before = os.getloadavg()
    start = time.perf_counter()
    done = subprocess.run([python, "-m", "portal", "build", "--engine", engine], cwd=repo, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = os.getloadavg()
    if done.returncode != 0:
        print(done.stdout[-3000:] + done.stderr[-5000:], file=sys.stderr)
    load = f"load {before[0]:.2f} → {after[0]:.2f} (1 min)"
    return done.returncode == 0, seconds, load


def report(a: Path, b: Path) -> int:
    found = compare.differences(a, b)
    count = len(compare.files(a))
    lines = sorted(compare.generators(a) | compare.generators(b))
    print(f"{count} files compared; generator lines set aside: {', '.join(lines) or 'none'}")
    for message in found:
        print(message)
    print(f"{len(found)} files differ." if found else "The sites are the same but for the generator line.")
    return 1 if found else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("SITE_A", "SITE_B"),
                        help="compare two built sites, build nothing")
    parser.add_argument("--commit", default="HEAD", help="the commit to build (default: HEAD)")
    parser.add_argument("--mkdocs-python", default=sys.executable)
    parser.add_argument("--properdocs-python", default=str(ROOT / ".venv-properdocs/bin/python"))
    parser.add_argument("--work", type=Path, help="keep the clones and sites here (default: a temporary folder, removed)")
    args = parser.parse_args(argv)
    if args.compare:
        missing = [str(p) for p in args.compare if not (p / "index.html").is_file()]
        if missing:
            print(f"not a built site: {', '.join(missing)}", file=sys.stderr)
            return 2
        return report(*args.compare)
    # absolute: the builds run in the clones (not resolved: a virtualenv's python is a symlink)
    pythons = {"mkdocs": os.path.abspath(args.mkdocs_python), "properdocs": os.path.abspath(args.properdocs_python)}
    absent = [py for py in pythons.values() if not shutil.which(py)]
    if absent:
        print(f"no Python at {', '.join(absent)} (`make properdocs-venv` makes .venv-properdocs)", file=sys.stderr)
        return 2
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", args.commit], check=True,
                            capture_output=True, text=True).stdout.strip()
    work = args.work or Path(tempfile.mkdtemp(prefix="compare-builds-"))
    try:
        sites = {}
        for engine in ENGINES:
            repo = work / engine
            clone(commit, repo)
            ok, seconds, load = build(repo, pythons[engine], engine)
            print(f"{engine}: {'built' if ok else 'FAILED'} {commit[:12]} in {seconds:.1f} s, {load}")
            if not ok:
                return 2
            sites[engine] = repo / "site"
        return report(sites["mkdocs"], sites["properdocs"])
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
