"""Pages at the addresses of merged records, so old links and bookmarks still lead somewhere.

A record that took over another lists the old slug under `former_slugs`. For each old slug and
language this writes a small page at the old path: a visible sentence with a link to the live page
(for readers and crawlers without refresh) and front matter `redirect:` with the live page's URL
relative to the old one, from which the theme's head template writes the meta refresh, the canonical
link and `noindex`.

Programmes were vocabulary terms with topic pages at topics/programmes/<id>/ before they became
records (issue 19); their slugs are those ids, so each programme also gets a page at its old topic
address (MOVED_TERMS).
"""
from __future__ import annotations

from typing import Iterable

from ...model import schema as S
from ...paths import record_path, term_path
from ..context import PageContext
from ..site import Page, Site

# record kind -> the former vocabulary whose term pages its records replaced
MOVED_TERMS = {"programme": "programmes"}


def redirect_pages(site: Site, lang: str) -> Iterable[Page]:
    for kind in S.KINDS:
        for old, live in sorted(site.cat.former.get(kind, {}).items()):
            rec = site.cat.records[kind][live]

            def meta(ctx: PageContext, kind=kind, live=live) -> dict:
                return {"title": ctx.name(kind, live),
                        "redirect": ctx.url(record_path(kind, live)),
                        # Not in the search index (overrides/main.html): the live page is.
                        "portal": {"kind": "redirect", "of": kind, "slug": live, "search": False}}
            yield site.render("redirect.md.j2", lang, record_path(kind, old), rec.path, meta,
                              kind=kind, live=live)
    for kind, vocab in MOVED_TERMS.items():
        for live in site.sorted_slugs(kind):
            rec = site.cat.records[kind][live]

            def meta(ctx: PageContext, kind=kind, live=live) -> dict:
                return {"title": ctx.name(kind, live),
                        "redirect": ctx.url(record_path(kind, live)),
                        "portal": {"kind": "redirect", "of": kind, "slug": live, "search": False}}
            yield site.render("redirect.md.j2", lang, term_path(vocab, live), rec.path, meta,
                              kind=kind, live=live)
