"""One term per concept: warn wherever a record or a hand-written page uses a variant the portal rejects.

The rules live in data/vocabularies/terminology.yml (schema below; its errors fail `make validate`).
The warnings do not fail validation: a text with a rejected variant is still publishable, but an editor
should fix it (the test suite asserts the real data has none).

Matching rule (documented for editors in terminology.yml). A variant is written as plain words in their
dictionary form. Each word is reduced to a stem and matches any word of the text that is the stem plus
an inflectional ending of its language; the words of a variant must follow each other in the text.
- ru: the stem is the word without its case ending (экономика -> экономик-); the text word matches when
  the rest is a Russian noun or adjective ending (экономике, экономикой; замкнутого, замкнутому).
- fi: the stem is the word without a final a/ä/e/i (the vowels that change in inflection; o/ö/u/y stay)
  and, for a genitive, without its final -n; the rest may be case, plural, possessive and clitic endings
  (päätoteuttaja -> päätoteuttajana, päätoteuttajia; kysely -> kyselyyn, kyselyjä). Consonant gradation
  changes the stem: list the genitive as well (lokalisointi, lokalisoinnin).
- en: the word itself, or with -s/-es.
A compound is a different word: "kysely" does not match "kyselylomake" (questionnaire), "опрос" does not
match "опросник". Case and ё/е do not matter.

Names (`kind: name`): the same rules cover the names of programmes, organizations, platforms and people,
so that a rejected spelling ("Интеррег", "Энвиро") or word order ("Юго-Восточная Финляндия – Россия") is
reported with the accepted form. Punctuation written between the words of a variant must stand between
them in the text as well (any dash matches any dash): the variant "Юго-Восточная Финляндия – Россия" finds
the programme in the wrong order, but not the list "Юго-Восточная Финляндия, Россия". In a name, words
written without punctuation between them must stand without punctuation in the text too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import schema as S
from .errors import Problem, field_path
from .load import Loaded, load_file, load_tree
from .parse_cache import CACHE

NAME = "terminology"  # data/vocabularies/terminology.yml; not a vocabulary of record values
PATH = f"data/vocabularies/{NAME}.yml"

# ---------------------------------------------------------------------------------------------
# The file's schema: errors here are validation errors like any record's.
# ---------------------------------------------------------------------------------------------

VARIANT = S.String("a rejected word or phrase, plain words in their dictionary form", max_len=120)

CONCEPT = S.Object({
    "id": S.Field(S.Slug(), True, "the concept's id, named in every warning"),
    "preferred": S.Field(S.Text(), True, "the portal's term in each language"),
    "rejected": S.Field(S.Object({lang: S.Field(S.ListOf(VARIANT), False,
                                                f"variants not to use in {lang} texts")
                                  for lang in S.LANGS}, "rejected variants per language"),
                        True, "variants not to use, per language: {ru: [...], fi: [...]}"),
    "note": S.Field(S.String("a note for editors", max_len=1000), True,
                    "why this term, and when a variant may still be right"),
    "kind": S.Field(S.String("term or name", re.compile(r"^(term|name)$")), False,
                    "term (the default): a word the portal uses; name: the accepted spelling and word order "
                    "of a programme, organization, platform or person, as the organization itself writes it"),
    "glossary": S.Field(S.Slug(), False,
                        "the glossary heading id ({#id}) whose entry shows the term and its variants"),
    "allowed_in": S.Field(S.ListOf(S.String("a file path such as docs/ru/glossary.md",
                                            re.compile(r"^(docs|data)/[A-Za-z0-9._/-]+$"))), False,
                          "files where a rejected variant may stand (the glossary naming the synonym)"),
}, "a terminology concept")

SCHEMA = S.Object({"terms": S.Field(S.ListOf(CONCEPT, min_items=1), True,
                                    "one entry per concept")}, "the terminology file")


def check_file(loaded: Loaded) -> list[Problem]:
    """Errors in terminology.yml itself: schema, duplicate ids, a variant that is the preferred term."""
    def problem(path: tuple, message: str) -> Problem:
        line, col = loaded.positions.get(path) or loaded.key_where(path)
        return Problem(loaded.path, line, col, field_path(path), message)

    out = [problem(path, message) for path, message in SCHEMA.check(loaded.data, (), S.Context())]
    if out:
        return out
    seen: dict[str, int] = {}
    owner: dict[tuple[str, tuple], str] = {}  # (lang, stems) -> concept id
    for i, term in enumerate(loaded.data["terms"]):
        if term["id"] in seen:
            out.append(problem(("terms", i, "id"), f"duplicate id '{term['id']}'; ids must be unique"))
        seen.setdefault(term["id"], i)
        for lang, variants in (term["rejected"] or {}).items():
            preferred = (term["preferred"] or {}).get(lang)
            if variants and not (isinstance(preferred, str) and preferred.strip()):
                out.append(problem(("terms", i, "preferred"),
                                   f"rejected {lang} variants need the preferred {lang} term; add `{lang}: …`"))
            for j, variant in enumerate(variants or []):
                where = ("terms", i, "rejected", lang, j)
                words = tokens(variant)
                if not words:
                    out.append(problem(where, f"'{variant}' has no words; write the rejected word or phrase"))
                    continue
                if isinstance(preferred, str) and find(preferred, [Rule(term["id"], lang, variant,
                                                                         preferred)]):
                    out.append(problem(where, f"'{variant}' matches the preferred term '{preferred}' itself; "
                                              "a variant must differ from the portal's term"))
                key = (lang, tuple(stem(w, lang) for _, _, w in words))
                if key in owner and owner[key] != term["id"]:
                    out.append(problem(where, f"'{variant}' is already rejected by '{owner[key]}'; "
                                              "keep it in one concept"))
                owner.setdefault(key, term["id"])
    return out


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------

# A word: letters and digits, hyphenated parts kept together ("B2B-встречи", "cleantech-klusteri").
WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

RU_ENDINGS = frozenset(
    "а я о е ы и у ю ь й ой ей ом ем ам ям ах ях ами ями ов ев ий ый ая яя ое ее ые ие ого его ому ему "
    "ым им ых их ыми ими ую юю ою ею ью ия ию ии ием иям иях иями".split()) | {""}
_RU_LONGEST_FIRST = sorted(RU_ENDINGS, key=len, reverse=True)
_V = "aeiouyäö"
FI_REST = re.compile(
    rf"[{_V}]{{0,2}}[ijt]?[{_V}]{{0,2}}"  # stem vowel, plural marker, vowel before a case ending
    r"(?:n|t|ta|tä|na|nä|ksi|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ne|den|tten|hin|seen|in)?"  # case
    r"(?:ni|si|mme|nne|nsa|nsä|an|än|en)?"  # possessive suffix
    r"(?:kin|kaan|kään|ko|kö|han|hän|pa|pä)?")  # clitic
EN_ENDINGS = frozenset({"", "s", "es", "'s"})


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def stem(word: str, lang: str) -> str:
    """The part of a dictionary form that every inflected form starts with (see the module docstring)."""
    w = _norm(word)
    if lang == "ru":
        for ending in _RU_LONGEST_FIRST:
            if ending and w.endswith(ending) and len(w) - len(ending) >= 3:
                return w[: -len(ending)]
        return w
    if lang == "fi":
        if len(w) > 4 and w.endswith("n") and w[-2] in _V:
            w = w[:-1]  # a genitive given for consonant gradation: lokalisoinnin -> lokalisoinni
        if len(w) > 4 and w[-1] in "aäei":
            w = w[:-1]
        return w
    return w


def word_matches(text_word: str, variant_word: str, lang: str) -> bool:
    w, base = _norm(text_word), stem(variant_word, lang)
    if not w.startswith(base):
        return False
    rest = w[len(base):]
    if lang == "ru":
        return rest in RU_ENDINGS
    if lang == "fi":
        return FI_REST.fullmatch(rest) is not None
    return rest in EN_ENDINGS or w == _norm(variant_word)


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


@dataclass(frozen=True)
class Rule:
    concept: str
    lang: str
    variant: str
    preferred: str
    allowed_in: tuple[str, ...] = ()
    kind: str = "term"  # "name": the message speaks of the accepted name, not of the portal's term


@dataclass(frozen=True)
class Hit:
    start: int  # offsets in the text
    end: int
    rule: Rule

    def quoted(self, text: str) -> str:
        return " ".join(text[self.start:self.end].split())


DASHES = str.maketrans({"-": "–", "—": "–", "‒": "–", "―": "–"})


def _gap(text: str) -> str:
    """The punctuation between two words, without spaces; every dash is the same dash."""
    return "".join(text.split()).translate(DASHES)


def find(text: str, rules: list[Rule]) -> list[Hit]:
    """Every place where one of the rules' variants stands in text (all rules of one language)."""
    words = tokens(text)
    hits = []
    for rule in rules:
        parts = tokens(rule.variant)
        want = [w for _, _, w in parts]
        # Punctuation a variant has between two of its words must be in the text there too (word order
        # of a name: "Финляндия – Россия" is not "Финляндия, Россия"). For a term a blank gap allows any
        # punctuation; for a name it allows none (a quoted title «Стратегическое планирование…» after
        # "форум" is not the name "форум стратегического планирования").
        strict = rule.kind == "name"
        gaps = [_gap(rule.variant[parts[k][1]:parts[k + 1][0]]) for k in range(len(parts) - 1)]
        for i in range(len(words) - len(want) + 1):
            if all(word_matches(words[i + k][2], want[k], rule.lang) for k in range(len(want))) and all(
                    (not gap and not strict) or _gap(text[words[i + k][1]:words[i + k + 1][0]]) == gap
                    for k, gap in enumerate(gaps)):
                hits.append(Hit(words[i][0], words[i + len(want) - 1][1], rule))
    return sorted(hits, key=lambda h: (h.start, h.rule.concept))


def rules_from(data: dict) -> list[Rule]:
    out = []
    for term in data.get("terms", []):
        for lang, variants in (term.get("rejected") or {}).items():
            for variant in variants or []:
                out.append(Rule(term["id"], lang, variant, term["preferred"][lang],
                                tuple(term.get("allowed_in") or ()), term.get("kind") or "term"))
    return out


def message(hit: Hit, text: str) -> str:
    accepted = "the name is written" if hit.rule.kind == "name" else "the portal's term is"
    return (f"uses '{hit.quoted(text)}'; {accepted} '{hit.rule.preferred}' "
            f"({PATH}: {hit.rule.concept})")


# ---------------------------------------------------------------------------------------------
# Where the rules are applied: record texts and hand-written pages
# ---------------------------------------------------------------------------------------------

def warnings(root: Path) -> list[Problem]:
    """Every rejected variant in data/ and in the hand-written pages under docs/<lang>/.

    Nothing when terminology.yml is missing or has errors (validation reports those)."""
    term_file = root / PATH
    if not term_file.exists():
        return []
    loaded = load_file(term_file, root)
    if loaded.problem or check_file(loaded):
        return []
    rules = rules_from(loaded.data)
    out: list[Problem] = []
    by_lang = {lang: [r for r in rules if r.lang == lang] for lang in S.LANGS}
    for record in load_tree(root, root / CACHE).files:
        if record.problem or record.path == PATH:
            continue
        out += record_warnings(record, (root / record.path).read_text(encoding="utf-8"), by_lang)
    for lang in S.LANGS:
        folder = root / "docs" / lang
        for page in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            rel = page.relative_to(root).as_posix()
            if "/.generated/" in f"/{rel}" or _is_generated(page):
                continue
            out += page_warnings(rel, page.read_text(encoding="utf-8"), by_lang[lang])
    return sorted(set(out))


def _allowed(rule: Rule, path: str) -> bool:
    return path in rule.allowed_in


def record_warnings(loaded: Loaded, raw: str, by_lang: dict[str, list[Rule]]) -> list[Problem]:
    out = []
    for path, lang, text in _texts(loaded.data, ()):
        rules = [r for r in by_lang.get(lang, []) if not _allowed(r, loaded.path)]
        for hit in find(text, rules):
            line, col = _locate(loaded, raw, path, text, hit)
            out.append(Problem(loaded.path, line, col, field_path(path), message(hit, text)))
    return out


def _texts(value, path: tuple):
    """(path, language, text) of every reader-facing text: a mapping of languages to strings."""
    if isinstance(value, dict):
        if value and set(value) <= set(S.LANGS) and all(isinstance(v, str) or v is None
                                                          for v in value.values()):
            for lang, text in value.items():
                if isinstance(text, str):
                    yield path + (lang,), lang, text
            return
        for key, item in value.items():
            yield from _texts(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))


def _locate(loaded: Loaded, raw: str, path: tuple, text: str, hit: Hit) -> tuple[int, int]:
    """Line and column of the hit's first word in the file; the value's own position if not found.

    The loader knows where each value starts; inside a long or folded text the word is found again in
    the raw file (the n-th occurrence after the value's start for the n-th in the parsed text)."""
    line, col = loaded.where(path)
    lines = raw.splitlines(keepends=True)
    start = sum(len(x) for x in lines[: line - 1]) + col - 1
    first = WORD_RE.match(text, hit.start).group()  # a hit starts at a word
    nth = text.count(first, 0, hit.start)
    at = start - 1
    for _ in range(nth + 1):
        at = raw.find(first, at + 1)
        if at < 0:
            return line, col
    return _line_col(raw, at)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


FENCE_RE = re.compile(r"^\s*(```|~~~)")


def page_warnings(rel: str, text: str, rules: list[Rule]) -> list[Problem]:
    """Hand-written Markdown: prose, headings and the front matter's title; code blocks are skipped."""
    rules = [r for r in rules if not _allowed(r, rel)]
    lines = text.splitlines(keepends=True)
    kept, fields, in_code, in_front = [], [], False, bool(lines) and lines[0].strip() == "---"
    for i, line in enumerate(lines):
        field = "text"
        if in_front:
            if i > 0 and line.strip() == "---":
                in_front = False
            field = "title" if line.startswith("title:") else "front matter"
            keep = field == "title"
        elif FENCE_RE.match(line):
            in_code, keep = not in_code, False
        else:
            keep = not in_code
        # Blanked lines keep every offset, so line and column stay right.
        kept.append(line if keep else re.sub(r"[^\n]", " ", line))
        fields.append(field)
    prose = "".join(kept)
    out = []
    for hit in find(prose, rules):
        line, col = _line_col(prose, hit.start)
        out.append(Problem(rel, line, col, fields[line - 1], message(hit, prose)))
    return out


def _is_generated(page: Path) -> bool:
    from ..write import is_generated  # write.py knows the "generated from" mark
    return is_generated(page)


def report(root: Path, stream) -> int:
    """Print the warnings for `portal validate`; they never change its exit code."""
    found = warnings(root)
    from .errors import annotating
    annotate = annotating()  # only where the workflow asks for them (errors.ANNOTATIONS)
    for problem in found:
        print(f"WARNING {problem}", file=stream)
        if annotate:  # shown on the line of the pull request's diff, as a warning
            print(problem.github_annotation().replace("::error ", "::warning ", 1), file=stream)
    if found:
        files = len({p.file for p in found})
        print(f"\n{len(found)} terminology warning{'s' if len(found) != 1 else ''} in {files} "
              f"file{'s' if files != 1 else ''} (warnings do not fail validation; see {PATH}).",
              file=stream)
    return len(found)
