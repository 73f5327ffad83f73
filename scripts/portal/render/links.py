"""Links between records, both ways, computed once for all languages: which projects an
organization took part in, which events a project had, which projects a programme funded and which
programmes succeed it, which records carry a vocabulary term."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model.validate import Catalogue


@dataclass
class Links:
    """Reverse references, computed once for all languages."""

    org_projects: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    org_events: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    org_playbooks: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    org_members: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    org_units: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    project_children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    project_events: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    project_playbooks: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    event_children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    programme_projects: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    programme_successors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    org_programmes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # managed
    facet: dict[tuple[str, Any], dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))  # (vocab, id) -> kind -> slugs


# Which record fields carry which browsable vocabulary.
# Also the filters of each catalogue, in this order.
FACET_FIELDS: dict[str, list[tuple[str, str]]] = {
    "project": [("statuses", "status"), ("themes", "themes"),
                ("regions", "regions"), ("countries", "countries"), ("sdgs", "sdgs")],
    "playbook": [("business-models", "business_model"), ("themes", "themes"), ("sdgs", "sdgs")],
    "organization": [("organization-types", "type"), ("countries", "country"), ("regions", "region")],
    "event": [("themes", "themes"), ("regions", "regions"), ("countries", "countries"),
              ("sdgs", "sdgs")],
    "programme": [("programme-types", "type"), ("statuses", "status"), ("regions", "regions"),
                  ("countries", "countries")],
}


def as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def compute_links(cat: Catalogue) -> Links:
    links = Links()
    for slug, rec in cat.records["project"].items():
        for partner in as_list(rec.data.get("partners")):
            links.org_projects[partner["organization"]].append((slug, partner["role"]))
        if rec.data.get("part_of"):
            links.project_children[rec.data["part_of"]].append(slug)
        if rec.data.get("programme"):
            links.programme_projects[rec.data["programme"]].append(slug)
    for slug, rec in cat.records["event"].items():
        d = rec.data
        roles = [(o, "organizer") for o in as_list(d.get("organizers"))]
        roles += [(s["organization"], "speaker") for s in as_list(d.get("speakers")) if s.get("organization")]
        roles += [(o, "participant") for o in as_list(d.get("related_organizations"))]
        seen = set()
        for org, role in roles:
            if org not in seen:
                links.org_events[org].append((slug, role))
                seen.add(org)
        for project in as_list(d.get("related_projects")):
            links.project_events[project].append(slug)
        if d.get("part_of"):
            links.event_children[d["part_of"]].append(slug)
    for slug, rec in cat.records["playbook"].items():
        for project in as_list(rec.data.get("example_projects")):
            links.project_playbooks[project].append(slug)
        for org in as_list(rec.data.get("example_organizations")):
            links.org_playbooks[org].append(slug)
    for slug, rec in cat.records["organization"].items():
        for network in as_list(rec.data.get("member_of")):
            links.org_members[network].append(slug)
        if rec.data.get("parent"):
            links.org_units[rec.data["parent"]].append(slug)
    for slug, rec in cat.records["programme"].items():
        for earlier in as_list(rec.data.get("follows")):
            links.programme_successors[earlier].append(slug)
        if rec.data.get("managing_body"):
            links.org_programmes[rec.data["managing_body"]].append(slug)
    for kind, pairs in FACET_FIELDS.items():
        for slug, rec in cat.records[kind].items():
            for vocab, fieldname in pairs:
                for term in as_list(rec.data.get(fieldname)):
                    links.facet[(vocab, term)][kind].append(slug)
    return links


def russian_ties(site, data: dict) -> bool:
    """Whether a project names Russia: a Russian partner, a region of Russia or Russia among its
    countries (a project without a programme then shows the notice of March 2022's suspension)."""
    regions = site.cat.vocab["regions"]
    orgs = site.cat.records["organization"]
    return ("ru" in as_list(data.get("countries"))
            or any(regions.get(r, {}).get("country") == "ru" for r in as_list(data.get("regions")))
            or any(orgs[p["organization"]].data.get("country") == "ru" for p in as_list(data.get("partners"))))
