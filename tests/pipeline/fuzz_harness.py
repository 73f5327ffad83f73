"""Structure-aware fuzzing of the records: mutations of the real files in data/ and values generated
from schema.py, run through load -> validate -> render, with what must hold for each case (issue 8).

Used by tests/pipeline/test_fuzz.py (a few hundred cases in the suite) and benchmarks/fuzz.py (10,000
with counts). Every hostile payload carries a marker; in the rendered Markdown, converted with the
extensions listed in mkdocs.yml, the marker may appear as text, in a heading id, in a data-*
attribute or in an http(s) link that came from a URL field, but never as a tag, an attribute name,
another attribute's value, a comment or script/style content.
"""
from __future__ import annotations

import copy
import html.parser
import re
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import yaml
from hypothesis import strategies as st

from portal import paths as page_paths
from portal import render
from portal.model import schema as S
from portal.model.load import LoadedTree, load_tree, parse_text
from portal.model.validate import Catalogue, validate_tree
from portal.render.pages import all_pages
from portal_testing import ROOT

MARK = "zqxmark"  # in record text; lowercase letters so it survives escaping and heading ids
URL_MARK = "zqxurl"  # in URL fields, where an http(s) link may legitimately carry it
# A relative link to another generated page: folders and a slug or term id (lowercase letters,
# digits, hyphens: what validation lets through), as the renderer writes them.
SITE_LINK = re.compile(r"(\.\./)*([a-z0-9-]+/)*[a-z0-9-]+(\.md|/)?(#[a-z0-9-]*)?")

# Hostile text: markup, Markdown and extension syntax, entities, invisible characters. Each holds
# MARK where it would land if the syntax came alive.
HOSTILE_TEXT = [
    f"<script>{MARK}</script>", f'"><img src=x onerror={MARK}>', f"<{MARK}>", f"<b title={MARK}>x</b>",
    f"<a href=\"javascript:{MARK}\">x</a>", f"x\" onmouseover=\"{MARK}", f"' onfocus='{MARK}",
    f"javascript:{MARK}", f"!!! {MARK} \"t\"\n\n    body", f"??? {MARK} \"t\"\n\n    body",
    f"text\n{{: .{MARK} }}", f"# h {{: .{MARK} }}", f"para {{ .{MARK} }}", f'--8<-- "{MARK}.md"',
    f"--8<-- \"/etc/passwd\" {MARK}", f"[x](javascript:{MARK})", f"[x](https://{MARK}.example/)",
    f"![x](https://{MARK}.example/i.png)", f"<https://{MARK}.example/>", f"<!-- {MARK}", f"{MARK} -->",
    f"&lt;{MARK}&gt;", f"&#60;script&#62;{MARK}", f"\u202e{MARK}", f"{MARK}\u200b\u200d", f"<style>{MARK}</style>",
    f'<div markdown="1">{MARK}</div>', f"| {MARK} | x |\n|---|---|", f"1. {MARK}\n2. x", f"    {MARK} code",
    f"[{MARK}]: https://x.example/", f"{{#{MARK}}}", f"*{MARK}* _{MARK}_ `{MARK}`", f"\\<{MARK}\\>",
    f"<svg/onload={MARK}>", f"<iframe src=//{MARK}>", f"{MARK}\n\n<details>x</details>",
    f"x\n---\n{MARK}: 1", f"{MARK}\r\nx", f"{MARK}\u2028x", f"{MARK}\x00", f"{MARK}\x1b[31m",
    f"{{{{ {MARK} }}}}", f"{{% {MARK} %}}", f"<![CDATA[{MARK}]]>", f"<?php {MARK} ?>",
]
HOSTILE_URLS = [
    f"https://{URL_MARK}.example/", f'https://example.org/{URL_MARK}"onmouseover="x',
    f"javascript:{URL_MARK}", f"https://example.org/><script>{URL_MARK}</script>",
    f"https://example.org/{URL_MARK})", f"https://example.org/{URL_MARK} x", f"https://u:p@{URL_MARK}.example/",
    f"https://example.org/{URL_MARK}'onload='x", f"data:text/html,{URL_MARK}", f"https://example.org/<{URL_MARK}>",
    f"https://example.org/{URL_MARK}\n[x](javascript:y)", f"//{URL_MARK}.example/",
]
# Raw YAML that replaces a value as written (no quoting): each is a different reading of a scalar.
RAW_TOKENS = ["010", "0x1F", "1_000", "1e3", ".inf", ".nan", "-.inf", "yes", "no", "on", "off", "~",
              "null", "true", "2019-13-45", "0000-01-01", "9999-12-31", "2019-02-29", "1899", "-1", "0",
              "18", "99999999999999999999999", "9" * 5000, "!!int abc", "!!python/object/apply:os.system [x]",
              "!foo bar", "!!binary aGk=", "!!timestamp 2019-01-01", "!!set {a, b}", "!!omap [a: 1]",
              "&a x", "*a", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[x", "{a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: x",
              "? [a]\n  : b", "{1: x}", "{~: x}", "|\n    a\n    b", ">-\n    a\n\n    b", "'a\\nb'",
              '"\\u2028"', '"\\0"', '"\\ud800"', '"\\x85"', "\t", "@x", "`x", "%x", "- [a]", "[]", "{}", "''"]
RAW_LINES = ["%YAML 1.1", "---", "...", "&a", "? x", "- x", "\tx: 1", "x: !!python/name:os.system",
             "<<: {a: 1}", "\ufeffx: 1", "x: \x07", "x: \u202ey"]


@dataclass
class Case:
    path: str  # data/…/file.yml
    text: str
    what: str  # how it was made, for reports


@dataclass
class Outcome:
    kind: str  # "accepted", "refused", "crash"
    problems: list[str] = field(default_factory=list)  # broken contracts (empty when all holds)
    crash: str = ""  # a signature: exception type and the innermost portal frame


class Harness:
    """The real data loaded once; each case replaces one file and runs the rest of the pipeline."""

    def __init__(self, root: Path = ROOT):
        self.root = root
        self.tree = load_tree(root)
        self.files = {f.path: f for f in self.tree.files if f.problem is None}
        base = validate_tree(self.tree)
        assert not base.problems, [str(p) for p in base.problems[:5]]
        self.slugs = {kind: sorted(recs) for kind, recs in base.records.items()}
        self.vocab_ids = {name: list(terms) for name, terms in base.vocab.items()}
        self._snippets = tempfile.TemporaryDirectory(prefix="fuzz-snippets-")
        # A snippet include that came alive would pull in this file: its tag is live markup.
        Path(self._snippets.name, f"{MARK}.md").write_text(f"<{MARK}snippet>\n")
        self.md = _markdown(root, self._snippets.name)

    def paths(self) -> list[str]:
        return sorted(self.files)

    def run(self, case: Case) -> Outcome:
        try:
            return self._run(case)
        except Exception as exc:  # the contract under test: nothing may escape
            return Outcome("crash", [f"uncaught {type(exc).__name__}: {exc}"[:300]], signature(exc))

    def _run(self, case: Case) -> Outcome:
        loaded = parse_text(case.text, case.path)
        files = [loaded if f.path == case.path else f for f in self.tree.files]
        cat = validate_tree(LoadedTree(files))
        if cat.problems:
            broken = [f"refusal without file:line:col and message: {p!r}" for p in cat.problems
                      if not (p.file.startswith("data/") and p.line >= 1 and p.col >= 1 and p.message)]
            return Outcome("refused", broken)
        site = render.Site(_pruned(cat, case.path), self.root)
        # The templates are the same for every case: share the compiled ones (render.Site compiles
        # them again for each new Site, which would take most of the time of a case).
        if getattr(self, "_env", None) is not None and hasattr(site, "env"):
            site.env = self._env
        else:
            self._env = getattr(site, "env", None)
        pages = all_pages(site)
        return Outcome("accepted", self.check_pages(case, cat, pages))

    def check_pages(self, case: Case, cat: Catalogue, pages: list[render.Page]) -> list[str]:
        broken = []
        folder, name = case.path.split("/")[1:]
        kind = next((k for k in S.KINDS.values() if k.folder == folder), None)
        if kind:
            paths = {p.path for p in pages}
            stem = name.rsplit(".", 1)[0]
            broken += [f"no page {lang}/{page_paths.record_path(kind.name, stem)}" for lang in S.LANGS
                       if f"{lang}/{page_paths.record_path(kind.name, stem)}" not in paths]
        for page in pages:
            if MARK not in page.text and URL_MARK not in page.text:
                continue
            if not page.path.endswith(".md"):
                continue
            front, body = split_front_matter(page.text)
            try:
                if front is not None and not isinstance(yaml.safe_load(front), dict):
                    broken.append(f"{page.path}: front matter is not a mapping")
            except yaml.YAMLError as exc:
                broken.append(f"{page.path}: front matter does not parse: {exc}"[:200])
            self.md.reset()
            try:
                converted = self.md.convert(body)
            except Exception as exc:  # e.g. a snippet include that came alive and found no file
                broken.append(f"{page.path}: Markdown conversion failed: {type(exc).__name__}: {exc}"[:200])
                continue
            broken += [f"{page.path}: {finding}" for finding in live_markup(converted)]
        return broken


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter or None, Markdown body)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[4:end], text[end + 5:]
    return None, text


def _markdown(root: Path, snippets: str) -> markdown.Markdown:
    """Python-Markdown with the extensions of mkdocs.yml (read from it, as the build does)."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    names, configs = [], {}
    for ext in config["markdown_extensions"]:
        name, conf = next(iter(ext.items())) if isinstance(ext, dict) else (ext, {})
        conf = dict(conf or {})
        if name == "pymdownx.snippets":
            conf["base_path"] = [snippets]
        names.append(name)
        configs[name] = conf
    return markdown.Markdown(extensions=names, extension_configs=configs)


def _pruned(cat: Catalogue, changed: str) -> Catalogue:
    """The changed file with what its pages need: every record it names (and what those name), and the
    vocabulary terms they use. Rendering the whole site for every case would take ten times longer;
    pages of records that do not touch the changed file are the same in every case."""
    by_path = {rec.path: (kind, slug) for kind, recs in cat.records.items() for slug, rec in recs.items()}
    all_slugs = {slug for recs in cat.records.values() for slug in recs}
    keep = {by_path[changed]} if changed in by_path else set()
    todo = list(keep)
    documents = cat.vocab.get("documents", {})
    while todo:
        kind, slug = todo.pop()
        values = list(scalars(cat.records[kind][slug].data))
        # A source document may name its publisher's record (publisher_organization): keep it too.
        values += [v for d in values if isinstance(d, str) and d in documents for v in scalars(documents[d])]
        for value in values:
            if isinstance(value, str) and value in all_slugs:
                for other_kind, recs in cat.records.items():
                    if value in recs and (other_kind, value) not in keep:
                        keep.add((other_kind, value))
                        todo.append((other_kind, value))
    records = {kind: {} for kind in cat.records}
    for kind, slug in sorted(keep):
        records[kind][slug] = cat.records[kind][slug]
    used = {v for kind, slug in keep for v in scalars(cat.records[kind][slug].data)}
    vocab: dict[str, dict] = {}
    changed_vocab = next((name for name, path in cat.vocab_files.items() if path == changed), None)
    for _ in range(2):  # terms name terms of other vocabularies (a region its country)
        # (the notices the pages show by id are used by the code, not named by a record)
        vocab = {name: {t: term for t, term in terms.items()
                        if name == changed_vocab or t in used or name == "notices" and t in S.NOTICES}
                 for name, terms in cat.vocab.items()}
        used |= {v for terms in vocab.values() for term in terms.values() for v in scalars(term)}
    return Catalogue(vocab=vocab, vocab_files=dict(cat.vocab_files), records=records)


def scalars(value: Any):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            yield item


class _Tokens(html.parser.HTMLParser):
    """Start tags, attributes, comments and raw-text content that carry a marker."""

    SAFE_FOR_TEXT = {"id"}  # heading ids are made from heading text

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.raw: str | None = None

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        if MARK in tag or URL_MARK in tag:
            self.findings.append(f"tag <{tag}> from record text")
        outside_quotes = re.sub(r"\"[^\"]*\"|'[^']*'", "", raw)
        if (MARK in outside_quotes or URL_MARK in outside_quotes) and MARK not in tag and URL_MARK not in tag:
            self.findings.append(f"unquoted attribute from record text in {raw[:120]!r}")
        for name, value in attrs:
            if MARK in name or URL_MARK in name:
                self.findings.append(f"attribute name {name!r} from record text in <{tag}>")
            value = value or ""
            if MARK not in value and URL_MARK not in value:
                continue
            if name.startswith("data-"):
                continue  # our own escaped JSON and ids for the catalogue filter
            if name in self.SAFE_FOR_TEXT:
                continue
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name == "href" and squeezed.startswith("#"):
                continue  # a heading permalink
            if name == "href" and SITE_LINK.fullmatch(squeezed):
                continue  # a link to another page by its slug or term id: both validated slugs
            if name == "href" and URL_MARK in value and MARK not in value \
                    and squeezed.startswith(("https://", "http://")):
                continue  # a link from a URL field, which validation checked as a whole
            self.findings.append(f"attribute {name}={value[:80]!r} in <{tag}> from record text")
        if tag in ("script", "style"):
            self.raw = tag

    def handle_endtag(self, tag):
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data):
        if self.raw and (MARK in data or URL_MARK in data):
            self.findings.append(f"<{self.raw}> content from record text")

    def handle_comment(self, data):
        if MARK in data or URL_MARK in data:
            self.findings.append("an HTML comment opened by record text (the page after it is hidden)")


def live_markup(html_text: str) -> list[str]:
    tokens = _Tokens()
    tokens.feed(html_text)
    tokens.close()
    return tokens.findings


def signature(exc: BaseException) -> str:
    """Exception type and the innermost frame in scripts/portal (or the innermost frame at all)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "scripts/portal" in f.filename.replace("\\", "/")] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno} in {ours[-1].name}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

def text_values() -> st.SearchStrategy[str]:
    plain = st.one_of(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf")), max_size=40),
                      st.text(st.characters(blacklist_categories=("Cs",)), max_size=10))  # controls too
    return st.one_of(st.sampled_from(HOSTILE_TEXT),
                     st.builds(lambda a, h, b: a + h + b, plain, st.sampled_from(HOSTILE_TEXT), plain),
                     plain.map(lambda t: t + MARK))


def schema_value(t: S.Type, harness: Harness, depth: int = 0) -> st.SearchStrategy:
    """A value for a field of type t: mostly what the schema allows (so that it gets rendered), often
    with hostile text, sometimes a wrong type."""
    wrong = st.one_of(st.none(), st.integers(-10**20, 10**20), st.just([]), st.just({}), text_values())
    if isinstance(t, S.Text):
        langs = st.dictionaries(st.sampled_from(S.LANGS), text_values(), min_size=1)
        return st.one_of(langs.map(lambda d: {"en": MARK + " x", **d}), langs, wrong)
    if isinstance(t, S.Url):
        return st.one_of(st.sampled_from(HOSTILE_URLS), wrong)
    if isinstance(t, S.Slug):
        return st.one_of(st.from_regex(S.SLUG_RE, fullmatch=True).filter(lambda s: len(s) < 60), wrong)
    if isinstance(t, S.String):
        return st.one_of(text_values(), st.integers(0, 10**6), wrong)
    if isinstance(t, S.Date):
        return st.one_of(st.dates().map(lambda d: d.isoformat()), st.integers(0, 10000),
                         st.from_regex(S.DATE_RE, fullmatch=True), wrong)
    if isinstance(t, S.VocabRef):
        ids = harness.vocab_ids.get(t.vocab) or ["x"]
        return st.one_of(st.sampled_from(ids), wrong)
    if isinstance(t, S.SdgNumber):
        return st.one_of(st.integers(-2, 20), wrong)
    if isinstance(t, S.RecordRef):
        return st.one_of(st.sampled_from(harness.slugs.get(t.kind) or ["x"]), wrong)
    if isinstance(t, S.ListOf):
        if depth > 3:
            return st.just([])
        return st.one_of(st.lists(schema_value(t.item, harness, depth + 1), max_size=4), wrong)
    if isinstance(t, S.Object):
        if depth > 3:
            return st.just({})
        return st.fixed_dictionaries({}, optional={name: schema_value(f.type, harness, depth + 1)
                                                   for name, f in t.fields.items()})
    return wrong


def _schema_of(path: str) -> S.Object | None:
    folder, name = path.split("/")[1:]
    if folder == "vocabularies":
        stem = name.rsplit(".", 1)[0]
        return S.vocabulary_schema(stem) if stem in S.VOCABULARIES else None
    return next((k.schema for k in S.KINDS.values() if k.folder == folder), None)


def _containers(data: Any, path: tuple = ()):
    """(path, container) of every mapping and list, for choosing where to mutate."""
    stack = [(path, data)]
    while stack:
        p, item = stack.pop()
        if isinstance(item, (dict, list)):
            yield p, item
            children = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend((p + (k,), v) for k, v in children)


def _field_type(obj: S.Object | None, path: tuple) -> S.Type | None:
    t: S.Type | None = obj
    for part in path:
        if isinstance(t, S.Object) and isinstance(part, str) and part in t.fields:
            t = t.fields[part].type
        elif isinstance(t, S.ListOf) and isinstance(part, int):
            t = t.item
        else:
            return None
    return t


RAW = "\x01RAW\x01"  # replaced by a raw YAML token after dumping
OPERATIONS = ["text"] * 5 + ["schema"] * 3 + ["hostile", "delete", "duplicate", "retype", "key", "raw"]


def _text_leaves(data: Any, obj: S.Object | None) -> list[tuple]:
    """Paths of every reader-facing text and one-line string of a file, by its schema."""
    out = []
    for path, container in _containers(data):
        for key in (container if isinstance(container, dict) else range(len(container))):
            t = _field_type(obj, path + (key,))
            parent = _field_type(obj, path)
            if (isinstance(parent, S.Text) and key in S.LANGS) or "covers" not in path and \
                    (isinstance(t, S.String) and not isinstance(t, (S.Slug, S.Url)) and not t.pattern):
                out.append(path + (key,))
    return sorted(out, key=repr)


@st.composite
def cases(draw, harness: Harness) -> Case:
    path = draw(st.sampled_from(harness.paths()))
    data = copy.deepcopy(harness.files[path].data)
    obj = _schema_of(path)
    what = []
    raw_token = None
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        spots = sorted(_containers(data), key=lambda item: repr(item[0]))
        spot, container = draw(st.sampled_from(spots))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        op = draw(st.sampled_from(OPERATIONS))
        if op == "text":  # hostile text where text belongs, so that most of these cases get rendered
            leaves = _text_leaves(data, obj)
            if leaves:
                *parent, key = draw(st.sampled_from(leaves))
                container = data
                for part in parent:
                    container = container[part]
                container[key] = draw(text_values())
                what.append(f"text at {tuple(parent) + (key,)}")
                continue
            op = "hostile"
        if not keys and op != "key":
            op = "key"
        key = draw(st.sampled_from(keys)) if keys else None
        if op == "schema":
            t = _field_type(obj, spot + (key,)) or _field_type(obj, spot)
            if t is not None and key is not None:
                container[key] = draw(schema_value(t, harness))
            else:
                op = "hostile"
        if op == "hostile":
            container[key] = draw(text_values() if "url" not in str(key) and "website" not in str(key)
                                  else st.sampled_from(HOSTILE_URLS))
        elif op == "delete":
            del container[key]
        elif op == "duplicate":
            if isinstance(container, list):
                container.append(copy.deepcopy(container[key]))
            else:
                container[key + "_copy" if draw(st.booleans()) else key.upper()] = copy.deepcopy(container[key])
        elif op == "retype":
            value = container[key]
            container[key] = ([value] if not isinstance(value, list) else
                              (value[0] if value and draw(st.booleans()) else {"en": repr(value)[:50]}))
        elif op == "key":
            new_key = draw(st.one_of(text_values(), st.sampled_from(list(S.LANGS) + list(obj.fields if obj else []))))
            if isinstance(container, dict):
                container[new_key] = draw(text_values())
            else:
                container.append({new_key: MARK})
        elif op == "raw" and raw_token is None:
            raw_token = draw(st.sampled_from(RAW_TOKENS))
            container[key] = RAW
        what.append(f"{op} at {spot + ((key,) if key is not None else ())}")
    text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                     sort_keys=False, width=1000)
    if raw_token is not None:
        text = re.sub(r"'?\\x01RAW\\x01'?|\"\\\\x01RAW\\\\x01\"|\"?\x01RAW\x01\"?", lambda _: raw_token, text)
        what.append(f"raw {raw_token[:30]!r}")
    if draw(st.integers(0, 9)) == 0:  # now and then, a line of raw YAML syntax somewhere
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines)))
        line = draw(st.sampled_from(RAW_LINES))
        lines.insert(at, line)
        text = "\n".join(lines)
        what.append(f"line {at + 1} {line!r}")
    return Case(path, text, "; ".join(what))
