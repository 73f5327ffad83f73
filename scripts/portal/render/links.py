"""Links between records, both ways, computed once for all languages: which projects an
organization took part in, which events a project had, which projects a programme funded and which
programmes succeed it, which records carry a vocabulary term."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model.validate import Catalogue
from ..model.values import as_list


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


def compute_links(cat: Catalogue) -> Links:
    links = Links()
    for kind, add in LINKS_FROM.items():  # in this order: each list keeps the records' order
        for slug, rec in cat.records[kind].items():
            add(links, slug, rec.data)
    for kind, pairs in FACET_FIELDS.items():
        for slug, rec in cat.records[kind].items():
            for vocab, fieldname in pairs:
                for term in as_list(rec.data.get(fieldname)):
                    links.facet[(vocab, term)][kind].append(slug)
    return links


def _from_project(links: Links, slug: str, d: dict) -> None:
    """Its partners' projects, its parent's parts, its programme's projects."""
    for partner in as_list(d.get("partners")):
        links.org_projects[partner["organization"]].append((slug, partner["role"]))
    if d.get("part_of"):
        links.project_children[d["part_of"]].append(slug)
    if d.get("programme"):
        links.programme_projects[d["programme"]].append(slug)


def _from_event(links: Links, slug: str, d: dict) -> None:
    """Each organization once, in its first role (organizer, speaker, participant); the projects it
    concerns; its parent event's parts."""
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


def _from_playbook(links: Links, slug: str, d: dict) -> None:
    """The playbooks that cite a project or an organization as an example."""
    for project in as_list(d.get("example_projects")):
        links.project_playbooks[project].append(slug)
    for org in as_list(d.get("example_organizations")):
        links.org_playbooks[org].append(slug)


def _from_organization(links: Links, slug: str, d: dict) -> None:
    """A network's members, a parent organization's units."""
    for network in as_list(d.get("member_of")):
        links.org_members[network].append(slug)
    if d.get("parent"):
        links.org_units[d["parent"]].append(slug)


def _from_programme(links: Links, slug: str, d: dict) -> None:
    """A programme's successors, the programmes an organization manages."""
    for earlier in as_list(d.get("follows")):
        links.programme_successors[earlier].append(slug)
    if d.get("managing_body"):
        links.org_programmes[d["managing_body"]].append(slug)


# The reverse references each kind of record makes, one function per kind.
LINKS_FROM = {"project": _from_project, "event": _from_event, "playbook": _from_playbook,
              "organization": _from_organization, "programme": _from_programme}


def russian_ties(site, data: dict) -> bool:
    """Whether a project names Russia: a Russian partner, a region of Russia or Russia among its
    countries (a project without a programme then shows the notice of March 2022's suspension)."""
    regions = site.cat.vocab["regions"]
    orgs = site.cat.records["organization"]
    return ("ru" in as_list(data.get("countries"))
            or any(regions.get(r, {}).get("country") == "ru" for r in as_list(data.get("regions")))
            or any(orgs[p["organization"]].data.get("country") == "ru" for p in as_list(data.get("partners"))))
