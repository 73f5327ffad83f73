"""A page per vocabulary term (a topic) listing its records, and the overview of all topics."""
from __future__ import annotations

from typing import Iterable

from ...model import schema as S
from ...paths import term_path
from ..site import Page, Site, describe
from .. import search_fields


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
                                   "search": search_fields.for_term(ctx, term)}}
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
