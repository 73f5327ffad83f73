"""Where the organizations' cities are: their points in the base map's gazetteer (geodata/baltic.json,
GeoNames cities via geodata/make_basemap.py), and a warning for every city that cannot be placed.

A city is looked up by its English name in the record (`city: {en: …}`) and the record's country,
among the GeoNames names of the gazetteer's places and the record spellings make_basemap.py matched
to them (St. Petersburg is GeoNames' Saint Petersburg). Nothing is placed by guess: a city the
gazetteer lacks, or one outside the maps' extent, is reported by `make validate` as a warning with
its file and line, and listed under the map."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..model.errors import Problem

BASEMAP = Path(__file__).parent / "geodata" / "baltic.json"
MAKER = "scripts/portal/export/geodata/make_basemap.py"


@lru_cache(maxsize=1)
def basemap() -> dict:
    return json.loads(BASEMAP.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], dict]:
    out: dict[tuple[str, str], dict] = {}
    for place in basemap()["cities"]:
        for name in [place["name"], *place.get("record_names", [])]:
            out.setdefault((place["country"], name.casefold()), place)
    return out


def locate(city_en: str, country: str | None) -> dict | None:
    """The gazetteer's point for a record's city ({"name", "lon", "lat", …}), or None."""
    key = city_en.strip().casefold()
    if country:
        return _index().get((str(country), key))
    return next((p for (c, n), p in _index().items() if n == key), None)


def inside(point: dict, bbox) -> bool:
    lon0, lat0, lon1, lat1 = bbox
    return lon0 <= point["lon"] <= lon1 and lat0 <= point["lat"] <= lat1


def widest() -> list[float]:
    """The extent of the largest map: a city outside it is on no map."""
    maps = basemap()["maps"]
    return max((m["bbox"] for m in maps), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))


def warnings(cat) -> list[Problem]:
    """One warning per organization whose city cannot be placed on the map, at its `city:` line."""
    out = []
    for slug, rec in sorted(cat.records.get("organization", {}).items()):
        city = rec.data.get("city")
        if not isinstance(city, dict) or not isinstance(city.get("en"), str) or not city["en"].strip():
            continue
        line, col = rec.source.where(("city", "en"))
        point = locate(city["en"], rec.data.get("country"))
        if point is None:
            where = f" in country '{rec.data['country']}'" if rec.data.get("country") else ""
            out.append(Problem(rec.path, line, col, "city",
                               f"'{city['en']}'{where} is not on the map: the base map has no point for it; "
                               f"run {MAKER} (it adds the records' cities from GeoNames) or check the "
                               "spelling and the country"))
        elif not inside(point, widest()):
            out.append(Problem(rec.path, line, col, "city",
                               f"'{city['en']}' lies outside the area the maps show "
                               f"({point['lon']}, {point['lat']}); widen MAPS in {MAKER} to place it"))
    return out


def report(cat, stream) -> int:
    """Print the warnings for `portal validate`; they never change its exit code."""
    import os
    found = warnings(cat)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in found:
        print(f"WARNING {problem}", file=stream)
        if annotate:  # shown on the line of the pull request's diff, as a warning
            print(problem.github_annotation().replace("::error ", "::warning ", 1), file=stream)
    if found:
        print(f"\n{len(found)} cit{'ies' if len(found) != 1 else 'y'} not on the map (warnings do not "
              "fail validation).", file=stream)
    return len(found)
