"""Lists of linked records that stay bounded: a topic's records, an organization's projects,
events, … and a programme's projects show their first rows on the topic or record page, the rest on <page>/page/2/, … .

One sequence of rows, grouped in sections (projects, then events, …), is cut into pages: the owner's
own page holds FIRST_ROWS rows (it also has its own text), every later page PAGE_ROWS, like a
catalogue page. Each page says which rows of each section it shows ("Projects: 21–70 of 812"), and
the pager is the catalogue's (pager() here, the same markup and page/N/ addresses), so the links work
without JavaScript. Later pages are not searched: the records rank by their own pages.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import schema as S
from ..paths import paged_path
from .context import ui_key

PAGE_SIZE = 50  # rows per catalogue page (pages/catalogue.py) and per later page of a list
NEIGHBOURS = 2  # page links either side of the current one
FIRST_ROWS = 20  # rows on the owner's own page
PAGE_ROWS = PAGE_SIZE  # rows on each later page


def pager(number: int, count: int) -> list[int | None]:
    """The page numbers to link from page `number` of `count`; None marks a gap (…)."""
    shown = {1, count, *range(max(1, number - NEIGHBOURS), min(count, number + NEIGHBOURS) + 1)}
    out: list[int | None] = []
    for n in sorted(shown):
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


@dataclass(frozen=True)
class Section:
    """One kind of linked record: its rows in reading order, each (slug, role or None)."""

    id: str  # anchor on the page: "list-projects"
    title: str  # ui key of the heading
    kind: str  # record kind of the rows
    rows: list[tuple]
    roles: str = ""  # how a row's role is named: "partner-roles" (vocabulary), "event_roles" (ui)


@dataclass
class Part:
    """The rows of one section shown on one page; first is the 1-based number of its first row."""

    section: Section
    first: int
    rows: list[tuple]

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    @property
    def whole(self) -> bool:
        return len(self.rows) == len(self.section.rows)


@dataclass
class ListingPage:
    owner: str  # docs-relative path of the owner's page (page 1)
    number: int
    count: int
    parts: list[Part]
    starts: dict[str, int] = field(default_factory=dict)  # section id -> page it starts on
    sections: list[Section] = field(default_factory=list)

    @property
    def path(self) -> str:
        return paged_path(self.owner, self.number)

    def page_path(self, number: int) -> str:
        return paged_path(self.owner, number)

    @property
    def pager(self) -> list[int | None]:
        return pager(self.number, self.count)


def page_count(total: int) -> int:
    return 1 if total <= FIRST_ROWS else 1 + -(-(total - FIRST_ROWS) // PAGE_ROWS)


def bounds(number: int) -> tuple[int, int]:
    """Rows [start, end) of the whole sequence on page `number`."""
    if number == 1:
        return 0, FIRST_ROWS
    start = FIRST_ROWS + (number - 2) * PAGE_ROWS
    return start, start + PAGE_ROWS


def paginate(owner: str, sections: list[Section]) -> list[ListingPage]:
    """Every page of the list (at least the owner's own page, possibly with no rows)."""
    sections = [s for s in sections if s.rows]
    total = sum(len(s.rows) for s in sections)
    count = page_count(total)
    starts, offset = {}, 0
    for s in sections:
        starts[s.id] = next(n for n in range(1, count + 1) if bounds(n)[1] > offset)
        offset += len(s.rows)
    pages = []
    for number in range(1, count + 1):
        start, end = bounds(number)
        parts, offset = [], 0
        for s in sections:
            lo, hi = max(start, offset), min(end, offset + len(s.rows))
            if lo < hi:
                parts.append(Part(s, lo - offset + 1, s.rows[lo - offset:hi - offset]))
            offset += len(s.rows)
        pages.append(ListingPage(owner, number, count, parts, starts, sections))
    return pages


def record_sections(site, kind: str, slug: str) -> list[Section]:
    """The records that link to this one (its reverse links), in reading order, per kind."""
    links = site.links
    if kind == "organization":
        roles = dict(links.org_projects.get(slug, []))  # one role per project: partners are unique
        event_roles = dict(links.org_events.get(slug, []))
        return [
            Section("list-members", ui_key("sections.members"), "organization",
                    [(s, None) for s in site.sorted_slugs("organization", links.org_members.get(slug, []))]),
            Section("list-units", ui_key("sections.units"), "organization",
                    [(s, None) for s in site.sorted_slugs("organization", links.org_units.get(slug, []))]),
            Section("list-projects", ui_key("sections.projects"), "project",
                    [(s, roles[s]) for s in site.sorted_slugs("project", roles)], "partner-roles"),
            Section("list-events", ui_key("sections.events"), "event",
                    [(s, event_roles[s]) for s in site.sorted_slugs("event", event_roles)], "event_roles"),
            Section("list-playbooks", ui_key("sections.playbooks"), "playbook",
                    [(s, None) for s in site.sorted_slugs("playbook", links.org_playbooks.get(slug, []))]),
            Section("list-programmes", "sections.managed_programmes", "programme",
                    [(s, None) for s in site.sorted_slugs("programme", links.org_programmes.get(slug, []))]),
        ]
    if kind == "programme":
        return [Section("list-projects", "sections.programme_projects", "project",
                        [(s, None) for s in site.sorted_slugs("project", links.programme_projects.get(slug, []))])]
    return []


def term_sections(site, vocab: str, term) -> list[Section]:
    """The records that carry a vocabulary term, per kind in catalogue order."""
    found = site.links.facet.get((vocab, term), {})
    return [Section(f"list-{S.KINDS[kind].folder}", ui_key(f"catalogue.{S.KINDS[kind].folder}.title"), kind,
                    [(s, None) for s in site.sorted_slugs(kind, found.get(kind, []))])
            for kind in S.KINDS]
