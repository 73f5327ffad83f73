"""The statistics page: records by programme, period, status, theme, country, region and SDG, and
partners per project, as bar charts drawn here as inline SVG, each followed by a table of its numbers.
Records that give no value for a one-value field (a project naming no programme) are never a bar: a
note under the chart says how many they are ("3 of 10 projects name no programme").

Counts are computed once per build (language-independent) and labelled per language. The charts use
only CSS classes (overrides/assets/portal/portal.css), so they follow Material's light and dark
palettes; their labels are HTML text of a fixed size (bar_chart); no script, no library.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from markupsafe import Markup

from ..model import schema as S
from ..escape import html
from ..model.values import as_list
from ..write import Page
from . import model as M

NONE = ""  # the count of records that do not give a value (single-valued fields): a note, not a bar


@dataclass
class Dimension:
    key: str  # locale key under statistics.dimensions and the section id
    vocab: str | None  # vocabulary of the values (None: numbers, e.g. partners per project)
    fields: dict[str, str]  # record kind -> field
    single: bool  # one value per record (counts the records that give none, for the note)
    records: str | None = None  # the values are slugs of records of this kind, not vocabulary ids


DIMENSIONS = [
    Dimension("programmes", None, {"project": "programme"}, True, records="programme"),
    Dimension("periods", "programme-periods", {"project": "programme_period"}, True),
    Dimension("statuses", "statuses", {"project": "status"}, True),
    Dimension("themes", "themes", {"project": "themes", "playbook": "themes", "event": "themes"}, False),
    Dimension("countries", "countries", {"project": "countries", "organization": "country",
                                         "event": "countries"}, False),
    Dimension("regions", "regions", {"project": "regions", "event": "regions"}, False),
    Dimension("sdgs", "sdgs", {"project": "sdgs", "playbook": "sdgs", "event": "sdgs"}, False),
]


def counts(site) -> dict:
    """{key: {kind: Counter(value -> records)}} plus "kinds" and "partners"; one pass per kind."""
    cache = site.__dict__.get("_export_stats")
    if cache is not None:
        return cache
    out: dict = {d.key: {kind: Counter() for kind in d.fields} for d in DIMENSIONS}
    out["kinds"] = {kind: len(site.cat.records[kind]) for kind in S.KINDS}
    partners: Counter = Counter()
    for kind in S.KINDS:
        wanted = [(d, d.fields[kind]) for d in DIMENSIONS if kind in d.fields]
        for rec in site.cat.records[kind].values():
            data = rec.data
            for d, fieldname in wanted:
                values = as_list(data.get(fieldname))
                for v in dict.fromkeys(values):
                    out[d.key][kind][v] += 1
                if d.single and not values:
                    out[d.key][kind][NONE] += 1
            if kind == "project":
                partners[len(as_list(data.get("partners")))] += 1
    out["partners"] = partners
    site.__dict__["_export_stats"] = out
    return out


def table_rows(site, d: Dimension, lang: str) -> list[dict]:
    """[{"id", "label", "by_kind": {kind: n}, "total"}] in vocabulary (or reading) order; unused
    values left out, and so are the records that give none (not_given())."""
    c = counts(site)[d.key]
    if d.records:
        order = site.sorted_slugs(d.records)
        title = S.KINDS[d.records].title_field
    else:
        order = list(site.cat.vocab[d.vocab])
    rows = []
    for term in order:
        by_kind = {kind: c[kind][term] for kind in d.fields}
        total = sum(by_kind.values())
        if total:
            if d.records:
                label = M.text(site.cat.records[d.records][term].data[title], lang)
            else:
                label = M.label(site, d.vocab, term, lang)
            if d.vocab == "sdgs":
                label = f"{term}. {label}"
            rows.append({"id": term, "label": label, "by_kind": by_kind, "total": total})
    return rows


def not_given(site, d: Dimension, lang: str) -> str:
    """The note under a one-value chart: how many records give no value, of how many; "" when all do."""
    if not d.single:
        return ""
    missing = sum(counts(site)[d.key][kind][NONE] for kind in d.fields)
    if not missing:
        return ""
    total = sum(counts(site)["kinds"][kind] for kind in d.fields)
    return site.ui[lang][f"statistics.not_given_notes.{d.key}"].format(n=missing, total=total)


def partner_rows(site, lang: str) -> list[dict]:
    hist = counts(site)["partners"]
    return [{"id": n, "label": str(n), "by_kind": {"project": hist[n]}, "total": hist[n]}
            for n in range(0, max(hist, default=-1) + 1)]


def bar_chart(rows: list[dict], title: str, chart_id: str) -> Markup:
    """A horizontal bar chart: each row's label above its bar, the number after the bar.

    The labels and numbers are HTML text at the page's size (portal.css, .portal-chart__label): an
    SVG's text would scale with the drawing (too large on a wide screen, too small and cut on a
    phone), while HTML text keeps its size and wraps at word boundaries, never cut. Each bar is a
    small SVG whose width attribute is its share of the row (a presentation attribute, allowed by the
    Content-Security-Policy where an inline style is not); the longest bar takes 85 % of the row,
    leaving room for its number."""
    top = max((r["total"] for r in rows), default=0) or 1
    parts = [f'<div class="portal-chart__bars" id="{html(chart_id)}" role="img" aria-label="{html(title)}">']
    for r in rows:
        share = max(round(85 * r["total"] / top, 1), 0.5)
        parts.append(f'<div class="portal-chart__row"><span class="portal-chart__label">{html(r["label"])}</span>'
                     f'<span class="portal-chart__line"><svg class="portal-chart__bar" width="{share:g}%" height="14" '
                     f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
                     f'<rect width="100%" height="100%" rx="2"/></svg>'
                     f'<span class="portal-chart__value">{r["total"]}</span></span></div>')
    parts.append("</div>")
    return Markup("".join(parts))


def statistics_pages(site, lang: str) -> Iterable[Page]:
    ui = site.ui[lang]
    sections = []
    for d in DIMENSIONS:
        rows = table_rows(site, d, lang)
        title = ui[f"statistics.dimensions.{d.key}"]
        sections.append({"id": d.key, "title": title, "kinds": list(d.fields), "rows": rows,
                         "chart": bar_chart(rows, title, f"chart-{d.key}"), "note": not_given(site, d, lang)})
    rows = partner_rows(site, lang)
    title = ui["statistics.dimensions.partners"]
    sections.append({"id": "partners", "title": title, "kinds": ["project"], "rows": rows,
                     "chart": bar_chart(rows, title, "chart-partners"), "note": "",
                     "value_label": ui["statistics.partners_column"]})
    kinds = counts(site)["kinds"]

    def meta(ctx):
        return {"title": ctx.ui["statistics.title"], "description": ctx.ui["statistics.description"],
                "portal": {"kind": "statistics"}}
    yield site.render("statistics.md.j2", lang, "statistics.md", "data/", meta, sections=sections,
                      kinds=kinds, total=sum(kinds.values()))
