"""Run N fuzz cases (default 10,000) through load -> validate -> render and print the counts (issue 8).

    .venv/bin/python benchmarks/fuzz.py [N] [--seed S]

The cases are the suite's (tests/pipeline/fuzz_harness.py): structure-aware mutations of the real
records in data/ and values generated from schema.py. Unlike the test, a broken case does not stop
the run: every uncaught exception is counted under its signature (exception type and innermost
portal frame) and every live markup finding under its page, with one example case each.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests"), str(ROOT / "tests" / "pipeline")]

from hypothesis import HealthCheck, Phase, given, settings, seed  # noqa: E402

from fuzz_harness import Harness, cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8, help="the same seed gives the same cases")
    args = parser.parse_args()

    harness = Harness(ROOT)
    counts: collections.Counter = collections.Counter()
    crashes: dict[str, list] = {}
    live: dict[str, list] = {}
    start = time.perf_counter()

    @seed(args.seed)
    @settings(max_examples=args.cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases(harness))
    def run(case):
        outcome = harness.run(case)
        counts["cases"] += 1
        counts[outcome.kind] += 1
        if outcome.kind == "crash":
            crashes.setdefault(outcome.crash, [0, case, outcome.problems])[0] += 1
        elif outcome.problems:
            counts["broken contract"] += 1
            for problem in outcome.problems:
                key = problem.split(": ", 1)[-1][:100]
                live.setdefault(key, [0, case, problem])[0] += 1
        if counts["cases"] % 1000 == 0:
            print(f"  {counts['cases']} cases, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    run()
    elapsed = time.perf_counter() - start
    markup = sum(n for key, (n, _, _) in live.items() if "record text" in key or "comment opened" in key)
    print(f"cases:               {counts['cases']}")
    print(f"accepted:            {counts['accepted']}")
    print(f"refused:             {counts['refused']}")
    print(f"uncaught exceptions: {counts['crash']}")
    print(f"live markup:         {markup}")
    print(f"cases breaking a rule (markup, positions, pages): {counts['broken contract']}")
    print(f"time:                {elapsed:.1f} s ({1000 * elapsed / max(counts['cases'], 1):.1f} ms per case)")
    for title, table in (("crash signatures", crashes), ("findings", live)):
        if table:
            print(f"\n{len(table)} distinct {title}:")
            for key, (n, case, detail) in sorted(table.items(), key=lambda kv: -kv[1][0]):
                print(f"  {n:5d}  {key}\n         e.g. {case.path}: {case.what[:150]}\n         {str(detail)[:200]}")
    return 1 if crashes or live else 0


if __name__ == "__main__":
    sys.exit(main())
