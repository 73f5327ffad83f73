"""One schema: what schema.py accepts, the exported JSON Schema (what editors' YAML servers check
while they type) accepts too, and the other way round (issue 9).

Every record of data/ and of every validation fixture goes through both, and so do probe values
for every field type. Cross-record rules (a referenced record exists, loops, collisions, date
order, one lead partner) are code, not schema: they are left out on both sides.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from portal.model import schema as S
from portal.model.json_schema import exported
from portal.model.load import load_file
from portal.model.validate import validate
from portal_testing import FIXTURES, ROOT


class _Everything(set):
    """Every slug exists: whether a referenced record exists is a cross-record rule."""

    def __contains__(self, item) -> bool:
        return isinstance(item, str)


@pytest.fixture(scope="module")
def schemas():
    ctx = validate(ROOT).context()
    ctx.slugs = {kind: _Everything() for kind in S.KINDS}
    documents = {name: json.loads(text) for name, text in exported(ctx).items()}
    return ctx, {kind: jsonschema.Draft7Validator(documents[f"{kind}.schema.json"]) for kind in S.KINDS}


def record_files() -> list[Path]:
    """Record files that load as a mapping (the loader's own fixtures, refused before any schema
    check, are not schema questions)."""
    folders = [ROOT / "data"] + sorted(FIXTURES.glob("validation/*/data"))
    kinds = {k.folder for k in S.KINDS.values()}
    files = [p for folder in folders for p in sorted(folder.glob("*/*.y*ml")) if p.parent.name in kinds]
    return [p for p in files if _loads(p)]


def _loads(path: Path) -> bool:
    loaded = load_file(path, path.parents[2])
    return not loaded.problem and isinstance(loaded.data, dict)


def verdicts(schemas, kind: str, data) -> tuple[list[str], list[str]]:
    ctx, validators = schemas
    ours = [f"{path}: {message}" for path, message in S.KINDS[kind].schema.check(data, (), ctx)]
    theirs = [f"{list(e.absolute_path)}: {e.message}" for e in validators[kind].iter_errors(data)]
    return ours, theirs


def _kind_of(path: Path) -> str:
    return next(k.name for k in S.KINDS.values() if k.folder == path.parent.name)


@pytest.mark.parametrize("path", record_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_record_gets_the_same_verdict_from_both(schemas, path):
    loaded = load_file(path, path.parents[2])
    ours, theirs = verdicts(schemas, _kind_of(path), loaded.data)
    assert bool(ours) == bool(theirs), f"schema.py: {ours}\nJSON Schema: {theirs}"


# Values an editor may type, per type of field: each is accepted by both or refused by both.
PROBES = {
    S.String: [2030, "ok", "", "   ", "two\nlines", "\nfolded\n", "x" * 400, 1.5, True, None, ["a"]],
    S.Date: ["2019", 2019, "2019-05", "2019-13", "2019-00", "2019-02-29", "2020-02-29", "1900-02-29",
             "2000-02-29", "2019-04-31", "2019-1-1", "1899", 2101, "20190", "", True],
    S.Text: [{"en": "a"}, {"en": "a", "ru": "б"}, {"ru": "б"}, {"en": ""}, {"en": 12}, {"xx": "a", "en": "a"},
             "plain", [], None],
    S.Url: ["https://example.org/", "http://example.org/a?b=c", "ftp://example.org/", "example.org",
            "https://example.org/a b", ""],
}


def probe_cases():
    for kind in S.KINDS.values():
        for name, spec in kind.schema.fields.items():
            for t, values in PROBES.items():
                if type(spec.type) is t:
                    for value in values:
                        yield kind.name, name, value


@pytest.mark.parametrize("kind,field,value", list(probe_cases()),
                         ids=lambda v: repr(v)[:30] if not isinstance(v, str) or len(v) > 20 else v)
def test_probe_values_get_the_same_verdict_from_both(schemas, kind, field, value):
    base = next(p for p in sorted((ROOT / "data" / S.KINDS[kind].folder).glob("*.yml")))
    data = copy.deepcopy(load_file(base, ROOT).data)
    data[field] = value
    ours, theirs = verdicts(schemas, kind, data)
    assert bool(ours) == bool(theirs), f"{kind}.{field} = {value!r}\nschema.py: {ours}\nJSON Schema: {theirs}"
