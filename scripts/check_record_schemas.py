"""Check record files against the exported JSON Schema (schemas/), as an editor's YAML server does.

    python scripts/check_record_schemas.py data/projects/x.yml ...

The pre-commit hook `record-schemas` runs this in an environment of its own with only jsonschema and
PyYAML (pinned in .pre-commit-config.yaml): no virtualenv, no test toolchain. Each file is read as
editors' YAML language servers read it (YAML 1.2, core schema: `1.5` is a number, `true` a boolean,
`2019-05-01` text), which is the reading the exported schema is written for, and which the agreement
test (tests/pipeline/test_schema_agreement.py) uses too. Which schema a file gets is said by the
schema itself (`x-portal-files`). What the JSON Schema cannot express (references to other files,
the order of dates ...) is left to `make validate`: each schema's description names those rules.
Exit codes: 0 valid, 1 a file does not fit its schema, 2 wrong call.
"""
from __future__ import annotations

import fnmatch
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$")


def core_scalar(text: str) -> Any:
    """A plain scalar as YAML 1.2's core schema resolves it."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text)
    if _FLOAT.match(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def read(text: str) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    """The data of one YAML document as an editor's YAML 1.2 reader sees it, and where each value
    stands (path -> 1-based line, column)."""
    positions: dict[tuple, tuple[int, int]] = {}

    def build(node, path):
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key, value in node.value:
                name = build(key, path + ("<key>",))
                out[name if isinstance(name, (str, int, float, bool)) or name is None else str(name)] = \
                    build(value, path + (name,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(item, path + (i,)) for i, item in enumerate(node.value)]
        return core_scalar(node.value) if node.style is None else node.value

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return (build(node, ()) if node is not None else None), positions


def schemas(folder: Path) -> list[tuple[str, dict]]:
    """(file pattern, schema) for every exported schema, exact names before patterns."""
    out = []
    for path in sorted(folder.glob("*.schema.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for pattern in doc.get("x-portal-files", []):
            out.append((pattern, doc))
    return sorted(out, key=lambda item: "*" in item[0])


def schema_for(rel: str, known: list[tuple[str, dict]]) -> dict | None:
    return next((doc for pattern, doc in known if fnmatch.fnmatchcase(rel, pattern)), None)


def problems(rel: str, text: str, schema: dict) -> list[str]:
    import jsonschema
    try:
        data, positions = read(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [f"{rel}:{line}:{col}: YAML syntax error: {getattr(exc, 'problem', exc)}"]
    out = []
    validator = jsonschema.Draft7Validator(schema)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        where = path
        while where not in positions and where:
            where = where[:-1]
        line, col = positions.get(where, (1, 1))
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        out.append(f"{rel}:{line}:{col}: {field + ': ' if field else ''}{error.message[:300]}")
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    root = Path.cwd()
    known = schemas(root / "schemas")
    if not known:
        print("schemas/ holds no exported schema; run `make schemas`", file=sys.stderr)
        return 2
    found = []
    for name in argv:
        rel = Path(name).as_posix()
        schema = schema_for(rel, known)
        if schema is None:
            continue  # not a record file (data/README.md ...): `make validate` says what it is
        found += problems(rel, Path(name).read_text(encoding="utf-8"), schema)
    for line in found:
        print(line)
    if found:
        print(f"\n{len(found)} schema error{'s' if len(found) != 1 else ''}; `make validate` explains "
              "each with the fix.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
