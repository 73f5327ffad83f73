"""Check every file under data/ against schema.py and against each other. Collect every problem.

Per file: the schema (types, required fields, vocabulary values, references), file name = slug.
Across files: duplicate slugs, unknown references, unknown vocabulary values, date order.
A file that could not be parsed gets one problem and is left out of the other checks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import schema as S
from . import terminology
from .errors import Problem, field_path
from .load import Loaded, LoadedTree, load_tree


@dataclass
class Record:
    kind: str
    slug: str
    data: dict
    source: Loaded  # for positions in later checks and "generated from" lines

    @property
    def path(self) -> str:
        return self.source.path


@dataclass
class Catalogue:
    """Everything that passed loading, ready to render (meaningful only when problems is empty)."""

    vocab: dict[str, dict[Any, dict]] = field(default_factory=dict)  # name -> id -> term
    unreadable_vocab: set[str] = field(default_factory=set)
    unreadable_slugs: dict[str, set[str]] = field(default_factory=dict)  # kind -> slugs of broken files
    vocab_files: dict[str, str] = field(default_factory=dict)  # name -> data/vocabularies/x.yml
    records: dict[str, dict[str, Record]] = field(default_factory=dict)  # kind -> slug -> record
    problems: list[Problem] = field(default_factory=list)
    former: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> old slug -> live slug

    def context(self) -> S.Context:
        return S.Context(vocab=self.vocab, unreadable=self.unreadable_vocab,
                         slugs={k: set(v) | self.unreadable_slugs.get(k, set())
                                for k, v in self.records.items()},
                         former=self.former)


def _problem(loaded: Loaded, path: tuple, message: str) -> Problem:
    # A wrong value is shown where the value stands; a missing one where its mapping starts.
    line, col = loaded.positions.get(path) or loaded.key_where(path)
    return Problem(loaded.path, line, col, field_path(path), message)


def validate_tree(tree: LoadedTree) -> Catalogue:
    cat = Catalogue(records={k: {} for k in S.KINDS})
    known_folders = {"vocabularies", *(k.folder for k in S.KINDS.values())}
    parsed: list[Loaded] = []
    for loaded in tree.files:
        if loaded.problem:
            # Reported once; references to this file are not reported again as unknown.
            cat.problems.append(loaded.problem)
            _remember_unreadable(cat, loaded.path)
            continue
        parts = loaded.path.split("/")
        if len(parts) != 3 or parts[1] not in known_folders:
            cat.problems.append(Problem(loaded.path, 1, 1, "",
                                        "records live in data/<folder>/<slug>.yml with folder one of: "
                                        + ", ".join(sorted(known_folders)) + "; move this file"))
            continue
        parsed.append(loaded)

    # Pass 1: what exists (vocabulary ids, record slugs), so references can be checked in any order.
    vocab_files, record_files = [], []
    for loaded in parsed:
        folder, name = loaded.path.split("/")[1:]
        stem = name.rsplit(".", 1)[0]
        if folder == "vocabularies":
            vocab_files.append((stem, loaded))
        else:
            kind = next(k for k in S.KINDS.values() if k.folder == folder)
            record_files.append((kind, stem, loaded))

    for stem, loaded in vocab_files:
        if stem == terminology.NAME:  # terminology rules, not record values: a schema of their own
            cat.problems.extend(terminology.check_file(loaded))
            continue
        if stem not in S.VOCABULARIES:
            cat.problems.append(Problem(loaded.path, 1, 1, "",
                                        f"unknown vocabulary '{stem}'; {S.closest(stem, S.VOCABULARIES)}"
                                        f"vocabularies are: {', '.join(S.VOCABULARIES)}"))
            continue
        cat.vocab_files[stem] = loaded.path
        terms = loaded.data.get("terms") if isinstance(loaded.data, dict) else None
        cat.vocab[stem] = {}
        for i, term in enumerate(terms if isinstance(terms, list) else []):
            if isinstance(term, dict) and isinstance(term.get("id"), (str, int)):
                if term["id"] in cat.vocab[stem]:
                    cat.problems.append(_problem(loaded, ("terms", i, "id"),
                                                 f"duplicate id '{term['id']}' in this vocabulary; "
                                                 "ids must be unique"))
                else:
                    cat.vocab[stem][term["id"]] = term
    for name in S.VOCABULARIES:
        if name not in cat.vocab and name not in cat.unreadable_vocab:
            cat.problems.append(Problem(f"data/vocabularies/{name}.yml", 1, 1, "",
                                        "this vocabulary file is missing; records refer to it"))
            cat.vocab[name] = {}

    claimed: dict[tuple[str, str], str] = {}  # (kind, slug) -> first file that claimed it
    duplicates = set()
    for kind, stem, loaded in record_files:
        if not S.SLUG_RE.match(stem):
            cat.problems.append(Problem(loaded.path, 1, 1, "",
                                        f"the file name '{stem}' is not a slug: use lowercase ASCII "
                                        "letters, digits and hyphens, e.g. 'eko-lend.yml'"))
        if (kind.name, stem) in claimed:
            cat.problems.append(Problem(loaded.path, 1, 1, "slug",
                                        f"duplicate slug '{stem}': {claimed[(kind.name, stem)]} "
                                        "already uses it; rename one of the files"))
            duplicates.add(loaded.path)
            continue
        claimed[(kind.name, stem)] = loaded.path
        data = loaded.data if isinstance(loaded.data, dict) else {}
        cat.records[kind.name][stem] = Record(kind.name, stem, data, loaded)

    collect_former_slugs(cat)

    # Pass 2: each file against its schema, with every vocabulary and slug known.
    ctx = cat.context()
    for stem, loaded in vocab_files:
        if stem in S.VOCABULARIES:
            for path, message in S.vocabulary_schema(stem).check(loaded.data, (), ctx):
                cat.problems.append(_problem(loaded, path, message))
            for path, message in vocabulary_checks(stem, loaded.data):
                cat.problems.append(_problem(loaded, path, message))
    seen_slug_values: dict[tuple[str, str], str] = {}
    for kind, stem, loaded in record_files:
        if loaded.path in duplicates:
            continue
        for path, message in kind.schema.check(loaded.data, (), ctx):
            cat.problems.append(_problem(loaded, path, message))
        if not isinstance(loaded.data, dict):
            continue
        value = loaded.data.get("slug")
        if isinstance(value, str) and value != stem:
            cat.problems.append(_problem(loaded, ("slug",),
                                         f"'slug' should match the file name: the file is '{stem}.yml', "
                                         f"so write `slug: {stem}` (or rename the file to '{value}.yml')"))
        if isinstance(value, str):
            other = seen_slug_values.get((kind.name, value))
            if other and other != loaded.path:
                cat.problems.append(_problem(loaded, ("slug",),
                                             f"duplicate slug '{value}': {other} already uses it"))
            seen_slug_values.setdefault((kind.name, value), loaded.path)
        for path, message in record_checks(kind.name, stem, loaded.data):
            cat.problems.append(_problem(loaded, path, message))
    resolve_former_slugs(cat)
    return cat


def collect_former_slugs(cat: Catalogue) -> None:
    """Map each merged record's old slugs to it. An old slug that is still a live record, or that two
    records claim, would make its old address lead to two pages: both are errors."""
    for kind, records in cat.records.items():
        owners: dict[str, Record] = {}
        for slug, rec in records.items():
            former = rec.data.get("former_slugs")
            for i, old in enumerate(former if isinstance(former, list) else []):
                if not isinstance(old, str):
                    continue  # the schema check names the wrong type
                if old in records or old in cat.unreadable_slugs.get(kind, set()):
                    where = records[old].path if old in records else f"data/{S.KIND_FOLDERS[kind]}/{old}.yml"
                    cat.problems.append(_problem(rec.source, ("former_slugs", i),
                                                 f"'{old}' is the slug of a live record ({where}); "
                                                 "a former slug must be out of use: delete that file "
                                                 "after merging it into this one, or remove the slug here"))
                elif old in owners and owners[old] is not rec:
                    cat.problems.append(_problem(rec.source, ("former_slugs", i),
                                                 f"'{old}' is already a former slug of {owners[old].path}; "
                                                 "an old address can lead to one record only: keep it "
                                                 "in one of the two files"))
                else:
                    owners[old] = rec
                    cat.former.setdefault(kind, {})[old] = slug


def resolve_former_slugs(cat: Catalogue) -> None:
    """Rewrite references to a former slug into the live slug, so pages link to the merged record."""
    if not cat.former:
        return
    for kind_name, records in cat.records.items():
        for rec in records.values():
            if isinstance(rec.data, dict):
                _resolve(S.KINDS[kind_name].schema, rec.data, cat.former)


def _resolve(obj: S.Object, data: dict, former: dict[str, dict[str, str]]) -> None:
    for name, spec in obj.fields.items():
        value, t = data.get(name), spec.type
        if isinstance(t, S.RecordRef) and isinstance(value, str):
            data[name] = former.get(t.kind, {}).get(value, value)
        elif isinstance(t, S.ListOf) and isinstance(value, list):
            if isinstance(t.item, S.RecordRef):
                mapped = [former.get(t.item.kind, {}).get(v, v) if isinstance(v, str) else v for v in value]
                data[name] = [v for i, v in enumerate(mapped) if v not in mapped[:i]]  # merged twice: once
            elif isinstance(t.item, S.Object):
                for item in value:
                    if isinstance(item, dict):
                        _resolve(t.item, item, former)


def record_checks(kind: str, slug: str, data: dict):
    """Rules that span several fields of one record."""
    for first, last in (("start", "end"), ("date", "end_date")):
        a, b = S.parse_date(data.get(first)), S.parse_date(data.get(last))
        if a and b and _before(b, a):
            yield (last,), (f"'{last}' ({data[last]}) is before '{first}' ({data[first]}); "
                            "check both dates against the source")
    partners = data.get("partners")
    if isinstance(partners, list):
        leads = [i for i, p in enumerate(partners) if isinstance(p, dict) and p.get("role") == "lead-partner"]
        for i in leads[1:]:
            yield ("partners", i, "role"), "a project has one lead partner; make this one 'partner'"
        orgs = [p.get("organization") for p in partners if isinstance(p, dict)]
        for i, org in enumerate(orgs):
            if org is not None and org in orgs[:i]:
                yield ("partners", i, "organization"), (f"'{org}' is already listed as a partner; "
                                                        "list each organization once")
    if data.get("part_of") == slug or data.get("parent") == slug:
        key = "part_of" if data.get("part_of") == slug else "parent"
        yield (key,), "a record cannot be part of itself"
    if isinstance(data.get("member_of"), list) and slug in data["member_of"]:
        yield ("member_of",), "an organization cannot be a member of itself"
    sources = data.get("sources")
    if isinstance(sources, list):
        fields = set(S.KINDS[kind].schema.fields)
        for i, source in enumerate(sources):
            if not isinstance(source, dict):
                continue
            yield from source_checks(source, ("sources", i))
            covers = source.get("covers")
            for j, name in enumerate(covers if isinstance(covers, list) else []):
                if isinstance(name, str) and name not in fields:
                    hint = S.closest(name, fields)
                    yield ("sources", i, "covers", j), (f"'{name}' is not a field of this record"
                                                        + (f"; {hint.strip()}" if hint else ""))


def source_checks(source: dict, path: tuple):
    """A source is a document of the documents vocabulary, or a web page with title and address."""
    if source.get("document"):
        for key in ("title", "url", "publisher", "date", "retrieved"):
            if source.get(key):
                yield path + (key,), (f"`{key}` belongs to the document's entry in "
                                      "data/vocabularies/documents.yml; remove it here")
        return
    if not source.get("url"):
        yield path, ("name the source: give `document: <id from data/vocabularies/documents.yml>` "
                     "or a web page with `title:`, `url: https://…` and `retrieved:`")
        return
    if not source.get("title"):
        yield path + ("url",), "add `title:`: the web page's own title"
    if not source.get("retrieved"):
        yield path + ("url",), "add `retrieved: YYYY-MM-DD`: when the address was read"


def vocabulary_checks(stem: str, data) -> Iterator[tuple[tuple, str]]:
    """Rules across fields of vocabulary terms: their sources, and documents' address and date."""
    terms = data.get("terms") if isinstance(data, dict) else None
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        if not isinstance(term, dict):
            continue
        if stem == "documents" and term.get("url") and not term.get("retrieved"):
            yield ("terms", i, "url"), "add `retrieved: YYYY-MM-DD`: when the address was read"
        sources = term.get("sources")
        for j, source in enumerate(sources if isinstance(sources, list) else []):
            if isinstance(source, dict):
                yield from source_checks(source, ("terms", i, "sources", j))


def _remember_unreadable(cat: Catalogue, path: str) -> None:
    parts = path.split("/")
    if len(parts) != 3:
        return
    stem = parts[2].rsplit(".", 1)[0]
    if parts[1] == "vocabularies":
        cat.unreadable_vocab.add(stem)
    for kind in S.KINDS.values():
        if kind.folder == parts[1]:
            cat.unreadable_slugs.setdefault(kind.name, set()).add(stem)


def _before(a: tuple, b: tuple) -> bool:
    """a is certainly before b: compare at the precision both dates have."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def validate(root: Path) -> Catalogue:
    return validate_tree(load_tree(root))
