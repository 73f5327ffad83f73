"""Errors an editor can act on: file, line, column, field, what is wrong and what is expected."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the repository root, with forward slashes
    line: int  # 1-based
    col: int  # 1-based
    field: str  # dotted path such as "partners[1].role", or "" for the whole file
    message: str  # what is wrong; what is expected

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def github_annotation(self) -> str:
        # Shown by GitHub on the line of the pull request's diff.
        text = (f"{self.field}: {self.message}" if self.field else self.message)
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::error file={self.file},line={self.line},col={self.col}::{text}"


class InvalidInput(Exception):
    """Input that every command needs is broken (the language registry, an interface strings file):
    the command line prints the problems and exits 1 (commands/cli.py), nothing is generated."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in sorted(set(problems))))
        self.problems = problems


def field_path(path: tuple) -> str:
    """('partners', 1, 'role') -> 'partners[1].role'"""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# GitHub annotations are asked for by the one workflow step that should show them (the pull-request
# workflow's validate job), not switched on by GITHUB_ACTIONS: the test and site jobs validate the same
# records, and each error would otherwise be annotated on the diff three times.
ANNOTATIONS = "PORTAL_ANNOTATIONS"


def annotating() -> bool:
    return os.environ.get(ANNOTATIONS) == "github"


def report(problems: list[Problem], stream) -> None:
    """Print every problem, sorted by file and position; add GitHub annotations when asked for
    (PORTAL_ANNOTATIONS=github)."""
    annotate = annotating()
    for problem in sorted(set(problems)):
        print(problem, file=stream)
        if annotate:
            print(problem.github_annotation(), file=stream)
    if problems:
        files = len({p.file for p in problems})
        noun = "error" if len(problems) == 1 else "errors"
        print(f"\n{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}.", file=stream)
