"""Two built sites compared file by file: the same files, the same bytes, except the generator line.

The exit from MkDocs (issue 21, site/engine.py) holds while ProperDocs builds what MkDocs builds.
Every file of the two sites is compared: the pages, the sitemaps, the search index, the open data,
the theme's assets. In an HTML page the one line that names the engine,
`<meta name="generator" content="mkdocs-1.6.1, …">` (Material's base.html), is set aside; nothing
else is normalised, so any other difference is reported with its lines.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
GENERATOR_SET_ASIDE = b'<meta name="generator" content="(the engine)">'
# The build's record of its inputs (site/build.py), not a file of the site; equal for two builds of
# the same commit by construction, and missing from a site downloaded from a GitHub artifact
# (upload-artifact leaves hidden files out).
NOT_COMPARED = {".portal-inputs"}
LINES_SHOWN = 6  # differing lines shown per file


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).as_posix() not in NOT_COMPARED}


def normalised(name: str, data: bytes) -> bytes:
    """The file's bytes with an HTML page's generator line set aside (only that)."""
    return GENERATOR.sub(GENERATOR_SET_ASIDE, data) if name.endswith(".html") else data


def generators(site: Path) -> set[str]:
    """The generator lines of a site's pages (one per engine that built them)."""
    found = set()
    for name, path in files(site).items():
        if name.endswith(".html"):
            found.update(m.group().decode() for m in GENERATOR.finditer(path.read_bytes()))
    return found


def differences(a: Path, b: Path) -> list[str]:
    """What differs between the sites a and b, one message per file; empty when they are the same
    but for the generator line."""
    left, right = files(a), files(b)
    out = [f"only in {a}: {name}" for name in sorted(left.keys() - right.keys())]
    out += [f"only in {b}: {name}" for name in sorted(right.keys() - left.keys())]
    for name in sorted(left.keys() & right.keys()):
        one, two = (normalised(name, p.read_bytes()) for p in (left[name], right[name]))
        if one != two:
            out.append(_described(name, one, two))
    return out


def _described(name: str, one: bytes, two: bytes) -> str:
    try:
        lines = one.decode("utf-8").splitlines(), two.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        first = next((i for i, (x, y) in enumerate(zip(one, two)) if x != y), min(len(one), len(two)))
        return f"{name}: binary content differs ({len(one)} and {len(two)} bytes, first at byte {first})"
    changed = []
    for group in difflib.SequenceMatcher(None, *lines, autojunk=False).get_grouped_opcodes(0):
        for tag, i1, i2, j1, j2 in group:
            if tag != "equal":
                changed += [f"  line {i + 1}: - {lines[0][i][:200]}" for i in range(i1, i2)]
                changed += [f"  line {j + 1}: + {lines[1][j][:200]}" for j in range(j1, j2)]
    if not changed:
        return f"{name}: differs in line endings or the final newline only"
    more = f"\n  … and {len(changed) - LINES_SHOWN} more lines" if len(changed) > LINES_SHOWN else ""
    return f"{name}: differs\n" + "\n".join(changed[:LINES_SHOWN]) + more
