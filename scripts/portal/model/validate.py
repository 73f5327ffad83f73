"""Check every file under data/ against schema.py and against each other. Collect every problem.

Per file: the schema (types, required fields, vocabulary values, references), file name = slug.
Across files: duplicate slugs and vocabularies, unknown references, unknown vocabulary values, date
order, loops of part_of/parent, and names whose page would land where another page is (a generated
catalogue or a hand-written page): whatever validates here, generate and the strict build accept.
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
from .parse_cache import CACHE, CheckCache, context_key


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
    vocab_sources: dict[str, Loaded] = field(default_factory=dict)  # name -> its loaded file
    term_index: dict[str, dict[Any, int]] = field(default_factory=dict)  # name -> id -> index in terms
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


def validate_tree(tree: LoadedTree, root: Path | None = None) -> Catalogue:
    """Every problem of the loaded files; with root, also collisions with hand-written pages."""
    cat = Catalogue(records={k: {} for k in S.KINDS})
    vocab_files, record_files = _by_folder(_placed_files(cat, tree))
    # Pass 1: what exists (vocabulary ids, record slugs), so references can be checked in any order.
    for stem, loaded in vocab_files:
        _read_vocabulary(cat, stem, loaded)
    _require_notices(cat)
    _require_vocabularies(cat)
    duplicates = _claim_slugs(cat, record_files)
    collect_former_slugs(cat)
    # Pass 2: each file against its schema, with every vocabulary and slug known.
    ctx = cat.context()
    _check_vocabularies(cat, ctx)
    checks = CheckCache(tree.cache, context_key(ctx, S.LANGS)) if tree.cache is not None else None
    _check_records(cat, [f for f in record_files if f[2].path not in duplicates], ctx, checks)
    if checks is not None:
        checks.save()
    resolve_former_slugs(cat)
    cat.problems += loops(cat)
    cat.problems += page_collisions(cat, root)
    return cat


def _placed_files(cat: Catalogue, tree: LoadedTree) -> list[Loaded]:
    """The parsed files that stand where records live; the others each get their one problem."""
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
    return parsed


def _by_folder(parsed: list[Loaded]) -> tuple[list[tuple[str, Loaded]], list[tuple[S.Kind, str, Loaded]]]:
    """(name, file) of each vocabulary and (kind, slug, file) of each record, in the files' order."""
    vocab_files, record_files = [], []
    for loaded in parsed:
        folder, name = loaded.path.split("/")[1:]
        stem = name.rsplit(".", 1)[0]
        if folder == "vocabularies":
            vocab_files.append((stem, loaded))
        else:
            kind = next(k for k in S.KINDS.values() if k.folder == folder)
            record_files.append((kind, stem, loaded))
    return vocab_files, record_files


def _read_vocabulary(cat: Catalogue, stem: str, loaded: Loaded) -> None:
    """Take in a vocabulary file's terms, or report why the file is not a vocabulary."""
    if stem == terminology.NAME:  # terminology rules, not record values: a schema of their own
        cat.problems.extend(terminology.check_file(loaded))
    elif (problem := _vocabulary_file_problem(cat, stem, loaded)):
        cat.problems.append(problem)
    else:
        _read_terms(cat, stem, loaded)


def _vocabulary_file_problem(cat: Catalogue, stem: str, loaded: Loaded) -> Problem | None:
    """A retired, unknown or second file of a vocabulary."""
    if stem in S.RETIRED_VOCABULARIES:
        return Problem(loaded.path, 1, 1, "", S.RETIRED_VOCABULARIES[stem])
    if stem not in S.VOCABULARIES:
        return Problem(loaded.path, 1, 1, "",
                       f"unknown vocabulary '{stem}'; {S.closest(stem, S.VOCABULARIES)}"
                       f"vocabularies are: {', '.join(S.VOCABULARIES)}")
    if stem in cat.vocab_files:  # themes.yml and themes.yaml: one would silently replace the other
        return Problem(loaded.path, 1, 1, "",
                       f"duplicate vocabulary '{stem}': {cat.vocab_files[stem]} already "
                       "defines it; keep one of the two files")
    return None


def _read_terms(cat: Catalogue, stem: str, loaded: Loaded) -> None:
    """The vocabulary's terms by id (the first of a repeated id stands; the repeat is reported)."""
    cat.vocab_files[stem] = loaded.path
    cat.vocab_sources[stem] = loaded
    terms = loaded.data.get("terms") if isinstance(loaded.data, dict) else None
    cat.vocab[stem] = {}
    cat.term_index[stem] = {}
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        if not (isinstance(term, dict) and isinstance(term.get("id"), (str, int))):
            continue  # the schema check names what is wrong with it
        if term["id"] in cat.vocab[stem]:
            cat.problems.append(_problem(loaded, ("terms", i, "id"),
                                         f"duplicate id '{term['id']}' in this vocabulary; "
                                         "ids must be unique"))
        else:
            cat.vocab[stem][term["id"]] = without_empty(term)
            cat.term_index[stem][term["id"]] = i


def _require_notices(cat: Catalogue) -> None:
    """The notices the pages show by id: a missing one would fail the render."""
    if "notices" not in cat.vocab_files:
        return
    for notice in S.NOTICES:
        if notice not in cat.vocab["notices"]:
            cat.problems.append(Problem(cat.vocab_files["notices"], 1, 1, "",
                                        f"the notice '{notice}' is missing; the pages show it "
                                        "(see data/README.md, Notices)"))


def _require_vocabularies(cat: Catalogue) -> None:
    """Every vocabulary has its file; a missing one is reported once, not once per record using it."""
    for name in S.VOCABULARIES:
        if name not in cat.vocab and name not in cat.unreadable_vocab:
            cat.problems.append(Problem(f"data/vocabularies/{name}.yml", 1, 1, "",
                                        "this vocabulary file is missing; records refer to it"))
            cat.vocab[name] = {}
            cat.unreadable_vocab.add(name)


def _claim_slugs(cat: Catalogue, record_files: list[tuple[S.Kind, str, Loaded]]) -> set[str]:
    """Each record under its file name; returns the files whose name an earlier file already took."""
    claimed: dict[tuple[str, str], str] = {}  # (kind, slug) -> first file that claimed it
    duplicates = set()
    for kind, stem, loaded in record_files:
        if (why := file_name_problem(stem)):
            cat.problems.append(Problem(loaded.path, 1, 1, "", why))
        if (kind.name, stem) in claimed:
            cat.problems.append(Problem(loaded.path, 1, 1, "slug",
                                        f"duplicate slug '{stem}': {claimed[(kind.name, stem)]} "
                                        "already uses it; rename one of the files"))
            duplicates.add(loaded.path)
            continue
        claimed[(kind.name, stem)] = loaded.path
        data = loaded.data if isinstance(loaded.data, dict) else {}
        cat.records[kind.name][stem] = Record(kind.name, stem, without_empty(data), loaded)
    return duplicates


def _check_vocabularies(cat: Catalogue, ctx: S.Context) -> None:
    """Each vocabulary file taken in (vocab_sources, in the files' order) against its schema."""
    for stem, loaded in cat.vocab_sources.items():
        for path, message in S.vocabulary_schema(stem).check(loaded.data, (), ctx):
            cat.problems.append(_problem(loaded, path, message))
        for path, message in alias_clashes(loaded.data):
            cat.problems.append(_problem(loaded, path, message))


def _check_records(cat: Catalogue, record_files: list[tuple[S.Kind, str, Loaded]], ctx: S.Context,
                   checks: CheckCache | None = None) -> None:
    """Each record file (duplicates left out) against its kind's schema, its `slug:` and the rules
    that span several of its fields. checks: the files found clean before in this context (its
    schema check is most of a validation: 0.9 s of 10,000 records), which are not checked again."""
    # The file whose name is the slug owns it, so a copy that kept the old `slug:` is the one blamed.
    slug_owners: dict[tuple[str, str], str] = {(kind.name, stem): loaded.path
                                               for kind, stem, loaded in record_files}
    for kind, stem, loaded in record_files:
        if not (checks and checks.clean(loaded.digest, kind.name)):
            found = [_problem(loaded, path, message) for path, message in kind.schema.check(loaded.data, (), ctx)]
            cat.problems += found
            if checks and not found:
                checks.found_clean(loaded.digest, kind.name)
        if not isinstance(loaded.data, dict):
            continue
        for path, message in _slug_field_checks(kind.name, stem, loaded, slug_owners):
            cat.problems.append(_problem(loaded, path, message))
        for path, message in record_checks(kind.name, stem, loaded.data):
            cat.problems.append(_problem(loaded, path, message))


def _slug_field_checks(kind: str, stem: str, loaded: Loaded, slug_owners: dict[tuple[str, str], str]):
    """`slug:` is the file name, and no other file's; records the slug's first owner as it goes."""
    value = loaded.data.get("slug")
    if not isinstance(value, str):
        return
    if value != stem:
        yield ("slug",), slug_mismatch(stem, value)
    other = slug_owners.get((kind, value))
    if other and other != loaded.path:
        yield ("slug",), f"duplicate slug '{S.shown(value)}': {other} already uses it"
    slug_owners.setdefault((kind, value), loaded.path)


def alias_clashes(data: Any) -> Iterator[tuple[tuple, str]]:
    """An alias (a spelling variant or abbreviation readers search for) that names two terms of one
    vocabulary: another term's alias or label. The search would send the reader to both pages."""
    terms = data.get("terms") if isinstance(data, dict) else None
    owner: dict[str, Any] = {}  # casefolded name -> the id of the term that has it
    for term in terms if isinstance(terms, list) else []:
        if isinstance(term, dict) and isinstance(term.get("label"), dict):
            for label in term["label"].values():
                if isinstance(label, str):
                    owner.setdefault(label.strip().casefold(), term.get("id"))
    for i, term in enumerate(terms if isinstance(terms, list) else []):
        aliases = term.get("aliases") if isinstance(term, dict) else None
        for j, alias in enumerate(aliases if isinstance(aliases, list) else []):
            if not isinstance(alias, str):
                continue  # reported by the schema
            other = owner.setdefault(alias.strip().casefold(), term.get("id"))
            if other != term.get("id"):
                yield ("terms", i, "aliases", j), (f"'{S.shown(alias)}' already names the term '{S.shown(other)}' "
                                                   "of this vocabulary; a reader searching for it would find "
                                                   "both: keep it on one term")


def file_name_problem(stem: str) -> str | None:
    """Why a record's file name (without .yml) cannot be its slug, with a name that can; `portal new`
    refuses a slug with the same message before it writes anything."""
    if S.SLUG_RE.match(stem):
        return None
    return (f"the file name '{S.shown(stem)}' is not a slug: use lowercase ASCII letters, digits and "
            f"hyphens: rename the file to '{S.suggest_slug(stem)}.yml'")


def slug_mismatch(stem: str, value: str) -> str:
    """`slug:` differs from the file name: propose the fix that leaves both valid and equal."""
    if S.SLUG_RE.match(stem):
        rename = f" (or rename the file to '{value}.yml')" if S.SLUG_RE.match(value) else ""
        return f"'slug' should match the file name: the file is '{stem}.yml', so write `slug: {stem}`{rename}"
    good = value if S.SLUG_RE.match(value) else S.suggest_slug(stem)
    return (f"'slug' should match the file name, and '{S.shown(stem)}' is not a slug: rename the file to "
            f"'{good}.yml' and write `slug: {good}`")


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
    """Rules that span several fields of one record, in RECORD_RULES' order."""
    for rule in RECORD_RULES:
        yield from rule(kind, slug, data)


def _dates_in_order(kind: str, slug: str, data: dict):
    for first, last in (("start", "end"), ("date", "end_date")):
        a, b = S.parse_date(data.get(first)), S.parse_date(data.get(last))
        if a and b and _before(b, a):
            yield (last,), (f"'{last}' ({data[last]}) is before '{first}' ({data[first]}); "
                            "check both dates against the source")


def _one_lead_partner(kind: str, slug: str, data: dict):
    partners = data.get("partners")
    leads = [i for i, p in enumerate(partners if isinstance(partners, list) else [])
             if isinstance(p, dict) and p.get("role") == "lead-partner"]
    for i in leads[1:]:
        yield ("partners", i, "role"), "a project has one lead partner; make this one 'partner'"


def _partners_listed_once(kind: str, slug: str, data: dict):
    partners = data.get("partners")
    listed: set = set()
    for i, partner in enumerate(partners if isinstance(partners, list) else []):
        org = partner.get("organization") if isinstance(partner, dict) else None
        if not isinstance(org, str):
            continue  # the schema reports it
        if org in listed:
            yield ("partners", i, "organization"), (f"'{org}' is already listed as a partner; "
                                                    "list each organization once")
        listed.add(org)


def _not_part_of_itself(kind: str, slug: str, data: dict):
    for key in ("part_of", "parent"):
        if data.get(key) == slug:
            yield (key,), "a record cannot be part of itself"


def _not_member_of_itself(kind: str, slug: str, data: dict):
    members = data.get("member_of")
    for i, network in enumerate(members if isinstance(members, list) else []):
        if network == slug:
            yield ("member_of", i), "an organization cannot be a member of itself"


def _programme_not_following_itself(kind: str, slug: str, data: dict):
    follows = data.get("follows") if kind == "programme" else None
    for i, earlier in enumerate(follows if isinstance(follows, list) else []):
        if earlier == slug:
            yield ("follows", i), "a programme cannot follow itself; name the programme it succeeds"


# A source's own rules (document or web page, `covers:` naming this kind's fields) are the
# schema's (schema.SourceRule, schema.FieldName): the JSON Schema carries them too.
RECORD_RULES = (_dates_in_order, _one_lead_partner, _partners_listed_once, _not_part_of_itself,
                _not_member_of_itself, _programme_not_following_itself)


# Fields that place a record inside another of its kind: a loop would make each the other's part.
# (member_of is left out: two networks may well be members of each other.)
HIERARCHIES = {"project": "part_of", "event": "part_of", "organization": "parent"}


def loops(cat: Catalogue) -> list[Problem]:
    """a part of b part of a: reported on every record of the loop, naming it."""
    problems = []
    for kind, key in HIERARCHIES.items():
        records = cat.records[kind]
        up = {slug: rec.data.get(key) for slug, rec in records.items()
              if isinstance(rec.data.get(key), str) and rec.data.get(key) in records
              and rec.data.get(key) != slug}  # a record part of itself has its own message
        done: set[str] = set()
        for start in sorted(up):
            chain, slug = [], start
            while slug in up and slug not in chain and slug not in done:
                chain.append(slug)
                slug = up[slug]
            if slug in chain:
                loop = chain[chain.index(slug):]
                for member in loop:
                    shown = " → ".join(loop[loop.index(member):] + loop[:loop.index(member)] + [member])
                    problems.append(_problem(records[member].source, (key,),
                                             f"'{key}' makes a loop: {shown}; each would be part of "
                                             "itself: remove one of these links"))
            done.update(chain)
    return problems


def page_collisions(cat: Catalogue, root: Path | None) -> list[Problem]:
    """Names whose generated page would take the address of another page.

    Paths come from paths.py, as the renderer uses them (record_path, catalogue_path, term_path, page_url), so this
    follows the generator; addresses are compared as MkDocs builds them (directory URLs: a.md and
    a/index.md are the same page). Checked against the catalogues and topic index, and against every
    hand-written page under docs/<lang>/ when root is given."""
    from .. import paths as render  # the page address scheme the renderer writes by
    from ..write import hand_written_pages

    fixed: dict[str, str] = {render.page_url(render.catalogue_path(kind)): f"the {S.KINDS[kind].folder} catalogue"
                             for kind in S.KINDS}
    fixed[render.page_url("topics/index.md")] = "the topics overview"
    made: list[tuple[str, str, Loaded, tuple]] = []  # (url, page, file, field path)
    for kind, records in cat.records.items():
        for slug, rec in sorted(records.items()):
            made.append((render.page_url(render.record_path(kind, slug)), render.record_path(kind, slug),
                         rec.source, ("slug",)))
    for vocab in S.FACETS:  # the vocabularies that get a page per term
        source = cat.vocab_sources.get(vocab)
        for term_id, i in cat.term_index.get(vocab, {}).items() if source else ():
            made.append((render.page_url(render.term_path(vocab, term_id)), render.term_path(vocab, term_id),
                         source, ("terms", i, "id")))
    hand: dict[str, dict[str, str]] = {}  # url -> lang -> docs/<lang>/page.md
    if root is not None:
        for lang in S.LANGS:
            # (in Path order, as before: of a.md and a/index.md, one address, the later one is named)
            for rel in sorted(hand_written_pages(root / "docs" / lang), key=lambda rel: rel.split("/")):
                hand.setdefault(render.page_url(rel), {})[lang] = f"docs/{lang}/{rel}"
    problems = []
    for url, page, source, path in made:
        if url in fixed:
            problems.append(_problem(source, path, f"its page {page} would take the place of {fixed[url]}; "
                                                   "choose another name"))
        elif url in hand:
            pages = ", ".join(hand[url].values())
            problems.append(_problem(source, path, f"its page {page} would take the address of the "
                                                   f"hand-written page {pages}; rename one of them"))
    return problems


def without_empty(value: Any) -> Any:
    """The data as validation read it: a field left empty (`themes:`, `regions: {}`, `url: ''`) is a
    missing field, so the pages must not see it either (they would iterate over None or a mapping)."""
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


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
    """Every problem of root's records, language registry and interface strings, all at once. A
    broken registry is reported alone: which languages a record may have depends on it."""
    from . import ui_strings
    problems = ui_strings.check(root)
    if any(p.file.endswith("/languages.yml") for p in problems):
        return Catalogue(records={k: {} for k in S.KINDS}, problems=problems)
    cat = validate_tree(load_tree(root, root / CACHE), root)
    cat.problems += problems
    return cat
