"""A page per record, in every language; an organization's linked records beyond the first
listing.FIRST_ROWS continue on organizations/<slug>/page/2/, … (render/listing.py)."""
from __future__ import annotations

from functools import partial
from typing import Iterable

from ...model import schema as S
from ...history import record_dates
from ...paths import record_path
from ..context import PageContext
from ...model.values import as_list
from ..site import Page, Site, describe
from ...model.validate import Record
from .. import listing, search_fields
from ..jsonld import json_ld

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
            "portal": {"kind": kind, "slug": rec.slug,
                       "search": search_fields.for_record(site, ctx, kind, rec.slug)},
            "jsonld": json_ld(site, ctx, kind, rec),
        }
    return meta


def record_pages(site: Site, lang: str) -> Iterable[Page]:
    for kind in S.KINDS:
        yield from record_pages_of(site, lang, kind, site.sorted_slugs(kind))


def record_pages_of(site: Site, lang: str, kind: str, slugs: list[str]) -> Iterable[Page]:
    """The pages of these records of one kind (a share of record_pages, for render/pages/parallel.py)."""
    updated = record_dates(site).updated  # last-changed dates: git history of each file (issue 10)
    for slug in slugs:
        date = updated.get((kind, slug), "")[:10]
        # One group per record (site.page_group): what one_record() reads beyond its views is this.
        yield from site.page_group(f"{lang}/{record_path(kind, slug)}", ("record", lang, kind, slug, date),
                                   partial(one_record, site, lang, kind, slug, date))


def one_record(site: Site, lang: str, kind: str, slug: str, updated: str) -> list[Page]:
    """A record's page and the later pages of its list."""
    rec = site.cat.records[kind][slug]
    path = record_path(kind, slug)
    pages = listing.paginate(path, listing.record_sections(site, kind, slug))
    out = [site.render(f"{kind}.html.j2", lang, path, rec.path, record_meta(site, rec, kind), rec=rec.data,
                       slug=slug, links=site.links, updated=updated, listing=pages[0])]
    return out + [listing_page(site, lang, page, rec.path, kind, slug) for page in pages[1:]]


def listing_page(site: Site, lang: str, page: "listing.ListingPage", source: str, kind: str, owner) -> Page:
    """A later page of the list on a record or topic page (kind "topic": owner is (vocab, term)).
    Left out of the search: the records rank by their own pages."""
    def meta(ctx: PageContext) -> dict:
        if kind == "topic":
            name = ctx.plain(site.cat.vocab[owner[0]][owner[1]]["label"])
        else:
            name = ctx.plain(site.cat.records[kind][owner].data[S.KINDS[kind].title_field])
        return {"title": f'{name} ({ctx.ui["pager.page"].format(n=page.number)})',
                # `owner`: the breadcrumb trail's link back to the record or topic (site/trail.py)
                "portal": {"kind": "listing", "of": kind, "page": page.number, "owner": name, "search": False}}
    return site.render("listing-page.html.j2", lang, page.path, source, meta, page=page, kind=kind,
                       owner=owner)
