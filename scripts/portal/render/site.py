"""The renderer: a validated Catalogue and the page templates, turned into pages with front matter.

Templates are files in scripts/templates/ (one per page kind, shared by every language): the record,
topic and listing pages' write HTML (`*.html.j2`, html_page.py), the others Markdown (`*.md.j2`);
interface words come from scripts/locales/<lang>.yml. Record text is plain text: the page context
(context.py) escapes it so that nothing an editor types becomes markup. The page producers are
listed in render/pages/__init__.py; writing the pages is write.py's job. Nothing here knows about
MkDocs beyond producing Markdown or HTML with front matter.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jinja2
import yaml

from .. import languages
from ..model import schema as S
from ..model.validate import Catalogue
from ..paths import record_path, term_path
from . import dependencies
from .context import UI, PageContext, load_locales
from .html_page import HtmlPageContext, blocks, with_notice
from .links import compute_links, russian_ties
from ..write import GENERATED_MARK, Page  # noqa: F401  (re-exported for the producers)

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: same bytes, the emitter is most of a page's cost


class RenderError(Exception):
    """A record that passed validation could not be rendered: validation has a gap to close."""

    def __init__(self, source: str, page: str, cause: Exception):
        super().__init__(f"{source}: could not be turned into the page {page} "
                         f"({type(cause).__name__}: {cause}); validation should have refused it: "
                         "please report this with the record")
        self.source, self.page, self.cause = source, page, cause


class _SameSourceCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory by name; Jinja compares the source's checksum before using
    one, so only a template of identical text is reused. A second copy of the same templates (each
    test's repository, a worker) then compiles nothing: compiling was 0.6 s of every first render."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def get_cache_key(self, name, filename=None):
        return name

    def load_bytecode(self, bucket):
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket):
        self._code[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _SameSourceCache()


@lru_cache(maxsize=4)
def template_environment(folder: Path) -> jinja2.Environment:
    """One environment per templates folder and process: `make serve` generates on every save, and
    compiling the templates was a third of it. Jinja checks each template's mtime and recompiles
    the ones that changed (auto_reload)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), auto_reload=True, bytecode_cache=_BYTECODE,
        undefined=jinja2.StrictUndefined, autoescape=False,  # escaping is explicit (the p. helpers)
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(record_path=record_path, term_path=term_path,
                       kind_folder=lambda kind: S.KINDS[kind].folder,
                       kind_title=lambda kind: S.KINDS[kind].title_field,
                       russian_ties=russian_ties, RUSSIA_SUSPENSION=S.RUSSIA_SUSPENSION)
    return env


class Site(dependencies.Tracked):  # (what a page reads of a Site is noted by its views: dependencies.py)
    def __init__(self, cat: Catalogue, root: Path):
        self.cat, self.root = cat, root
        self.env = template_environment(root / "scripts" / "templates")
        locales = load_locales(root / "scripts" / "locales")
        self.ui = {lang: UI(locales, lang) for lang in languages.registry().codes}
        self.links = compute_links(cat)
        self._reading_orders: dict[str, dict[str, int]] = {}
        self._raw = (cat, self.links)
        if dependencies.enabled():  # pages note what they read (render/dependencies.py)
            self.cat, self.links = dependencies.CatalogueView(cat), dependencies.LinksView(self.links)

    def sorted_slugs(self, kind: str, slugs: Iterable[str] | None = None) -> list[str]:
        """Records in reading order: events newest first, everything else by English name."""
        order = self._reading_order(kind)
        if slugs is None:
            out = list(order)
        else:
            slugs = list(slugs)
            out = sorted(dict.fromkeys(slugs), key=order.__getitem__)
        if dependencies.tracking():
            dependencies.note(("order", kind, None if slugs is None else tuple(slugs)))
        return out

    def place(self, kind: str, slug: str) -> int:
        """The record's 0-based place in its kind's reading order (its catalogue's order)."""
        place = self._reading_order(kind)[slug]
        if dependencies.tracking():
            dependencies.note(("place", kind, slug))
        return place

    def dependency_digest(self, dep: tuple) -> str:
        """The digest of what a noted read gives on this site (render/dependencies.py)."""
        return dependencies.read_digest(self, *self._raw, dep)

    def records_unwatched(self) -> dict:
        """kind -> slug -> Record, read without noting it (for the dependency model itself)."""
        return self._raw[0].records

    def _reading_order(self, kind: str) -> dict[str, int]:
        """slug -> place in reading order, sorted once per kind: lists of linked records are sorted on
        thousands of pages (the sort keys are unique, so sorting by place gives the same order)."""
        orders = self._reading_orders
        if kind not in orders:
            recs = self._raw[0].records[kind]
            if kind == "event":
                slugs = sorted(recs, key=lambda s: (S.parse_date(recs[s].data["date"]) or (0,), s), reverse=True)
            else:
                title = S.KINDS[kind].title_field
                slugs = sorted(recs, key=lambda s: (recs[s].data[title]["en"].casefold(), s))
            orders[kind] = {slug: place for place, slug in enumerate(slugs)}
        return orders[kind]

    def page_context(self, lang: str, path: str) -> PageContext:
        """The helpers of one page (links relative to it, its language's texts and dates): for the
        producers outside render/ (export/), which are handed the Site and do not import render/."""
        return PageContext(self, lang, path)

    def render(self, template: str, lang: str, path: str, source: str, meta: dict, **values) -> Page:
        if dependencies.enabled():  # a page with text None when nothing it is made of changed
            return dependencies.render(f"{lang}/{path}", (template, lang, source, values), meta,
                                       lambda: self._render(template, lang, path, source, meta, values))
        return self._render(template, lang, path, source, meta, values)

    def page_group(self, owner: str, pre: tuple, make) -> list[Page]:
        """The pages make() renders (a record's page and the later pages of its list), kept as a
        whole when nothing make() uses changed (render/dependencies.py, group()); `pre`: what make()
        uses beyond its reads of the catalogue and links, as plain data."""
        if dependencies.enabled():
            return dependencies.group(owner, pre, make)
        return make()

    def file_page(self, path: str, key: tuple, make) -> Page:
        """A file made without a template (a data file; make() returns its text or bytes). With the
        dependency model, the file under docs/ is kept when `key` (plain data: everything its bytes
        are made of) and the file are those of the last generation, and make() is not called."""
        if dependencies.enabled():
            return dependencies.render(path, ("file", key), None, lambda: Page(path, make()))
        return Page(path, make())

    def _render(self, template: str, lang: str, path: str, source: str, meta, values: dict) -> Page:
        as_html = template.endswith(".html.j2")  # the template writes HTML (render/html_page.py)
        ctx = (HtmlPageContext if as_html else PageContext)(self, lang, path)
        try:
            body = self.env.get_template(template).render(p=ctx, ui=ctx.html_ui if as_html else ctx.ui,
                                                          lang=lang, site=self, **values)
            meta = {k: v for k, v in meta(ctx).items() if v not in (None, "", [], {})} if callable(meta) else meta
        except Exception as exc:  # a gap in validation: name the record, never a bare traceback
            raise RenderError(source, f"{lang}/{path}", exc) from exc
        if as_html:
            body = blocks(body)
            if ctx.fallbacks:
                body = with_notice(ctx, body)
            meta = {**meta, "portal": {**meta.get("portal", {}), "toc": ctx.toc}}
        elif ctx.fallbacks:
            body = insert_notice(body, ctx.ui["notice.fallback"])
        header = f"# {GENERATED_MARK} {source} by `make generate`; do not edit\n"
        front = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        return Page(f"{lang}/{path}", f"---\n{header}{front}---\n\n{body.rstrip()}\n")


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
