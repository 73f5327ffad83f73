"""A catalogue per record kind: every record in a table that filters in place."""
from __future__ import annotations

from typing import Iterable

from ...model import schema as S
from ...paths import catalogue_path
from ..links import FACET_FIELDS
from ..site import Page, Site


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
