"""Catalogue pages of a fixed size: projects/, projects/page/2/, … so no page grows with the data.

The first page of each catalogue (projects/index.md) and the pages after it (projects/page/N.md)
hold PAGE_SIZE rows each and a pager whose length does not depend on the number of pages (first,
previous, a few neighbours, next, last). Without JavaScript these pages are the catalogue; with it,
overrides/assets/portal/catalogue-filter.js filters every record of the kind through the site's
Pagefind index (render/search_fields.py puts the filters on the record pages).

A plain function, listed in render/pages/__init__.py; it registers nothing itself.
"""
from __future__ import annotations

from functools import partial
from typing import Iterable

from ...model import schema as S
from ...paths import catalogue_path, paged_path
from .. import search_fields
from ..listing import PAGE_SIZE, pager  # the page size and pager every paged list shares
from ..context import PageContext
from ..jsonld import item_list
from ..site import Page, Site


def page_path(kind: str, number: int) -> str:
    """docs-relative path of a catalogue page: projects/index.md, projects/page/2.md, …"""
    return paged_path(catalogue_path(kind), number)


def chunks(slugs: list[str], size: int = PAGE_SIZE) -> list[list[str]]:
    return [slugs[i:i + size] for i in range(0, len(slugs), size)] or [[]]


def catalogue_pages(site: Site, lang: str) -> Iterable[Page]:
    for kind in S.KINDS:
        folder = S.KINDS[kind].folder
        slugs = site.sorted_slugs(kind)
        pages = chunks(slugs)
        # The filter controls are the same on every page of the catalogue: computed once.
        options = search_fields.facet_options(site, PageContext(site, lang, page_path(kind, 1)),
                                              kind, slugs)
        for number, rows in enumerate(pages, start=1):

            def meta(ctx, number=number, folder=folder, kind=kind, rows=rows):
                title = ctx.ui[f"catalogue.{folder}.title"]
                if number > 1:
                    title = f'{title} ({ctx.ui["pager.page"].format(n=number)})'
                # Only the first page is searchable (its title and intro); its rows and the
                # later pages are lists, which the search leaves to the records themselves.
                # No table of contents (a catalogue has no sections): its rows get the width.
                return {"title": title, "description": ctx.ui[f"catalogue.{folder}.intro"], "hide": ["toc"],
                        "jsonld": item_list(site, ctx, kind, rows, (number - 1) * PAGE_SIZE + 1, title),
                        "portal": {"kind": "catalogue", "of": kind, "page": number,
                                   "search": {"kind": ctx.ui["search.kinds.catalogue"]}
                                   if number == 1 else False}}
            yield site.render("catalogue-page.html.j2", lang, page_path(kind, number), f"data/{folder}/",
                              meta, kind=kind, folder=folder, rows=rows, total=len(slugs), options=options,
                              number=number, count=len(pages), first=(number - 1) * PAGE_SIZE + 1,
                              pager=pager(number, len(pages)),
                              path_of=partial(page_path, kind),
                              records=site.cat.records[kind], row=search_fields.row)
