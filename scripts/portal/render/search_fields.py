"""What the search index needs to know about a page, written into its front matter (`portal.search`).

Pagefind (scripts/portal/site/search.py) indexes the built HTML; overrides/partials/portal/
search-data.html prints these values as data-pagefind-* elements, escaped. The values are chosen here,
from the validated records, so that:
- a record's own names in every language and script are on its own page only: its titles in the
  other languages (`names`) and its keys (`aliases`: acronym, short name, aliases), so "Ситра" finds
  Sitra on /en/ and /fi/ and ranks it first, without every page that merely mentions Sitra matching
  (topic pages carry their term's labels and aliases the same way: a region's spelling variants and
  abbreviations are its `aliases` in data/vocabularies/regions.yml). `weighted` groups them by
  the weight Pagefind gives them (`weighted()`, below); `keys` are those of one word (`one_word()`);
- a record's regions under their variants (`places`: the aliases of each region it names), so "СПб"
  or "Питер" finds the records of St. Petersburg too, after the region's own page;
- every catalogue facet is a Pagefind filter (vocabulary ids, the same in every language, so a
  filtered catalogue URL works after the language switcher) and `kind` says which catalogue;
- a catalogue row can be drawn from a search result alone (`row`: the record's name, summary and
  the catalogue's other columns with their links, in the page's language), without fetching the
  record page, and the same as the catalogue page draws it (`row()` serves both);
- the catalogue's own order survives filtering without typing, without a Pagefind sort (a sort is
  an array of every page in the index's metadata, which every search on every page downloads first:
  21 KB of the English search at 10,000 records): each record carries the catalogue page it is on as
  the filter `place` and its place in the catalogue as the metadata `place`; the catalogue filter
  asks for the results of one catalogue page at a time and orders them by `place`
  (overrides/assets/portal/catalogue-filter.js).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..model import schema as S
from ..paths import record_path, term_path
from .context import PageContext
from ..escape import plain_inline
from ..model.values import as_list
from .listing import PAGE_SIZE  # rows per catalogue page

if TYPE_CHECKING:
    from .site import Site

# The filters of each catalogue, in the order the reader sees them: (filter name = vocabulary, field).
# `programmes` is not a vocabulary: its values are the slugs of programme records (RECORD_FILTERS).
# `programme-periods` falls back to the programme's own period; `kind` is added to every record.
CATALOGUE_FILTERS: dict[str, list[tuple[str, str]]] = {
    "project": [("programmes", "programme"), ("programme-periods", "programme_period"),
                ("statuses", "status"), ("themes", "themes"), ("regions", "regions"),
                ("countries", "countries"), ("sdgs", "sdgs")],
    "playbook": [("business-models", "business_model"), ("themes", "themes"), ("sdgs", "sdgs")],
    "organization": [("organization-types", "type"), ("countries", "country"), ("regions", "region")],
    "event": [("event-formats", "format"), ("themes", "themes"), ("regions", "regions"),
              ("countries", "countries"), ("sdgs", "sdgs")],
    "programme": [("programme-types", "type"), ("programme-periods", "period"), ("statuses", "status"),
                  ("countries", "countries"), ("regions", "regions")],
}
RECORD_FILTERS = {"programmes": "programme"}  # filter name -> the record kind its values name
PLACE = "place"  # the filter and metadata of a record's place in its catalogue (see above)
PLACE_DIGITS = 7  # written at a fixed width, so that a record's page does not grow with the catalogue


def filter_values(site: Site, kind: str, data: dict) -> dict[str, list[str]]:
    """{filter: [vocabulary id, …]} of one record; only the filters it carries."""
    out: dict[str, list[str]] = {"kind": [kind]}
    for vocab, field in CATALOGUE_FILTERS[kind]:
        values = as_list(data.get(field))
        if not values and vocab == "programme-periods" and data.get("programme"):
            period = site.cat.records["programme"][data["programme"]].data.get("period")
            values = as_list(period)
        if values:
            out[vocab] = [str(v) for v in values]
    return out


def record_names(kind: str, data: dict, lang: str) -> tuple[list[str], list[str]]:
    """A record's titles in the other languages, and its keys: acronym, short name and aliases
    (the page's own title is its <h1> already)."""
    title = data[S.KINDS[kind].title_field]
    own = title.get(lang) or title.get(S.SOURCE_LANG)
    keys = _unique([data.get("acronym"), data.get("short_name"), *(data.get("aliases") or [])])
    return _unique(title.get(l) for l in S.LANGS if title.get(l) != own), keys


def term_names(term: dict, lang: str) -> tuple[list[str], list[str]]:
    """A vocabulary term's labels in the other languages, and its aliases."""
    own = term["label"].get(lang) or term["label"].get(S.SOURCE_LANG)
    return (_unique(term["label"].get(l) for l in S.LANGS if term["label"].get(l) != own),
            _unique(term.get("aliases") or []))


def _unique(values) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if v))


# Weights of the names in the page's hidden names block (data-pagefind-weight; Pagefind weighs them on a
# quadratic scale: 10 counts ~100 times a word of body text, the page's own <h1> is 7). Why a one-word
# name above the <h1> and a name of several words below it: a one-word key is the record's own
# (an acronym, a short name, a place's variant: "Sitra", "СПб", "Pietari"), while each word of a longer
# name also names other things: "Pietarin teknopuisto" must not lift the Technopark above the page of
# Pietari itself for the bare place name (the whole name still finds the Technopark first: both words hit).
KEY_WEIGHT = 10
NAME_WEIGHT = 5  # a name of several words, and the page's titles in the other languages
PLACE_WEIGHT = 1  # a record's regions under their variants: found by them, ranked after the region's page


def weighted(names: list[str], keys: list[str], places: list[str] = ()) -> list[list]:
    """[[weight, [name, …]], …] from the highest weight down, only the weights that have names; a
    name listed at a higher weight is not repeated below it."""
    groups: dict[int, list[str]] = {KEY_WEIGHT: [], NAME_WEIGHT: [], PLACE_WEIGHT: []}
    for key in keys:
        groups[NAME_WEIGHT if len(key.split()) > 1 else KEY_WEIGHT].append(key)
    groups[NAME_WEIGHT] += names
    groups[PLACE_WEIGHT] += places
    seen: set[str] = set()
    out = []
    for weight, group in groups.items():
        kept = [n for n in _unique(group) if n.casefold() not in seen]
        seen.update(n.casefold() for n in kept)
        if kept:
            out.append([weight, kept])
    return out


def one_word(keys: list[str]) -> list[str]:
    """The keys of one word: the metadata `keys`, which lifts a page whose own short name the query is
    (metaWeights in overrides/assets/portal/search.js). A key of several words is left out: Pagefind
    lifts a page by every word of a metadata field the query begins alike, so "Pietarin teknopuisto"
    there would lift the Technopark for the bare place name as much as Pietari's own page."""
    return [key for key in keys if len(key.split()) == 1]


def place_names(site: Site, kind: str, data: dict) -> list[str]:
    """The spelling variants and abbreviations (vocabulary aliases) of the regions a record names."""
    field = dict(CATALOGUE_FILTERS[kind]).get("regions")
    regions = site.cat.vocab.get("regions", {})
    return _unique(alias for region in as_list(data.get(field) if field else None) if region in regions
                   for alias in regions[region].get("aliases") or [])


def row(site: Site, ctx: PageContext, kind: str, slug: str) -> dict[str, Any]:
    """A record's catalogue row in the page's language: its name and the acronym or short name the
    name does not hold (`suffix`), its summary, and the cells after the name, each a list of
    [text, docs path of the page it links to, or None]. Events put their date cell (the first)
    before the name. The catalogue page draws its rows from this (catalogue-page.html.j2) and each
    record page carries it for the filter's redrawn rows (for_record), so the two cannot drift."""
    vocab = site.cat.vocab
    data = site.cat.records[kind][slug].data
    name = ctx.name(kind, slug)
    suffix = [str(data[key]) for key in ("acronym", "short_name")
              if data.get(key) and str(data[key]).lower() not in name.lower()]

    def term(name_, value, link=True):
        if value is None or value not in vocab[name_]:
            return []
        return [[ctx.plain(vocab[name_][value]["label"]), term_path(name_, value) if link else None]]

    def text(value, where):
        return [[ctx.plain(value, where), None]] if value else []

    if kind == "project":
        programme = data.get("programme")
        cells = [[[plain_inline(ctx.name("programme", programme)), record_path("programme", programme)]]
                 if programme in site.cat.records["programme"] else [],
                 term("statuses", data.get("status"), link=False),
                 [part for t in as_list(data.get("themes")) for part in term("themes", t)]]
    elif kind == "playbook":
        cells = [term("business-models", data.get("business_model"))]
    elif kind == "organization":
        cells = [term("organization-types", data.get("type")), term("countries", data.get("country")),
                 text(data.get("city"), "city")]
    elif kind == "programme":
        cells = [term("programme-types", data.get("type")), term("programme-periods", data.get("period"), link=False),
                 term("statuses", data.get("status"))]
    elif kind == "event":
        cells = [[[ctx.span(data["date"], data.get("end_date")), None]],
                 term("event-formats", data.get("format"), link=False), text(data.get("place"), "place")]
    else:
        cells = []
    summary = ctx.plain(data.get("summary"), "summary") if data.get("summary") else ""
    return {"name": name, "suffix": suffix, "summary": summary, "cells": cells}


def row_for_search(site: Site, ctx: PageContext, kind: str, slug: str) -> str:
    """The row as the filter redraws it (overrides/assets/portal/catalogue-filter.js): JSON, with
    each link relative to the record's own page (the search result's address)."""
    r = row(site, ctx, kind, slug)
    r["cells"] = [[[t, ctx.url(target) if target else None] for t, target in cell] for cell in r["cells"]]
    return json.dumps(r, ensure_ascii=False, separators=(",", ":"))


def for_record(site: Site, ctx: PageContext, kind: str, slug: str) -> dict[str, Any]:
    data = site.cat.records[kind][slug].data
    place = site.place(kind, slug)  # 0-based, in the catalogue's order (Site.sorted_slugs)
    names, keys = record_names(kind, data, ctx.lang)
    return {"kind": ctx.ui[f"search.kinds.{kind}"], "keys": one_word(keys),
            "weighted": weighted(names, keys, place_names(site, kind, data)),
            "filters": {**filter_values(site, kind, data), PLACE: [f"{place // PAGE_SIZE + 1:0{PLACE_DIGITS}d}"]},
            "place": f"{place:0{PLACE_DIGITS}d}",
            "row": row_for_search(site, ctx, kind, slug)}


def for_term(ctx: PageContext, term: dict) -> dict[str, Any]:
    names, keys = term_names(term, ctx.lang)
    return {"kind": ctx.ui["search.kinds.topic"], "keys": one_word(keys), "weighted": weighted(names, keys)}


def facet_options(site: Site, ctx: PageContext, kind: str, slugs) -> list[dict]:
    """The filter controls of a catalogue: each filter with the values its records use, labelled
    in the page's language, in vocabulary order."""
    used: dict[str, set[str]] = {}
    for slug in slugs:
        for name, values in filter_values(site, kind, site.cat.records[kind][slug].data).items():
            used.setdefault(name, set()).update(values)
    out = []
    for vocab, _ in CATALOGUE_FILTERS[kind]:
        if vocab in RECORD_FILTERS:  # record slugs, named by their titles, in reading order
            other = RECORD_FILTERS[vocab]
            values = [[s, plain_inline(ctx.name(other, s))] for s in site.sorted_slugs(other, used.get(vocab, ()))]
        else:
            values = [[str(t), ctx.plain(term["label"])] for t, term in site.cat.vocab[vocab].items()
                      if str(t) in used.get(vocab, ())]
        if values:
            out.append({"name": vocab, "label": ctx.ui[f"facets.{vocab}"], "values": values})
    return out
