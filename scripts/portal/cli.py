"""One command line for editors, CI and the Makefile: `python -m portal <command>`.

A command is a function taking the parsed arguments and returning an exit code; register it in
COMMANDS with its help line and an optional function adding its arguments.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from . import json_schema, pipeline, terminology
from .errors import Problem, report
from .validate import validate

ROOT = Path(__file__).resolve().parents[2]


def cmd_validate(args) -> int:
    cat = validate(ROOT)
    problems = list(cat.problems)
    if not problems:
        # A derived file that can be repaired is repaired, then reported, so the fix gets committed.
        for name in json_schema.write_schemas(cat.context(), ROOT / "schemas"):
            problems.append(Problem(f"schemas/{name}", 1, 1, "",
                                    "was out of date with scripts/portal/schema.py or the vocabularies "
                                    "and has been rewritten; commit it"))
    terminology.report(ROOT, sys.stderr)  # warnings only: they never change the exit code
    if problems:
        report(problems, sys.stderr)
        return 1
    counts = ", ".join(f"{len(v)} {k}s" for k, v in cat.records.items())
    print(f"All records are valid: {counts}, {len(cat.vocab)} vocabularies.")
    return 0


def _generate() -> int:
    try:
        result = pipeline.generate(ROOT)
    except pipeline.ValidationFailed as failed:
        report(failed.problems, sys.stderr)
        print("Nothing under docs/ was changed.", file=sys.stderr)
        return 1
    print(f"Generated pages: {result.report.summary()}.")
    return 0


def cmd_generate(args) -> int:
    return _generate()


def cmd_schemas(args) -> int:
    cat = validate(ROOT)
    written = json_schema.write_schemas(cat.context(), ROOT / "schemas")
    print(f"JSON Schema files: {len(written)} rewritten" + (f" ({', '.join(written)})" if written else ""))
    return 0


def cmd_build(args) -> int:
    from . import build
    return cmd_validate(args) or _generate() or build.mkdocs_build(ROOT)


def cmd_serve(args) -> int:
    from . import serve
    return serve.serve(ROOT, args.addr)


def _serve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")


COMMANDS: dict[str, tuple[Callable, str, Callable | None]] = {
    "validate": (cmd_validate, "check every record; errors as file:line:col: field: message", None),
    "generate": (cmd_generate, "validate, then write the pages under docs/<lang>/", None),
    "schemas": (cmd_schemas, "export the JSON Schema files for editors to schemas/", None),
    "build": (cmd_build, "validate, generate and build the site into site/ (strict)", None),
    "serve": (cmd_serve, "live preview: saving a record updates the page", _serve_args),
}


def register(name: str, fn: Callable, help_text: str, add_args: Callable | None = None) -> None:
    COMMANDS[name] = (fn, help_text, add_args)


def main(argv: list[str] | None = None) -> int:
    # Commands that live in their own modules register themselves on import.
    from . import check_links, new_record, status  # noqa: F401
    parser = argparse.ArgumentParser(prog="portal", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (fn, help_text, add_args) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=fn)
        if add_args:
            add_args(p)
    args = parser.parse_args(argv)
    return args.func(args)
