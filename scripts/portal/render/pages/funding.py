"""The page "Funding and partners now" (/funding/, every language), built from the programme records
alone: the programmes whose status is ongoing, with who may take part, the programme area, the
countries, the managing body and the official address, each fact followed by the source that covers
it and the date it was read; then the programmes that ended or were not launched, with their notice;
then the others. It states nothing a record does not: no call, deadline or amount."""
from __future__ import annotations

from typing import Iterable

from ... import languages
from ..site import Page, Site
from ...model.values import as_list

PATH = "funding.md"
OPEN = ("ongoing",)
ENDED = ("closed", "not-launched")


def covering(rec: dict, field: str) -> list[dict]:
    """The record's sources whose `covers` names this field."""
    return [s for s in as_list(rec.get("sources")) if field in as_list(s.get("covers"))]


def groups(site: Site) -> dict[str, list[str]]:
    """Programme slugs in reading order: open now, ended or not launched, and the rest."""
    out: dict[str, list[str]] = {"open": [], "ended": [], "other": []}
    for slug in site.sorted_slugs("programme"):
        status = site.cat.records["programme"][slug].data.get("status")
        out["open" if status in OPEN else "ended" if status in ENDED else "other"].append(slug)
    return out


def funding_pages(site: Site, lang: str) -> Iterable[Page]:
    def meta(ctx):
        return {"title": ctx.ui["funding.title"], "description": ctx.ui["funding.description"],
                "portal": {"kind": "funding"}}
    yield site.render("funding.md.j2", lang, PATH, "data/programmes/", meta, groups=groups(site),
                      covering=covering, links=site.links,
                      plural=lambda forms, n: languages.plural(forms, n, lang))
