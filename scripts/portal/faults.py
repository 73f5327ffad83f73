"""A test hook: the process kills itself with SIGKILL at a named stage, as `kill -9` would.

The tests of interrupted runs (tests/site/test_interrupted.py) set PORTAL_KILL_AT=<stage> and start
the command in a session of its own; at that stage the whole process group (the command, its
generation child and its MkDocs processes) gets SIGKILL, so the next run finds exactly what a kill at
that point leaves, on every machine and at any load (no timing). Unset, a point costs one look-up.

Stages: generate-temp (some new pages written as temp files, none in place), generate-rename (the
journal written, some pages in place), mkdocs (a language's MkDocs build done, the others maybe
not), pagefind (one language indexed), swap (site/ moved aside, the new one not yet in place).
"""
from __future__ import annotations

import os
import signal

ENV = "PORTAL_KILL_AT"
STAGES = ("generate-temp", "generate-rename", "mkdocs", "pagefind", "swap")


def point(stage: str) -> None:
    if os.environ.get(ENV) != stage:
        return
    # Only a command that leads a session of its own takes its group down: run from a shell
    # (whose job shares the shell's session) it kills itself alone, never the caller's processes.
    if os.getpgid(0) == os.getsid(0):
        os.killpg(os.getpgid(0), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
