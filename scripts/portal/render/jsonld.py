"""schema.org JSON-LD for project, organization, event and programme pages, with texts in the page's
language. A programme is a schema.org FundingScheme (an Organization: "EU Framework 7 (FP7);
Horizon 2020" are schema.org's own examples), and a project names its programme as a funder.

The object goes into the page's front matter as plain data; the theme partial prints it with the
JSON-in-<script> encoder (escape.json_script)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import schema as S
from ..model.validate import Record
from .links import as_list

if TYPE_CHECKING:
    from .context import PageContext
    from .site import Site


def _iso(value) -> str | None:
    parts = S.parse_date(value)
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) if parts else None


def json_ld(site: Site, ctx: PageContext, kind: str, rec: Record) -> dict | None:
    d = rec.data
    lang = ctx.lang
    if kind == "organization":
        out = {"@context": "https://schema.org", "@type": "Organization", "name": ctx.plain(d["name"]),
               "alternateName": d.get("short_name"), "url": d.get("website"),
               "description": ctx.plain(d.get("description")) or None,
               "address": {"@type": "PostalAddress", "addressLocality": ctx.plain(d.get("city")) or None,
                           "addressRegion": ctx.plain(site.cat.vocab["regions"][d["region"]]["label"])
                           if d.get("region") else None,
                           "addressCountry": str(d["country"]).upper()} if d.get("country") else None,
               "memberOf": [{"@type": "Organization", "name": ctx.name("organization", o)}
                            for o in as_list(d.get("member_of"))] or None}
    elif kind == "project":
        out = {"@context": "https://schema.org", "@type": "Project", "name": ctx.plain(d["title"]),
               "alternateName": d.get("acronym"), "description": ctx.plain(d["summary"]),
               "url": d.get("website"), "foundingDate": _iso(d.get("start")),
               "dissolutionDate": _iso(d.get("end")),
               "funder": ([{"@type": "FundingScheme", "name": ctx.name("programme", d["programme"])}]
                          if d.get("programme") else [])
                         + [{"@type": "Organization", "name": ctx.name("organization", p["organization"])}
                            for p in as_list(d.get("partners")) if p["role"] == "funder"] or None,
               "member": [{"@type": "Organization", "name": ctx.name("organization", p["organization"])}
                          for p in as_list(d.get("partners")) if p["role"] != "funder"] or None,
               "areaServed": [ctx.plain(site.cat.vocab["regions"][r]["label"])
                              for r in as_list(d.get("regions"))] or None}
    elif kind == "event":
        out = {"@context": "https://schema.org", "@type": "Event", "name": ctx.plain(d["title"]),
               "description": ctx.plain(d["summary"]), "startDate": _iso(d.get("date")),
               "endDate": _iso(d.get("end_date")),
               "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
               "location": {"@type": "Place", "name": ctx.plain(d.get("place"))} if d.get("place") else None,
               "organizer": [{"@type": "Organization", "name": ctx.name("organization", o)}
                             for o in as_list(d.get("organizers"))] or None,
               "performer": [{"@type": "Person", "name": ctx.plain(s["name"])}
                             for s in as_list(d.get("speakers"))] or None}
    elif kind == "programme":
        regions = site.cat.vocab["regions"]
        out = {"@context": "https://schema.org", "@type": "FundingScheme", "name": ctx.plain(d["title"]),
               "alternateName": ([str(d["acronym"])] if d.get("acronym") else []) + [str(a) for a in as_list(d.get("aliases"))] or None,
               "description": ctx.plain(d["summary"]), "url": d.get("website"),
               "foundingDate": _iso(d.get("start")), "dissolutionDate": _iso(d.get("end")),
               "areaServed": [{"@type": "Country", "name": ctx.plain(site.cat.vocab["countries"][c]["label"])}
                              for c in as_list(d.get("countries"))]
                             + [{"@type": "AdministrativeArea", "name": ctx.plain(regions[r]["label"])}
                                for r in as_list(d.get("regions"))] or None}
    else:
        return None
    out["inLanguage"] = lang
    return _prune(out)


def _prune(value):
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
