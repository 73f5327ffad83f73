"""Export schema.py as JSON Schema (draft-07, what editors' YAML language servers understand).

Vocabulary ids go into the files as enums, so an editor gets completion for themes, programmes …
A stale export is repaired by `make validate` / `make schemas`, and the test suite fails on it.
"""
from __future__ import annotations

import json
from pathlib import Path

from . import schema as S
from . import terminology
from ..write import atomic_write

DRAFT = "http://json-schema.org/draft-07/schema#"


def _document(title: str, body: dict, name: str, files: list[str], description: str = "") -> dict:
    # x-portal-files: which files the schema is for (scripts/check_record_schemas.py, the pre-commit
    # hook, picks a file's schema by it); JSON Schema readers ignore the unknown keyword.
    head = {"$schema": DRAFT, "$id": f"{name}.schema.json", "title": title}
    if description:
        head["description"] = description
    return {**head, "x-portal-files": files, **body}


def beyond_description() -> str:
    return ("Editors' check of one record. `make validate` also checks what this schema cannot "
            "express: " + "; ".join(S.BEYOND_JSON_SCHEMA.values()) + ".")


def exported(ctx: S.Context) -> dict[str, str]:
    """File name -> JSON text, for every record kind and for vocabulary files (generic over
    S.KINDS: a new kind gets its schema file from its definition alone)."""
    docs = {}
    for kind in S.KINDS.values():
        docs[kind.name] = _document(f"A {kind.name} record (data/{kind.folder}/<slug>.yml)",
                                    kind.schema.json_schema(ctx), kind.name,
                                    [f"data/{kind.folder}/*.yml", f"data/{kind.folder}/*.yaml"],
                                    beyond_description())
    # One schema for all vocabulary files: each term may carry the extra fields of any vocabulary.
    term: dict = {"type": "object", "additionalProperties": False, "required": ["id", "label"],
                  "properties": {}}
    rules: list = []
    for vocab in S.VOCABULARIES:
        spec = S.term_schema(vocab).json_schema(ctx)
        for name, prop in spec["properties"].items():
            if name == "id":
                prop = {"type": ["string", "integer"], "description": prop.get("description", "")}
            term["properties"].setdefault(name, prop)
        rules += [rule for rule in spec.get("allOf", []) if rule not in rules]
    if rules:
        term["allOf"] = rules
    docs["vocabulary"] = _document("A vocabulary (data/vocabularies/<name>.yml)", {
        "type": "object", "additionalProperties": False, "required": ["terms"],
        "properties": {"terms": {"type": "array", "minItems": 1, "items": term}}}, "vocabulary",
        ["data/vocabularies/*.yml"],
        "One schema for every vocabulary file. `make validate` also checks what it cannot express: "
        "which vocabulary a file is (by its name), ids unique within a file, a term's fields that "
        "belong to another vocabulary.")
    docs[terminology.NAME] = _document(f"The portal's terminology ({terminology.PATH})",
                                       terminology.SCHEMA.json_schema(ctx), terminology.NAME,
                                       [terminology.PATH])
    return {f"{name}.schema.json": json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            for name, doc in docs.items()}


def stale_files(ctx: S.Context, folder: Path) -> dict[str, str]:
    want = exported(ctx)
    return {name: text for name, text in want.items()
            if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text}


def write_schemas(ctx: S.Context, folder: Path) -> list[str]:
    stale = stale_files(ctx, folder)
    for name, text in stale.items():
        atomic_write(folder / name, text.encode("utf-8"))
    return sorted(stale)
