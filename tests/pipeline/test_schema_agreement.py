"""One schema: the exported JSON Schema (what editors' YAML servers and the pre-commit hook check)
refuses what `make validate` refuses wherever JSON Schema can say it, and accepts what it accepts.

Each side reads a file as it really does: validation with the project's loader (model/load.py),
the JSON Schema side as an editor's YAML 1.2 reader does (scripts/check_record_schemas.py: `1.5` is
a number, `true` a boolean). The corpus holds one invalid variant per rule, each stating whether the
schema refuses it too; a rule the schema could express but does not fails here. The rules it cannot
express are named by schema.BEYOND_JSON_SCHEMA, which the exported descriptions list.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import check_record_schemas as editor
from portal.model import schema as S
from portal.model.json_schema import exported
from portal.model.load import LoadedTree, load_file, load_tree, parse_text
from portal.model.validate import validate_tree
from portal_testing import FIXTURES, ROOT

BASE = FIXTURES / "base"

# A valid record of each kind in the fixture data set, field by field (YAML text).
RECORDS = {
    "project": {
        "slug": "slug: new-project",
        "title": "title: {en: New project}",
        "summary": "summary: {en: A summary.}",
        "start": "start: 2019-01",
        "end": "end: 2020-12",
        "partners": "partners:\n  - {organization: cursor, role: lead-partner}",
        "themes": "themes: [circular-economy]",
        "sources": "sources:\n  - {document: startup-connect-survey, covers: [title]}",
    },
    "event": {
        "slug": "slug: new-event",
        "title": "title: {en: New event}",
        "summary": "summary: {en: A summary.}",
        "date": "date: 2019-10-25",
        "format": "format: meeting",
        "sources": "sources:\n  - {document: meeting-with-sitra-2019-report}",
    },
}

LONG = "x" * (S.MAX_TEXT + 1)
# (case, kind, changed fields (None: removed), does the JSON Schema refuse it too: True, or the
#  key of the rule in S.BEYOND_JSON_SCHEMA that it cannot express; file name when not the slug's)
INVALID = [
    ("required field missing", "project", {"title": None}, True),
    ("unknown field", "project", {"titel": "titel: {en: x}"}, True),
    ("text written as one string", "project", {"title": "title: New project"}, True),
    ("text in an unknown language", "project", {"title": "title: {en: a, xx: b}"}, True),
    ("text without English", "project", {"title": "title: {ru: б}"}, True),
    ("English text blank", "project", {"title": "title: {en: '   '}"}, True),
    ("text that is a number", "project", {"title": "title: {en: 2030}"}, True),
    ("text too long", "project", {"title": f"title: {{en: {LONG}}}"}, True),
    ("one-line text on two lines", "project", {"acronym": 'acronym: "a\\nb"'}, True),
    ("one-line text too long", "project", {"acronym": f"acronym: {'x' * 81}"}, True),
    ("one-line text that is a list", "project", {"acronym": "acronym: [a]"}, True),
    ("slug not a slug", "project", {"slug": "slug: New_Project"}, True),
    ("date that does not exist", "project", {"start": "start: 2019-13"}, True),
    ("date out of range", "project", {"start": "start: 1899"}, True),
    ("web address without scheme", "project", {"website": "website: www.example.org"}, True),
    ("web address with a quote", "project", {"website": "website: 'https://example.org/a\"b'"}, True),
    ("web address with a password", "project", {"website": "website: https://user:pw@example.org/"}, True),
    ("web address without a public host", "project", {"website": "website: https://localhost/"}, True),
    ("web address with a bare %", "project", {"website": "website: https://example.org/%zz"}, True),
    ("web address with a bad port", "project", {"website": "website: https://example.org:0/"}, True),
    ("unknown vocabulary value", "project", {"status": "status: clsed"}, True),
    ("goal number written as text", "project", {"sdgs": 'sdgs: ["12"]'}, True),
    ("list written as one value", "project", {"themes": "themes: circular-economy"}, True),
    ("list with a repeated item", "project", {"themes": "themes: [circular-economy, circular-economy]"}, True),
    ("list item not a mapping", "project", {"partners": "partners:\n  - cursor"}, True),
    ("partner without role", "project", {"partners": "partners:\n  - {organization: cursor}"}, True),
    ("reference that is not a slug", "project", {"part_of": "part_of: [a]"}, True),
    ("source naming nothing", "project", {"sources": "sources:\n  - {covers: [title]}"}, True),
    ("source with document and address", "project",
     {"sources": "sources:\n  - {document: startup-connect-survey, url: 'https://example.org/'}"}, True),
    ("web page source without retrieved", "project",
     {"sources": "sources:\n  - {title: T, url: 'https://example.org/'}"}, True),
    ("web page source without title", "project",
     {"sources": "sources:\n  - {url: 'https://example.org/', retrieved: 2026-12-02}"}, True),
    ("covers naming no field", "project",
     {"sources": "sources:\n  - {document: startup-connect-survey, covers: [budget]}"}, True),
    ("required event field missing", "event", {"format": None}, True),
    # What the JSON Schema cannot express: it sees one file and cannot compare two values.
    ("reference to no record", "project", {"partners": "partners:\n  - {organization: nobody, role: partner}"},
     "references"),
    ("slug other than the file name", "project", {"slug": "slug: other-name"}, "file name"),
    ("former slug of a live record", "project", {"former_slugs": "former_slugs: [startup-connect]"},
     "former slugs"),
    ("page in the catalogue's place", "project", {"slug": "slug: index"}, "pages", "index"),
    ("part of itself", "project", {"part_of": "part_of: new-project"}, "loops"),
    ("end before start", "project", {"end": "end: 2018"}, "date order"),
    ("event ends before it starts", "event", {"end_date": "end_date: 2019-10-24"}, "date order"),
    ("two lead partners", "project", {"partners": "partners:\n  - {organization: cursor, role: lead-partner}"
                                                  "\n  - {organization: itmo-university, role: lead-partner}"},
     "partners"),
    ("YAML anchor", "project", {"title": "title: &t {en: New project}"}, "file"),
    ("symbol in an address", "project", {"website": "website: https://example.org/\u2103"}, "scripts"),
]

# Valid as the loader reads them; an editor's YAML reader makes numbers or true/false of some.
VALID = [
    ("decimal acronym", "project", {"acronym": "acronym: 1.5"}),
    ("acronym true", "project", {"acronym": "acronym: true"}),
    ("acronym of digits", "project", {"acronym": "acronym: 2030"}),
    ("text that looks like a number", "project", {"title": "title: {en: 1.5}"}),
    ("text yes", "project", {"title": "title: {en: yes, fi: true}"}),
    ("full date", "project", {"start": "start: 2019-05-01"}),
    ("quoted year", "project", {"start": "start: '2019'"}),
    ("address in Cyrillic", "project", {"website": "website: https://ru.wikipedia.org/wiki/Петербург"}),
    ("address of a Cyrillic host", "project", {"website": "website: https://пример.рф/"}),
    ("optional field left empty", "project", {"themes": "themes:", "acronym": "acronym: ''"}),
    ("web page source", "project",
     {"sources": "sources:\n  - {title: T, url: 'https://example.org/', retrieved: 2026-12-02, covers: [title]}"}),
]


@pytest.fixture(scope="module")
def base():
    tree = load_tree(BASE)
    cat = validate_tree(tree)
    assert cat.problems == []
    ctx = cat.context()
    documents = {name: json.loads(text) for name, text in exported(ctx).items()}
    return tree, documents


def record_text(kind: str, changes: dict) -> str:
    fields = {**RECORDS[kind], **changes}
    return "\n".join(text for text in fields.values() if text is not None) + "\n"


def verdicts(base, kind: str, changes: dict, stem: str | None = None) -> tuple[list[str], list[str]]:
    tree, documents = base
    stem = stem or RECORDS[kind]["slug"].split(": ")[1]
    rel = f"data/{S.KINDS[kind].folder}/{stem}.yml"
    text = record_text(kind, changes)
    before = {str(p) for p in validate_tree(tree).problems}
    ours = [str(p) for p in validate_tree(LoadedTree(tree.files + [parse_text(text, rel)])).problems
            if str(p) not in before]
    data, _ = editor.read(text)
    schema = documents[f"{kind}.schema.json"]
    theirs = [f"{list(e.absolute_path)}: {e.message[:200]}"
              for e in jsonschema.Draft7Validator(schema).iter_errors(data)]
    return ours, theirs


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c[0])
def test_each_rule_is_refused_by_validation_and_the_schema_as_stated(base, case) -> None:
    name, kind, changes, schema_refuses, *stem = case
    ours, theirs = verdicts(base, kind, changes, *stem)
    assert ours, f"{name}: validation accepts the variant, so it tests no rule"
    if schema_refuses is True:
        assert theirs, f"{name}: the JSON Schema accepts what validation refuses:\n{ours}"
    else:
        assert not theirs, f"{name}: stated as beyond the JSON Schema, but it refuses it: {theirs}"
        description = base[1][f"{kind}.schema.json"]["description"]
        assert S.BEYOND_JSON_SCHEMA[schema_refuses] in description


@pytest.mark.parametrize("case", VALID, ids=lambda c: c[0])
def test_valid_variants_are_accepted_by_both(base, case) -> None:
    name, kind, changes = case
    ours, theirs = verdicts(base, kind, changes)
    assert ours == [] and theirs == [], f"{name}:\nvalidation: {ours}\nJSON Schema: {theirs}"


def test_every_rule_beyond_the_schema_has_a_variant() -> None:
    assert {c[3] for c in INVALID if c[3] is not True} == set(S.BEYOND_JSON_SCHEMA)


# ---------------------------------------------------------------------------------------------
# The real records and every validation fixture: the same verdict for each file's own rules
# ---------------------------------------------------------------------------------------------

class _Everything(set):
    """Every slug exists: whether a referenced record exists is a cross-record rule."""

    def __contains__(self, item) -> bool:
        return isinstance(item, str)


@pytest.fixture(scope="module")
def real_schemas():
    from portal.model.validate import validate
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


@pytest.mark.parametrize("path", record_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_record_gets_the_same_verdict_from_both(real_schemas, path) -> None:
    ctx, validators = real_schemas
    kind = next(k.name for k in S.KINDS.values() if k.folder == path.parent.name)
    loaded = load_file(path, path.parents[2])
    ours = [f"{p}: {m}" for p, m in S.KINDS[kind].schema.check(loaded.data, (), ctx)]
    data, _ = editor.read(path.read_text(encoding="utf-8"))
    theirs = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validators[kind].iter_errors(data)]
    assert bool(ours) == bool(theirs), f"schema.py: {ours}\nJSON Schema: {theirs}"


def test_the_checker_finds_a_bad_record_with_its_position(tmp_path: Path) -> None:
    """scripts/check_record_schemas.py (the pre-commit hook) on the exported files."""
    known = editor.schemas(ROOT / "schemas")
    schema = editor.schema_for("data/projects/x.yml", known)
    assert schema is not None and schema["$id"] == "project.schema.json"
    assert editor.schema_for("data/vocabularies/terminology.yml", known)["$id"] == "terminology.schema.json"
    assert editor.schema_for("data/vocabularies/themes.yml", known)["$id"] == "vocabulary.schema.json"
    text = record_text("project", {"website": "website: 'https://example.org/a\"b'"})
    found = editor.problems("data/projects/x.yml", text, schema)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("website:"))
    assert len(found) == 1 and found[0].startswith(f"data/projects/x.yml:{line}:10: website: ")
