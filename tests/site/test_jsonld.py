"""schema.org JSON-LD of each page kind on the built site (issue 20), checked against the properties
the rules require of its type, in all three languages; and the record facts each object must carry.

REQUIRED is the rule table: for each type the properties that must be there, and where the rule comes
from. schema.org itself requires no property of any type; the requirements are those of Google's
rich results, the strictest common consumer, and, for types Google shows nothing for (Project), the
properties issue 20 asks for wherever the record gives them (checked per record below).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from portal.render.jsonld import attendance_mode
from portal.site_address import site_root
from portal_testing import ROOT

GOOGLE = "https://developers.google.com/search/docs/appearance/structured-data/"
REQUIRED = {
    # Event rich results, "Required properties": name, startDate, location; a physical location is a
    # Place whose address is required, an online one a VirtualLocation whose url is required.
    "Event": (("name", "startDate", "location"), GOOGLE + "event"),
    "Place": (("address",), GOOGLE + "event (location.address)"),
    "VirtualLocation": (("url",), GOOGLE + "event (location.url)"),
    # Site names: a WebSite object on the home page with name and url.
    "WebSite": (("name", "url"), "https://developers.google.com/search/docs/appearance/site-names"),
    # Carousel, summary page: an ItemList whose itemListElement are ListItems with position and url.
    "ItemList": (("itemListElement",), GOOGLE + "carousel"),
    "ListItem": (("position", "url"), GOOGLE + "carousel"),
    # Organization: Google lists no required property (name, url, sameAs, address are recommended);
    # a nameless organization is no use to anyone.
    "Organization": (("name",), GOOGLE + "organization"),
    "FundingScheme": (("name",), "https://schema.org/FundingScheme (an Organization)"),
    # Project: https://schema.org/Project, a subtype of Organization; no rich result. Issue 20: funder,
    # dates and member links where the record gives them (test_project_and_organization_facts).
    "Project": (("name",), "https://schema.org/Project"),
    "Person": (("name",), "https://schema.org/Person"),
    "PostalAddress": ((), "https://schema.org/PostalAddress"),
    "AdministrativeArea": (("name",), "https://schema.org/AdministrativeArea"),
}
# Types whose schema.org definition has inLanguage (CreativeWork and Event); the others must not.
WITH_LANGUAGE = {"Event", "WebSite"}
PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}
KINDS = {"projects": "Project", "organizations": "Organization", "events": "Event"}
_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _objects(page: Path) -> list[dict]:
    return [json.loads(m) for m in _LD.findall(page.read_text(encoding="utf-8"))]


def _walk(node, path="$"):
    """Every typed object inside a JSON-LD value, with where it is."""
    if isinstance(node, dict):
        if "@type" in node:
            yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def _pages(real_site: Path) -> dict[str, list[tuple[str, Path]]]:
    """Pages by kind: home, catalogue (first page of each), record pages of each kind; per language."""
    out: dict[str, list[tuple[str, Path]]] = {"home": [], "catalogue": [], **{k: [] for k in KINDS}}
    for lang, prefix in PREFIX.items():
        root = real_site / prefix
        out["home"].append((lang, root / "index.html"))
        for folder in (*KINDS, "playbooks"):
            out["catalogue"].append((lang, root / folder / "index.html"))
        for folder in KINDS:
            out[folder] += [(lang, p / "index.html") for p in sorted((root / folder).iterdir())
                            if (p / "index.html").is_file() and p.name != "page"
                            and 'http-equiv="refresh"' not in (p / "index.html").read_text(encoding="utf-8")]
    return out


def _check_required(obj: dict, where: str, base: str) -> list[str]:
    """The rules for the page's object and everything it embeds. A nested object with the `@id` of
    another page of the site is a reference to the object that page describes (and is checked
    there): it needs its name only."""
    problems = []
    for path, node in _walk(obj):
        kind = node["@type"]
        assert kind in REQUIRED, f"{where} {path}: a type with no rule in REQUIRED: {kind}"
        needed, source = REQUIRED[kind]
        if path != "$" and node.get("@id", "").startswith(base):
            needed = ("name", "@id")
        problems += [f"{where} {path}: {kind} without {p} ({source})" for p in needed if not node.get(p)]
        if "inLanguage" in node and kind not in WITH_LANGUAGE:
            problems.append(f"{where} {path}: schema.org defines no inLanguage for {kind}")
    return problems


def test_every_page_kind_carries_json_ld_with_the_required_properties(real_site: Path):
    base = site_root(ROOT)
    problems = []
    for kind, pages in _pages(real_site).items():
        assert pages, kind
        for lang, page in pages:
            objects = _objects(page)
            where = page.relative_to(real_site).as_posix()
            assert len(objects) == 1, f"{where}: one JSON-LD object, not {len(objects)}"
            obj = objects[0]
            assert obj["@context"] == "https://schema.org", where
            expected = {"home": "WebSite", "catalogue": "ItemList"}.get(kind) or KINDS[kind]
            assert obj["@type"] == expected, where
            assert obj["@id"] == base + PREFIX[lang] + where.removeprefix(PREFIX[lang]).removesuffix("index.html")
            if expected in WITH_LANGUAGE:
                assert obj["inLanguage"] == lang, where
            problems += _check_required(obj, where, base)
            # Every reference to another page of the site leads to a page that was built.
            for path, node in _walk(obj):
                ref = node.get("@id", "")
                if ref.startswith(base):
                    assert (real_site / ref[len(base):] / "index.html").is_file(), f"{where} {path}: {ref}"
    assert not problems, "\n".join(problems)


def _records(folder: str) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "data" / folder).glob("*.yml")}


def _record_object(real_site: Path, lang: str, folder: str, slug: str) -> dict:
    return _objects(real_site / PREFIX[lang] / folder / slug / "index.html")[0]


def test_events_carry_location_dates_organizer_parent_and_attendance_from_the_record(real_site: Path):
    base = site_root(ROOT)
    for slug, rec in _records("events").items():
        for lang in PREFIX:
            ld = _record_object(real_site, lang, "events", slug)
            assert ld["startDate"] == str(rec["date"]) and ld.get("endDate") == rec.get("end_date"), slug
            assert [o["@id"] for o in ld.get("organizer", [])] == [
                f"{base}{PREFIX[lang]}organizations/{o}/" for o in rec.get("organizers", [])], slug
            parent = ld.get("superEvent", {}).get("@id")
            assert parent == (f"{base}{PREFIX[lang]}events/{rec['part_of']}/" if rec.get("part_of") else None), slug
            # The attendance mode only where the record's place tells it.
            assert ld.get("eventAttendanceMode") == attendance_mode(rec), slug
            assert ("eventAttendanceMode" in ld) == bool(rec.get("place")), slug
            if rec.get("place") or rec.get("countries") or rec.get("regions"):
                assert ld["location"]["@type"] == "Place", slug
            if rec.get("place"):
                assert ld["location"]["name"] == (rec["place"].get(lang) or rec["place"]["en"]), slug
    forum = _record_object(real_site, "ru", "events", "strategic-planning-forum-2020")
    assert forum["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode", "St. Petersburg and online"


def test_project_and_organization_facts(real_site: Path):
    base = site_root(ROOT)
    programmes = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "data/programmes").glob("*.yml")}
    for slug, rec in _records("projects").items():
        ld = _record_object(real_site, "fi", "projects", slug)
        funders = [f["@id"] for f in ld.get("funder", [])]
        if rec.get("programme"):
            assert funders[0] == f"{base}fi/programmes/{rec['programme']}/", slug
            assert ld["funder"][0]["@type"] == "FundingScheme"
            assert ld["funder"][0]["url"] == programmes[rec["programme"]].get("website", funders[0])
        partners = rec.get("partners") or []
        assert funders[1 if rec.get("programme") else 0:] == [
            f"{base}fi/organizations/{p['organization']}/" for p in partners if p["role"] == "funder"], slug
        assert [m["@id"] for m in ld.get("member", [])] == [
            f"{base}fi/organizations/{p['organization']}/" for p in partners if p["role"] != "funder"], slug
        assert ld.get("foundingDate") == (str(rec["start"]) if rec.get("start") else None), slug
        assert ld.get("dissolutionDate") == (str(rec["end"]) if rec.get("end") else None), slug
    for slug, rec in _records("organizations").items():
        ld = _record_object(real_site, "ru", "organizations", slug)
        assert ld.get("sameAs") == ([rec["website"]] if rec.get("website") else None), slug
        address = ld.get("address", {})
        assert address.get("addressCountry") == (rec["country"].upper() if rec.get("country") else None), slug
        if rec.get("city"):
            assert address["addressLocality"] == (rec["city"].get("ru") or rec["city"]["en"]), slug


def test_catalogue_item_lists_follow_the_rows_of_the_page(real_site: Path):
    base = site_root(ROOT)
    for lang, prefix in PREFIX.items():
        for folder in (*KINDS, "playbooks"):
            page = real_site / prefix / folder / "index.html"
            rows = re.findall(r'<tr data-id="([^"]+)"', page.read_text(encoding="utf-8"))
            ld = _objects(page)[0]
            assert [i["url"] for i in ld["itemListElement"]] == [f"{base}{prefix}{folder}/{r}/" for r in rows]
            assert [i["position"] for i in ld["itemListElement"]] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize("place, mode", [
    ({"en": "St. Petersburg"}, "Offline"),
    ({"en": "Center of Import Substitution and Localization, St. Petersburg"}, "Offline"),
    ({"en": "St. Petersburg and online"}, "Mixed"),
    ({"en": "Online"}, "Online"),
    ({"en": "online / virtual"}, "Online"),
    (None, None),  # the record cannot tell: no property rather than a guess
])
def test_attendance_mode_comes_from_the_place(place, mode):
    expected = f"https://schema.org/{mode}EventAttendanceMode" if mode else None
    assert attendance_mode({"place": place} if place else {}) == expected
