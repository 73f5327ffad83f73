"""`make new KIND=project SLUG=my-project`: write a commented template for a new record.

Everything in the template comes from schema.py (fields, their one-line help, which are required)
and from data/vocabularies/ (the allowed values), so it cannot drift from what validation checks.

Layout of a template:
- required fields are live YAML with empty values (`title: {en: "", ru: "", fi: ""}` in block
  form), so validation names each one until it is filled in;
- optional fields are commented out with `#` directly before the YAML (`#acronym: ""`); an editor
  removes that `#` to use one. They are commented out, not left empty, so that the editor's YAML
  language server shows no error on a field nobody has touched;
- prose comments start with `# ` (hash and space) and never with two spaces, so a commented-out
  field line (`#` then a letter, or `#` then two spaces) is always told apart from help text.
"""
from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import yaml

from ..model import schema as S

ROOT = Path(__file__).resolve().parents[3]
WIDTH = 100  # wrap comment lines here
REQUIRED = "REQUIRED"

INTRO = """\
# A new {noun}: data/{folder}/{slug}.yml
#
# Fill in every field marked {required}; validation (`make validate`) names the ones still empty.
# Optional fields are switched off with a # directly before them: to use one, delete that # at the
# start of each of its lines (and fill it in), or leave it as it is. Delete what no source tells you.
# Text for readers has three languages: English (en) is required, Russian (ru) and Finnish (fi)
# may stay "" until someone translates them; the site then shows the English text with a notice.
# Text is plain text: no Markdown or HTML. Long text may use `en: >-` with the text on the lines below.
# Every fact needs a source under `sources:`. Never invent a date, budget, partner or quote.
"""


def _wrap(text: str, first: str = "# ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent="# ",
                         break_on_hyphens=False, break_long_words=False) or [first.rstrip()]


def load_vocab_ids(root: Path) -> dict[str, list[tuple[object, str]]]:
    """vocabulary name -> [(id, English label)] read from data/vocabularies/, in file order."""
    out: dict[str, list[tuple[object, str]]] = {}
    for name in S.VOCABULARIES:
        path = root / "data" / "vocabularies" / f"{name}.yml"
        terms = []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for term in data.get("terms") or []:
                if isinstance(term, dict) and "id" in term:
                    label = term.get("label")
                    en = label.get("en", "") if isinstance(label, dict) else ""
                    terms.append((term["id"], str(en or "")))
        except (OSError, yaml.YAMLError, AttributeError):
            pass  # validation reports a broken vocabulary; the template then lists no values
        out[name] = terms
    return out


def existing_slugs(root: Path, kind: str) -> list[str]:
    folder = root / "data" / S.KIND_FOLDERS[kind]
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


class Template:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.vocab = load_vocab_ids(root)

    # --- hints about allowed values ---------------------------------------------------------

    def allowed_items(self, t: S.Type) -> tuple[str, list[str]] | None:
        """(what, [values]) naming the allowed values of a field of type t; None when it is free."""
        if isinstance(t, S.ListOf):
            t = t.item
        if isinstance(t, S.VocabRef):
            terms = self.vocab.get(t.vocab, [])
            if not terms:
                return f"the ids in data/vocabularies/{t.vocab}.yml", []
            if t.vocab == "sdgs":  # bare numbers say nothing: show each goal's name too
                return "One of", [f"{i} ({label})" for i, label in terms]
            return "One of", [str(i) for i, _ in terms]
        if isinstance(t, S.RecordRef):
            slugs = existing_slugs(self.root, t.kind)
            what = f"The slug of a file in data/{S.KIND_FOLDERS[t.kind]}/"
            return (what + ", for example", slugs[:3]) if slugs else (what, [])
        return None

    def allowed(self, t: S.Type, field_name: str = "") -> list[str]:
        """Comment lines naming the allowed values; a value is never split across two lines."""
        found = self.allowed_items(t)
        if found is None:
            return []
        what, values = found
        if field_name:  # inside list items: "In each item, role: one of: …"
            what = f"In each item, {field_name}: {what[:1].lower()}{what[1:]}"
        lines, line = [], f"# {what}" + (":" if values else "")
        for n, value in enumerate(values):
            piece = f" {value}" + ("," if n < len(values) - 1 else "")
            if len(line) + len(piece) > WIDTH:
                lines.append(line)
                line = "# " + piece.lstrip()
            else:
                line += piece
        return lines + [line]

    # --- YAML for one value (without comments) ------------------------------------------------

    def value_lines(self, key: str, t: S.Type, indent: str, example: bool) -> list[str]:
        """YAML lines for `key: <empty value of type t>`."""
        if isinstance(t, S.Text):
            return [f"{indent}{key}:"] + [f'{indent}  {lang}: ""' for lang in S.LANGS]
        if isinstance(t, S.ListOf):
            item = t.item
            if isinstance(item, S.Text):
                return [f"{indent}{key}:", f'{indent}  - {S.LANGS[0]}: ""'] + \
                       [f'{indent}    {lang}: ""' for lang in S.LANGS[1:]]
            if isinstance(item, S.Object):
                return [f"{indent}{key}:"] + self.object_item_lines(item, indent + "  ")
            return [f"{indent}{key}: []"]
        if isinstance(t, (S.Date, S.VocabRef, S.RecordRef)) or not example:
            return [f"{indent}{key}:"]
        return [f'{indent}{key}: ""']

    def object_item_lines(self, obj: S.Object, indent: str) -> list[str]:
        """One list item of an object type: required keys first, optional ones commented out."""
        lines: list[str] = []
        ordered = sorted(obj.fields.items(), key=lambda kv: not kv[1].required)
        for n, (name, spec) in enumerate(ordered):
            for i, line in enumerate(self.value_lines(name, spec.type, "", example=True)):
                lead = "- " if n == 0 and i == 0 else "  "
                text = f"{indent}{lead}{line}"
                if not spec.required:
                    text = _comment_out(text)
                if i == 0:
                    text += f"  # {REQUIRED}. {spec.help}" if spec.required else f"  # {spec.help}"
                lines.append(text)
        return lines

    def item_hints(self, t: S.Type) -> list[str]:
        """Allowed values of the fields inside list items (partner roles, organization slugs …)."""
        if not (isinstance(t, S.ListOf) and isinstance(t.item, S.Object)):
            return []
        out: list[str] = []
        for name, spec in t.item.fields.items():
            out += self.allowed(spec.type, field_name=name)
        return out

    # --- the whole file -------------------------------------------------------------------------

    def render(self, kind: str, slug: str) -> str:
        k = S.KINDS[kind]
        out = [f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"]
        out += INTRO.format(noun=k.schema.noun.split(" ", 1)[1], folder=k.folder, slug=slug,
                            required=REQUIRED).rstrip("\n").split("\n")
        for name, spec in k.schema.fields.items():
            out.append("")
            out += _wrap(f"{REQUIRED}. {_sentence(spec.help)}" if spec.required else _sentence(spec.help))
            if name == "slug":
                out.append(f"slug: {slug}")
                continue
            if name == "sources":
                out += self.source_lines()
                continue
            out += self.allowed(spec.type) + self.item_hints(spec.type)
            lines = self.value_lines(name, spec.type, "", example=False)
            out += lines if spec.required else [_comment_out(line) for line in lines]
        return "\n".join(out) + "\n"

    def source_lines(self) -> list[str]:
        src = S.SOURCE.fields
        lines = [
            "sources:",
            f"  # {REQUIRED}: at least one. Either a document described in data/vocabularies/documents.yml ...",
            f'  - document:  # {src["document"].help}',
        ]
        lines += ["    " + line.lstrip() for line in self.allowed(src["document"].type)]
        lines += [
            f'    #section: ""  # {src["section"].help}',
            f"    # {_sentence(src['covers'].help)} Optional, for example: [title, summary]",
            "    #covers: []",
            "  # ... or a web page: its own title, its address and the day you read it (YYYY-MM-DD):",
            '  #- title: ""',
            '  #  url: ""',
            '  #  publisher: ""',
            "  #  retrieved:",
            "  #  covers: []",
        ]
        return lines


def _sentence(text: str) -> str:
    """'panel, conference, meeting …' -> 'Panel, conference, meeting …' (a full stop unless one ends it)."""
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "…", "?", "!")) else text + "."


def _comment_out(line: str) -> str:
    """'  en: ""' -> '#  en: ""': a hash directly before the YAML, nothing else changed.

    A line that is already commented out (an optional key inside an optional list) stays as it is,
    so one removal of '#' per line switches a whole block on."""
    return line if line.startswith("#") else "#" + line


COMMENTED_FIELD = re.compile(r"^(\s*)#(?=[a-z_]+:|  |- )")


def uncomment_all(text: str) -> str:
    """Switch every commented-out field on, as an editor who wants them all would (used in tests)."""
    return "\n".join(COMMENTED_FIELD.sub(r"\1", line) for line in text.split("\n"))


suggest_slug = S.suggest_slug


def write_new(kind: str, slug: str, root: Path = ROOT) -> Path:
    """Write data/<kinds>/<slug>.yml (create() without its report)."""
    return create(kind, slug, root)[0]


def create(kind: str, slug: str, root: Path = ROOT) -> tuple[Path, list[str]]:
    """Write data/<kinds>/<slug>.yml; raise ValueError with an editor-facing message on bad input.

    A slug that validation would refuse once the file exists (not a slug, `index` or another name
    whose page would take another page's place, a former slug of a merged record ...) is refused
    here with validation's own message, and nothing is written. Returns the path and the problems
    validation finds in the new file (its required fields, still empty)."""
    from ..model.validate import file_name_problem
    if kind not in S.KINDS:
        singular = {k.folder: k.name for k in S.KINDS.values()}.get(kind)
        hint = f"; did you mean '{singular}'?" if singular else S.closest(kind, S.KINDS)
        raise ValueError(f"unknown record kind '{kind}'{hint} Kinds: {', '.join(S.KINDS)}")
    if not slug:
        raise ValueError("give the new record's slug: make new KIND=project SLUG=my-project")
    rel = f"data/{S.KIND_FOLDERS[kind]}/{slug}.yml"
    if why := file_name_problem(slug):  # before any path is made of it: '../x' never reaches open()
        raise ValueError(f"{S.shown(rel, 120)}:1:1: {why} (nothing was written)")
    path = root / rel
    if path.exists():
        raise ValueError(f"{rel} already exists; edit it, or choose another slug (nothing was written)")
    text = Template(root).render(kind, slug)
    refused, empty = _as_validation_would_see(root, rel, text)
    if refused:
        raise ValueError("\n".join(refused) + "\n(nothing was written; choose another slug)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path, empty


def _as_validation_would_see(root: Path, rel: str, text: str) -> tuple[list[str], list[str]]:
    """Validate the tree with the new file in it, in memory. Returns the problems the slug causes
    (on the new file's name or `slug:`, or new problems of other files) and the other problems of
    the new file (the required fields a template leaves empty)."""
    from ..model.load import load_tree, parse_text
    from ..model.validate import validate_tree
    tree = load_tree(root)
    before = set(validate_tree(tree, root).problems)
    tree.files = sorted(tree.files + [parse_text(text, rel)], key=lambda loaded: loaded.path)
    after = sorted(set(validate_tree(tree, root).problems) - before)
    refused = [str(p) for p in after if p.file != rel or p.field in ("", "slug")]
    empty = [str(p) for p in after if p.file == rel and p.field not in ("", "slug")]
    return refused, empty


def run(kind: str, slug: str, root: Path = ROOT) -> int:
    """`portal new <kind> <slug>`: 0 written, 1 refused (the file exists, a bad slug), 2 no kind."""
    if not kind:
        print(f"usage: make new KIND=<{'|'.join(S.KINDS)}> SLUG=<slug>", file=sys.stderr)
        return 2
    try:
        path, problems = create(kind, slug, root)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    rel = path.relative_to(root).as_posix()
    print(f"Wrote {rel}. Fill in the fields marked {REQUIRED}, then run `make validate`.")
    if problems:
        print("Still to fill in:")
        for problem in problems:
            print(f"  {problem}")
    return 0
