"""A page per vocabulary term (a topic) listing its records, and the overview of all topics.

A topic page shows the first listing.FIRST_ROWS of its records; the rest continue on
topics/<vocabulary>/<term>/page/2/, … (render/listing.py)."""
from __future__ import annotations

from typing import Iterable

from ...model import schema as S
from ...paths import term_path
from ..site import Page, Site, describe
from .. import listing, search_fields
from .records import listing_page


def facet_pages(site: Site, lang: str) -> Iterable[Page]:
    for vocab in S.FACETS:
        for term_id, term in site.cat.vocab[vocab].items():
            pages = listing.paginate(term_path(vocab, term_id), listing.term_sections(site, vocab, term_id))

            def meta(ctx, vocab=vocab, term=term):
                return {"title": ctx.plain(term["label"]),
                        "description": describe(ctx, term["description"]) if term.get("description") else
                        f'{ctx.ui[f"facets.{vocab}"]}: {ctx.plain(term["label"])}',
                        "portal": {"kind": "facet", "vocabulary": vocab, "term": term_id,
                                   "search": search_fields.for_term(ctx, term)}}
            yield site.render("facet.html.j2", lang, term_path(vocab, term_id),
                              site.cat.vocab_files[vocab], meta, vocab=vocab, term_id=term_id,
                              term=term, listing=pages[0])
            for page in pages[1:]:
                yield listing_page(site, lang, page, site.cat.vocab_files[vocab], "topic", (vocab, term_id))

    def meta(ctx):
        return {"title": ctx.ui["facets.title"], "description": ctx.ui["facets.intro"],
                "portal": {"kind": "facets"}}
    counts = {vocab: {t: sum(len(v) for v in site.links.facet.get((vocab, t), {}).values())
                      for t in site.cat.vocab[vocab]} for vocab in S.FACETS}
    yield site.render("facets.md.j2", lang, "topics/index.md", "data/vocabularies/", meta,
                      facets=S.FACETS, counts=counts)
