"""schema.org JSON-LD, one builder per page kind, with texts in the page's language.

A programme is a schema.org FundingScheme (an Organization: "EU Framework 7 (FP7); Horizon 2020"
are schema.org's own examples), and a project names its programme as a funder.

The object goes into the page's front matter as plain data; the theme partial
(overrides/partials/portal/jsonld.html) adds the page's own address as `@id` (and `url` where the
object has none) and prints it with the JSON-in-<script> encoder (escape.json_script). The home
page's WebSite object is the partial's own (the home page is hand-written).

What each type carries, and why (tests/pipeline/test_jsonld.py holds the required properties with
their sources):
- Event (Google's event rich results: name, startDate, location; location a Place with an address,
  or a VirtualLocation with a url): dates, a Place from the record's place, region and country,
  organizer, superEvent (part_of), performer, and eventAttendanceMode only where the record tells it
  (attendance_mode below). eventStatus is left out: no field of an event record says it.
- Project (schema.org: a subtype of Organization, "use properties from Organization ...
  parentOrganization to indicate project sub-structures"): funder (the programme, a FundingScheme,
  and partners in the role funder), member (the other partners), foundingDate/dissolutionDate
  (start/end), parentOrganization (part_of), areaServed.
- Organization: url and sameAs (its website), address (city, region, country), parentOrganization, memberOf.
- FundingScheme (a programme page): alternateName, url (its website), dates, areaServed (its
  countries and the portal's regions in its area), the managing body as its parentOrganization.
- ItemList (Google's carousel "summary page": itemListElement of ListItem with position and url): a
  catalogue page's rows, in the order the page shows them, positions counted across the catalogue.
References to other records carry the record page's absolute address as `@id`, so that a reader of
the data can join them; addresses come from site_address.py. To add a page kind: a builder below and
one line in RECORDS.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from .. import languages, site_address
from ..model import schema as S
from ..model.validate import Record
from ..paths import page_url, record_path
from ..model.values import as_list

if TYPE_CHECKING:
    from .context import PageContext
    from .site import Site

SCHEMA = "https://schema.org"


def _iso(value) -> str | None:
    parts = S.parse_date(value)
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) if parts else None


def address_of(site: Site, ctx: PageContext, md_path: str) -> str:
    """The absolute address of a generated page (docs-relative Markdown path) in the page's language."""
    url = page_url(md_path)
    return site_address.absolute(site.root, languages.registry().prefix(ctx.lang) + ("" if url == "." else url + "/"))


def _record_ref(site: Site, ctx: PageContext, kind: str, slug: str, schema_type: str) -> dict:
    ref = {"@type": schema_type, "@id": address_of(site, ctx, record_path(kind, slug)),
           "name": ctx.plain(site.cat.records[kind][slug].data[S.KINDS[kind].title_field])}
    website = site.cat.records[kind][slug].data.get("website")
    ref["url"] = website or ref["@id"]
    return ref


def _org(site: Site, ctx: PageContext, slug: str) -> dict:
    return _record_ref(site, ctx, "organization", slug, "Organization")


def _postal_address(site: Site, ctx: PageContext, locality: str | None, regions, countries) -> dict | None:
    """A PostalAddress from what the record gives; a region or country only when it names one."""
    regions, countries = as_list(regions), as_list(countries)
    out = {"@type": "PostalAddress", "addressLocality": locality or None,
           "addressRegion": ctx.plain(site.cat.vocab["regions"][regions[0]]["label"]) if len(regions) == 1 else None,
           "addressCountry": str(countries[0]).upper() if len(countries) == 1 else None}
    return out if any(v for k, v in out.items() if k != "@type") else None


# --- attendance mode ------------------------------------------------------------------------------

ONLINE_WORDS = {"online", "virtual", "webinar"}
_PARTS = re.compile(r"\s*(?:,|;|/|&|\band\b|\bor\b|\+)\s*", re.I)


def attendance_mode(data: dict) -> str | None:
    """eventAttendanceMode from the record's English place (English is always there): a place that is
    only "online" is Online, a place and "online" ("St. Petersburg and online") Mixed, a place
    without it Offline (a venue or city is named). Without a place the record cannot tell, and the
    property is left out. The event-formats vocabulary (panel, conference, meeting, session, forum)
    says nothing about attendance, so the format does not decide it."""
    place = data.get("place")
    english = (place.get(S.SOURCE_LANG) if isinstance(place, dict) else place) or ""
    parts = [p.strip().casefold() for p in _PARTS.split(str(english)) if p.strip()]
    if not parts:
        return None
    online = [p in ONLINE_WORDS for p in parts]
    mode = "Online" if all(online) else "Mixed" if any(online) else "Offline"
    return f"{SCHEMA}/{mode}EventAttendanceMode"


# --- builders per page kind ----------------------------------------------------------------------

def _organization(site: Site, ctx: PageContext, rec: Record) -> dict:
    d = rec.data
    address = _postal_address(site, ctx, ctx.plain(d.get("city")), [d["region"]] if d.get("region") else None,
                              [d["country"]] if d.get("country") else [])
    return {"@type": "Organization", "name": ctx.plain(d["name"]), "alternateName": d.get("short_name"),
            "url": d.get("website"), "sameAs": [d["website"]] if d.get("website") else None,
            "description": ctx.plain(d.get("description")) or None, "address": address,
            "parentOrganization": _org(site, ctx, d["parent"]) if d.get("parent") else None,
            "memberOf": [_org(site, ctx, o) for o in as_list(d.get("member_of"))] or None}


def _programme(site: Site, ctx: PageContext, slug: str) -> dict:
    """A funding programme as schema.org's FundingScheme (an Organization: a valid `funder`)."""
    return _record_ref(site, ctx, "programme", slug, "FundingScheme")


def _programme_page(site: Site, ctx: PageContext, rec: Record) -> dict:
    d = rec.data
    regions, countries = site.cat.vocab["regions"], site.cat.vocab["countries"]
    return {"@type": "FundingScheme", "name": ctx.plain(d["title"]),
            "alternateName": ([str(d["acronym"])] if d.get("acronym") else [])
            + [str(a) for a in as_list(d.get("aliases"))] or None,
            "description": ctx.plain(d["summary"]), "url": d.get("website"),
            "sameAs": [d["website"]] if d.get("website") else None,
            "foundingDate": _iso(d.get("start")), "dissolutionDate": _iso(d.get("end")),
            "parentOrganization": _org(site, ctx, d["managing_body"]) if d.get("managing_body") else None,
            "areaServed": [{"@type": "Country", "name": ctx.plain(countries[c]["label"])}
                           for c in as_list(d.get("countries"))]
            + [{"@type": "AdministrativeArea", "name": ctx.plain(regions[r]["label"])}
               for r in as_list(d.get("regions"))] or None}


def _project(site: Site, ctx: PageContext, rec: Record) -> dict:
    d = rec.data
    partners = as_list(d.get("partners"))
    funders = ([_programme(site, ctx, d["programme"])] if d.get("programme") else []) + \
        [_org(site, ctx, p["organization"]) for p in partners if p["role"] == "funder"]
    return {"@type": "Project", "name": ctx.plain(d["title"]), "alternateName": d.get("acronym"),
            "description": ctx.plain(d["summary"]), "url": d.get("website"),
            "foundingDate": _iso(d.get("start")), "dissolutionDate": _iso(d.get("end")),
            "funder": funders or None,
            "member": [_org(site, ctx, p["organization"]) for p in partners if p["role"] != "funder"] or None,
            "parentOrganization": _record_ref(site, ctx, "project", d["part_of"], "Project")
            if d.get("part_of") else None,
            "areaServed": [{"@type": "AdministrativeArea", "name": ctx.plain(site.cat.vocab["regions"][r]["label"])}
                           for r in as_list(d.get("regions"))] or None}


def _event(site: Site, ctx: PageContext, rec: Record) -> dict:
    d = rec.data
    place = ctx.plain(d.get("place")) or None
    address = _postal_address(site, ctx, None, d.get("regions"), d.get("countries"))
    mode = attendance_mode(d)
    # A Place where something physical is known; an online-only event would need a VirtualLocation
    # with the address to attend, which no record gives, so it gets no location rather than a guess.
    # schema.org's address may be a text: the place as the source gives it, where no region or
    # country of the record gives a PostalAddress.
    location = ({"@type": "Place", "name": place, "address": address or place}
                if (place or address) and not (mode and mode.endswith("/OnlineEventAttendanceMode")) else None)
    return {"@type": "Event", "name": ctx.plain(d["title"]), "description": ctx.plain(d["summary"]),
            "startDate": _iso(d.get("date")), "endDate": _iso(d.get("end_date")),
            "eventAttendanceMode": mode, "location": location,
            "organizer": [_org(site, ctx, o) for o in as_list(d.get("organizers"))] or None,
            "superEvent": _record_ref(site, ctx, "event", d["part_of"], "Event") if d.get("part_of") else None,
            "performer": [{"@type": "Person", "name": ctx.plain(s["name"])}
                          for s in as_list(d.get("speakers"))] or None,
            "inLanguage": ctx.lang}


RECORDS: dict[str, Callable[[Site, PageContext, Record], dict]] = {
    "organization": _organization, "project": _project, "event": _event, "programme": _programme_page,
}


def json_ld(site: Site, ctx: PageContext, kind: str, rec: Record) -> dict | None:
    """The JSON-LD of a record page, or None for a kind without one (playbook entries)."""
    build = RECORDS.get(kind)
    return _prune({"@context": SCHEMA, **build(site, ctx, rec)}) if build else None


def item_list(site: Site, ctx: PageContext, kind: str, slugs: list[str], first: int, name: str) -> dict:
    """A catalogue page's rows as an ItemList (positions from `first`, as the page numbers them)."""
    title = S.KINDS[kind].title_field
    return _prune({"@context": SCHEMA, "@type": "ItemList", "name": name, "numberOfItems": len(slugs),
                   "itemListElement": [{"@type": "ListItem", "position": first + i,
                                        "url": address_of(site, ctx, record_path(kind, slug)),
                                        "name": ctx.plain(site.cat.records[kind][slug].data[title])}
                                       for i, slug in enumerate(slugs)]})


def _prune(value):
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
