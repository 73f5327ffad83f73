"""Turn a validated Catalogue into Markdown pages, one per record, catalogue and facet, per language.

Templates are files in scripts/templates/ (one per page kind, shared by the three languages);
interface words come from scripts/locales/<lang>.yml. Record text is plain text: it is escaped
here so that nothing an editor types becomes markup. The output is a list of Page objects; writing
them is write.py's job. Nothing here knows about MkDocs beyond producing Markdown with front matter.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

import jinja2
import yaml
from babel.dates import format_date, format_skeleton
from . import schema as S
from .escape import html, html_attr_json, md_inline, md_paragraphs, md_url, plain_inline
from .validate import Catalogue, Record

GENERATED_MARK = "generated from"  # every generated file names its source on its first lines
NEWEST_COUNT = 6
SEARCH_BOOST = 2.0  # a record or topic page (not its sections) ranks above lists and hand-written pages


class RenderError(Exception):
    """A record that passed validation could not be rendered: validation has a gap to close."""

    def __init__(self, source: str, page: str, cause: Exception):
        super().__init__(f"{source}: could not be turned into the page {page} "
                         f"({type(cause).__name__}: {cause}); validation should have refused it: "
                         "please report this with the record")
        self.source, self.page, self.cause = source, page, cause


@dataclass
class Page:
    path: str  # relative to docs/, e.g. "ru/projects/startup-connect.md"
    text: str


# ---------------------------------------------------------------------------------------------
# Locales
# ---------------------------------------------------------------------------------------------

def load_locales(folder: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for lang in S.LANGS:
        with open(folder / f"{lang}.yml", encoding="utf-8") as fh:
            out[lang] = yaml.safe_load(fh) or {}
    return out


class UI:
    """Interface strings of one language, falling back to English key by key."""

    def __init__(self, locales: dict[str, dict], lang: str):
        self.lang, self._own, self._en = lang, locales[lang], locales[S.SOURCE_LANG]

    def __getitem__(self, key: str) -> str:
        node_own, node_en = self._own, self._en
        for part in key.split("."):
            node_own = node_own.get(part) if isinstance(node_own, dict) else None
            node_en = node_en.get(part) if isinstance(node_en, dict) else None
        if node_own is not None:
            return node_own
        if node_en is None:
            raise KeyError(f"UI string '{key}' is missing from scripts/locales/en.yml")
        return node_en

    __call__ = __getitem__


# ---------------------------------------------------------------------------------------------
# Links between records, both ways
# ---------------------------------------------------------------------------------------------

@dataclass
class Links:
    """Reverse references, computed once for all languages."""

    org_projects: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    org_events: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    org_playbooks: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    org_members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    org_units: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    project_children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    project_events: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    project_playbooks: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    event_children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    facet: dict[tuple[str, Any], dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # (vocab, id) -> kind -> slugs


# Which record fields carry which browsable vocabulary.
# Also the filters of each catalogue, in this order.
FACET_FIELDS: dict[str, list[tuple[str, str]]] = {
    "project": [("programmes", "programme"), ("statuses", "status"), ("themes", "themes"),
                ("regions", "regions"), ("countries", "countries"), ("sdgs", "sdgs")],
    "playbook": [("business-models", "business_model"), ("themes", "themes"), ("sdgs", "sdgs")],
    "organization": [("organization-types", "type"), ("countries", "country")],
    "event": [("themes", "themes"), ("regions", "regions"), ("countries", "countries"),
              ("sdgs", "sdgs")],
}


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def compute_links(cat: Catalogue) -> Links:
    links = Links()
    for slug, rec in cat.records["project"].items():
        for partner in as_list(rec.data.get("partners")):
            links.org_projects[partner["organization"]].append((slug, partner["role"]))
        if rec.data.get("part_of"):
            links.project_children[rec.data["part_of"]].append(slug)
    for slug, rec in cat.records["event"].items():
        d = rec.data
        roles = [(o, "organizer") for o in as_list(d.get("organizers"))]
        roles += [(s["organization"], "speaker") for s in as_list(d.get("speakers")) if s.get("organization")]
        roles += [(o, "participant") for o in as_list(d.get("related_organizations"))]
        seen = set()
        for org, role in roles:
            if org not in seen:
                links.org_events[org].append((slug, role))
                seen.add(org)
        for project in as_list(d.get("related_projects")):
            links.project_events[project].append(slug)
        if d.get("part_of"):
            links.event_children[d["part_of"]].append(slug)
    for slug, rec in cat.records["playbook"].items():
        for project in as_list(rec.data.get("example_projects")):
            links.project_playbooks[project].append(slug)
        for org in as_list(rec.data.get("example_organizations")):
            links.org_playbooks[org].append(slug)
    for slug, rec in cat.records["organization"].items():
        for network in as_list(rec.data.get("member_of")):
            links.org_members[network].append(slug)
        if rec.data.get("parent"):
            links.org_units[rec.data["parent"]].append(slug)
    for kind, pairs in FACET_FIELDS.items():
        for slug, rec in cat.records[kind].items():
            for vocab, fieldname in pairs:
                for term in as_list(rec.data.get(fieldname)):
                    links.facet[(vocab, term)][kind].append(slug)
    return links


# ---------------------------------------------------------------------------------------------
# One page being rendered: helpers the templates call
# ---------------------------------------------------------------------------------------------

class PageContext:
    """Helpers bound to one page in one language; records where English stood in for a translation."""

    def __init__(self, site: "Site", lang: str, path: str):
        self.site, self.lang, self.path = site, lang, path  # path relative to the language folder
        self.ui = site.ui[lang]
        self.fallbacks: list[str] = []

    # text
    def pick(self, value: dict | None, where: str = "") -> str:
        """The text in this page's language, or English (noted for the notice) when it is missing."""
        if not value:
            return ""
        own = value.get(self.lang)
        if isinstance(own, str) and own.strip():
            return own
        if self.lang != S.SOURCE_LANG:
            self.fallbacks.append(where)
        return value.get(S.SOURCE_LANG) or ""

    def t(self, value, where=""):
        return md_inline(self.pick(value, where))

    def lit(self, text) -> str:
        """Text that is the same in every language (acronyms, source titles): escaped, no fallback."""
        return md_inline(str(text))

    def paras(self, value, where=""):
        return md_paragraphs(self.pick(value, where))

    def plain(self, value, where=""):
        return plain_inline(self.pick(value, where))

    # vocabulary and records
    def label(self, vocab: str, term) -> str:
        return md_inline(self.plain(self.site.cat.vocab[vocab][term]["label"], f"{vocab}:{term}"))

    def term_link(self, vocab: str, term) -> str:
        return f"[{self.label(vocab, term)}]({self.rel(term_path(vocab, term))})"

    def name(self, kind: str, slug: str) -> str:
        rec = self.site.cat.records[kind][slug]
        return self.pick(rec.data[S.KINDS[kind].title_field], f"{kind}:{slug}")

    def link(self, kind: str, slug: str) -> str:
        return f"[{md_inline(self.name(kind, slug))}]({self.rel(record_path(kind, slug))})"

    def rel(self, target: str) -> str:
        """Relative Markdown link from this page to another page (both relative to the language)."""
        return posixpath.relpath(target, posixpath.dirname(self.path) or ".")

    def url(self, target: str) -> str:
        """Relative URL for raw HTML, where MkDocs does not rewrite .md links (directory URLs)."""
        return posixpath.relpath(page_url(target), page_url(self.path)) + "/"

    def data_url(self, name: str) -> str:
        """Relative URL from this page to an open-data file, served at /data/<name> (issue 10)."""
        here = page_url(self.path) if self.lang == S.SOURCE_LANG else f"{self.lang}/{page_url(self.path)}"
        return posixpath.relpath(f"data/{name}", here.rstrip("/.") or ".")

    def date(self, value) -> str:
        parts = S.parse_date(value)
        if not parts:
            return ""
        if len(parts) == 3:
            return format_date(date(*parts), format="long", locale=self.lang)
        if len(parts) == 2:
            return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=self.lang)
        return str(parts[0])

    def span(self, start, end) -> str:
        a, b = self.date(start), self.date(end)
        return f"{a} – {b}" if a and b and a != b else (a or b)

    def href(self, url: str) -> str:
        """A URL inside Markdown link parentheses or angle brackets (allow-listed, percent-encoded)."""
        return md_url(url)

    def autolink(self, url: str) -> str:
        """A URL shown as itself and linked: `<https://…>`; an unsafe one is shown as inert text."""
        safe = md_url(url)
        return f"<{safe}>" if safe != "#" else md_inline(url)

    def ids(self, value) -> str:
        """Vocabulary ids of a field as a space-separated attribute value."""
        return " ".join(str(v) for v in as_list(value))

    def facet_options(self, kind: str, facets, slugs) -> list[dict]:
        """Filter controls of a catalogue: each facet with the values its records use, labelled."""
        out = []
        for vocab, fieldname in facets:
            used = {v for s in slugs for v in as_list(self.site.cat.records[kind][s].data.get(fieldname))}
            values = [[str(t), self.plain(term["label"])] for t, term in self.site.cat.vocab[vocab].items()
                      if t in used]
            if values:
                out.append({"name": vocab, "label": self.ui[f"facets.{vocab}"], "values": values})
        return out

    def html(self, text) -> str:
        return str(html(text))

    def attr_json(self, value) -> str:
        return str(html_attr_json(value))


def record_path(kind: str, slug: str) -> str:
    return f"{S.KINDS[kind].folder}/{slug}.md"


def catalogue_path(kind: str) -> str:
    return f"{S.KINDS[kind].folder}/index.md"


def term_path(vocab: str, term) -> str:
    return f"topics/{vocab}/{term}.md"


def page_url(md_path: str) -> str:
    """docs-relative Markdown path -> directory URL path as MkDocs builds it (use_directory_urls)."""
    stem = md_path[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem or "."


# ---------------------------------------------------------------------------------------------
# The site: producers of pages
# ---------------------------------------------------------------------------------------------

Producer = Callable[["Site", str], Iterable[Page]]
PRODUCERS: list[Producer] = []


def producer(fn: Producer) -> Producer:
    """Register a function that yields the pages of one language. Other modules may add theirs."""
    PRODUCERS.append(fn)
    return fn


class Site:
    def __init__(self, cat: Catalogue, root: Path):
        self.cat, self.root = cat, root
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(root / "scripts" / "templates")),
            undefined=jinja2.StrictUndefined, autoescape=False,  # Markdown: escaping is explicit
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.env.globals.update(record_path=record_path, term_path=term_path,
                                kind_folder=lambda kind: S.KINDS[kind].folder)
        locales = load_locales(root / "scripts" / "locales")
        self.ui = {lang: UI(locales, lang) for lang in S.LANGS}
        self.links = compute_links(cat)

    def sorted_slugs(self, kind: str, slugs: Iterable[str] | None = None) -> list[str]:
        """Records in reading order: events newest first, everything else by English name."""
        recs = self.cat.records[kind]
        slugs = list(recs) if slugs is None else list(dict.fromkeys(slugs))
        if kind == "event":
            return sorted(slugs, key=lambda s: (S.parse_date(recs[s].data["date"]) or (0,), s), reverse=True)
        title = S.KINDS[kind].title_field
        return sorted(slugs, key=lambda s: (recs[s].data[title]["en"].casefold(), s))

    def render(self, template: str, lang: str, path: str, source: str, meta: dict, **values) -> Page:
        ctx = PageContext(self, lang, path)
        try:
            body = self.env.get_template(template).render(p=ctx, ui=ctx.ui, lang=lang, site=self, **values)
            meta = {k: v for k, v in meta(ctx).items() if v not in (None, "", [], {})} if callable(meta) else meta
        except Exception as exc:  # a gap in validation: name the record, never a bare traceback
            raise RenderError(source, f"{lang}/{path}", exc) from exc
        if ctx.fallbacks:
            body = insert_notice(body, ctx.ui["notice.fallback"])
        header = f"# {GENERATED_MARK} {source} by `make generate`; do not edit\n"
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        return Page(f"{lang}/{path}", f"---\n{header}{front}---\n\n{body.rstrip()}\n")

    def pages(self) -> list[Page]:
        out: list[Page] = []
        for lang in S.LANGS:
            for produce in PRODUCERS:
                out.extend(produce(self, lang))
        return out


def insert_notice(body: str, notice: str) -> str:
    """The "not yet translated" notice goes right under the page's H1."""
    admonition = f'!!! info "{notice["title"]}"\n\n    {notice["text"]}\n'
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join(lines[: i + 1] + ["", admonition] + lines[i + 1:])
    return admonition + "\n" + body


def describe(ctx: PageContext, value) -> str:
    text = ctx.plain(value)
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------------------------------------
# Built-in producers
# ---------------------------------------------------------------------------------------------

def record_meta(site: Site, rec: Record, kind: str):
    def meta(ctx: PageContext) -> dict:
        d = rec.data
        title = ctx.plain(d[S.KINDS[kind].title_field])
        if d.get("acronym") and str(d["acronym"]).casefold() not in title.casefold():
            title = f"{title} ({d['acronym']})"
        return {
            "title": title,
            "description": describe(ctx, d.get("summary") or d.get("description") or d[S.KINDS[kind].title_field]),
            "tags": [ctx.plain(site.cat.vocab["themes"][t]["label"]) for t in as_list(d.get("themes"))],
            "portal": {"kind": kind, "slug": rec.slug, "keys": record_keys(d), "boost": SEARCH_BOOST},
            "jsonld": json_ld(site, ctx, kind, rec),
        }
    return meta


def record_keys(data: dict) -> list[str]:
    """Acronym, short name and aliases: searched like the title (mkdocs_site/search_index.py)."""
    keys = [data.get("acronym"), data.get("short_name"), *(data.get("aliases") or [])]
    return list(dict.fromkeys(str(k) for k in keys if k))


@producer
def record_pages(site: Site, lang: str) -> Iterable[Page]:
    from .export.model import model  # last-changed dates: git history of each file (issue 10)
    updated = model(site).updated
    for kind in S.KINDS:
        for slug in site.sorted_slugs(kind):
            rec = site.cat.records[kind][slug]
            yield site.render(f"{kind}.md.j2", lang, record_path(kind, slug), rec.path,
                              record_meta(site, rec, kind), rec=rec.data, slug=slug, links=site.links,
                              updated=updated.get((kind, slug), "")[:10])


@producer
def catalogue_pages(site: Site, lang: str) -> Iterable[Page]:
    for kind in S.KINDS:
        folder = S.KINDS[kind].folder

        def meta(ctx, kind=kind, folder=folder):
            return {"title": ctx.ui[f"catalogue.{folder}.title"],
                    "description": ctx.ui[f"catalogue.{folder}.intro"],
                    "portal": {"kind": "catalogue", "of": kind}}
        yield site.render("catalogue.md.j2", lang, catalogue_path(kind), f"data/{folder}/", meta,
                          kind=kind, folder=folder, slugs=site.sorted_slugs(kind),
                          facets=FACET_FIELDS[kind], records=site.cat.records[kind])


@producer
def facet_pages(site: Site, lang: str) -> Iterable[Page]:
    for vocab in S.FACETS:
        for term_id, term in site.cat.vocab[vocab].items():
            found = site.links.facet.get((vocab, term_id), {})
            by_kind = {kind: site.sorted_slugs(kind, found.get(kind, [])) for kind in S.KINDS}

            def meta(ctx, vocab=vocab, term=term):
                return {"title": ctx.plain(term["label"]),
                        "description": describe(ctx, term["description"]) if term.get("description") else
                        f'{ctx.ui[f"facets.{vocab}"]}: {ctx.plain(term["label"])}',
                        "portal": {"kind": "facet", "vocabulary": vocab, "term": term_id,
                                   "keys": list(dict.fromkeys(
                                       [v for v in term["label"].values() if v]
                                       + [str(a) for a in term.get("aliases") or []])),
                                   "boost": SEARCH_BOOST}}
            yield site.render("facet.md.j2", lang, term_path(vocab, term_id),
                              site.cat.vocab_files[vocab], meta, vocab=vocab, term_id=term_id,
                              term=term, by_kind=by_kind)

    def meta(ctx):
        return {"title": ctx.ui["facets.title"], "description": ctx.ui["facets.intro"],
                "portal": {"kind": "facets"}}
    counts = {vocab: {t: sum(len(v) for v in site.links.facet.get((vocab, t), {}).values())
                      for t in site.cat.vocab[vocab]} for vocab in S.FACETS}
    yield site.render("facets.md.j2", lang, "topics/index.md", "data/vocabularies/", meta,
                      facets=S.FACETS, counts=counts)


def record_dates(kind: str, data: dict) -> tuple:
    """The latest date a record mentions, for "newest" lists; undated records sort last."""
    candidates = [S.parse_date(data.get(k)) for k in ("date", "end_date", "start", "end")]
    return max((c for c in candidates if c), default=(0,))


@producer
def newest_snippet(site: Site, lang: str) -> Iterable[Page]:
    dated = [(record_dates(kind, rec.data), kind, slug)
             for kind in ("event", "project") for slug, rec in site.cat.records[kind].items()]
    newest = [(kind, slug) for when, kind, slug in sorted((d for d in dated if d[0] != (0,)), reverse=True)[:NEWEST_COUNT]]
    ctx = PageContext(site, lang, "index.md")  # links are relative to the home page that includes it
    body = site.env.get_template("newest.md.j2").render(p=ctx, ui=ctx.ui, items=newest, site=site)
    yield Page(f"{lang}/.generated/newest.md",
               f"<!-- {GENERATED_MARK} data/events/ and data/projects/ by `make generate`; do not edit -->\n"
               f"{body.rstrip()}\n")


# ---------------------------------------------------------------------------------------------
# schema.org JSON-LD for projects, organizations and events
# ---------------------------------------------------------------------------------------------

def _iso(value) -> str | None:
    parts = S.parse_date(value)
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) if parts else None


def json_ld(site: Site, ctx: PageContext, kind: str, rec: Record) -> dict | None:
    d = rec.data
    lang = ctx.lang
    if kind == "organization":
        out = {"@context": "https://schema.org", "@type": "Organization", "name": ctx.plain(d["name"]),
               "alternateName": d.get("short_name"), "url": d.get("website"),
               "description": ctx.plain(d.get("description")) or None,
               "address": {"@type": "PostalAddress", "addressLocality": ctx.plain(d.get("city")) or None,
                           "addressCountry": str(d["country"]).upper()} if d.get("country") else None,
               "memberOf": [{"@type": "Organization", "name": ctx.name("organization", o)}
                            for o in as_list(d.get("member_of"))] or None}
    elif kind == "project":
        out = {"@context": "https://schema.org", "@type": "Project", "name": ctx.plain(d["title"]),
               "alternateName": d.get("acronym"), "description": ctx.plain(d["summary"]),
               "url": d.get("website"), "foundingDate": _iso(d.get("start")),
               "dissolutionDate": _iso(d.get("end")),
               "funder": [{"@type": "Organization", "name": ctx.name("organization", p["organization"])}
                          for p in as_list(d.get("partners")) if p["role"] == "funder"] or None,
               "member": [{"@type": "Organization", "name": ctx.name("organization", p["organization"])}
                          for p in as_list(d.get("partners")) if p["role"] != "funder"] or None,
               "areaServed": [ctx.plain(site.cat.vocab["regions"][r]["label"])
                              for r in as_list(d.get("regions"))] or None}
    elif kind == "event":
        out = {"@context": "https://schema.org", "@type": "Event", "name": ctx.plain(d["title"]),
               "description": ctx.plain(d["summary"]), "startDate": _iso(d.get("date")),
               "endDate": _iso(d.get("end_date")),
               "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
               "location": {"@type": "Place", "name": ctx.plain(d.get("place"))} if d.get("place") else None,
               "organizer": [{"@type": "Organization", "name": ctx.name("organization", o)}
                             for o in as_list(d.get("organizers"))] or None,
               "performer": [{"@type": "Person", "name": ctx.plain(s["name"])}
                             for s in as_list(d.get("speakers"))] or None}
    else:
        return None
    out["inLanguage"] = lang
    return _prune(out)


def _prune(value):
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
