"""Marks of a build's steps, for benchmarks/timeline.py: with PORTAL_PHASES set (to anything but ""
or 0), each step prints `phase: <name> …` when it starts and `phase: <name> done in N s` when it
ends, to stderr as it happens. Without it nothing is printed: an editor's build says what it always said.

Why a mark and not a profiler: the build runs in several processes (the validation's fork, the
MkDocs builds, Pagefind), and what the timeline wants is when each step starts and ends beside how
busy the cores are, to find the stretches where one core waits."""
from __future__ import annotations

import contextlib
import os
import sys
import time

ENV = "PORTAL_PHASES"


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


@contextlib.contextmanager
def phase(name: str):
    if not enabled():
        yield
        return
    print(f"phase: {name} …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"phase: {name} done in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
