"""The map page: the records' regions and their organizations' cities on static SVG maps, the
Gulf of Finland in detail and the whole Baltic Sea region.

Drawn here from geodata/baltic.json (Natural Earth boundaries, GeoNames city points; made by
geodata/make_basemap.py, sources and licences inside it): no tile server, no script, no request to
another host. Each region is a link to its topic page; the same links and numbers follow as lists.
A city the base map has no point for is listed as such, never placed by guess (places.py; `make
validate` warns about it).
"""
from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from markupsafe import Markup

from ..escape import html
from ..paths import term_path
from ..model.values import as_list
from ..write import Page
from . import model as M
from .places import basemap, inside, locate, widest

WIDTH = 1000
DETAIL, OVERVIEW = "gulf-of-finland", "baltic-sea"  # the maps of baltic.json, in the page's order


class Projection:
    """Equirectangular, longitude scaled by cos(mid-latitude): true shapes at this small extent."""

    def __init__(self, bbox):
        self.lon0, self.lat0, lon1, self.lat1 = bbox
        self.k = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        self.scale = WIDTH / ((lon1 - self.lon0) * self.k)
        self.height = round((self.lat1 - self.lat0) * self.scale)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return round((lon - self.lon0) * self.k * self.scale, 1), round((self.lat1 - lat) * self.scale, 1)

    def path(self, rings) -> str:
        return "".join("M" + "L".join("%g,%g" % self(lon, lat) for lon, lat in ring) + "Z" for ring in rings)


def region_counts(site) -> Counter:
    """Records (projects and events) per region id."""
    cache = site.__dict__.get("_export_regions")
    if cache is None:
        cache = Counter()
        for kind in ("project", "event"):
            for rec in site.cat.records[kind].values():
                for r in dict.fromkeys(as_list(rec.data.get("regions"))):
                    cache[r] += 1
        site.__dict__["_export_regions"] = cache
    return cache


def city_counts(site) -> dict[tuple[str, str], dict]:
    """(English city name, country) -> {"names": the city text, "count": organizations there,
    "point": its gazetteer point or None}."""
    out: dict[tuple[str, str], dict] = {}
    for rec in site.cat.records["organization"].values():
        city = rec.data.get("city")
        if isinstance(city, dict) and city.get("en"):
            country = str(rec.data.get("country") or "")
            entry = out.setdefault((city["en"].strip(), country),
                                   {"names": city, "count": 0, "point": locate(city["en"], country)})
            entry["count"] += 1
    return out


def _centre(rings) -> tuple[float, float]:
    ring = max(rings, key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


LABEL_SIZE = 24  # px in the viewBox (portal.css: .portal-map__city text)


def _place_label(label: str, x: float, y: float, r: float, placed: list, height: float) -> str:
    """A city's name beside its point where it overlaps no other name; none where none fits (the
    city is still named by its <title> and in the list under the map)."""
    w, h = 0.62 * LABEL_SIZE * len(label), LABEL_SIZE
    for lx, ly, anchor in ((x + r + 4, y + h / 3, "start"), (x - r - 4, y + h / 3, "end"),
                           (x, y - r - 6, "middle"), (x, y + r + h, "middle")):
        left = lx - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
        box = (left, ly - h, left + w, ly + 4)
        inside = box[0] >= 0 and box[2] <= WIDTH and box[1] >= 0 and box[3] <= height
        if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            placed.append(box)
            return f'<text x="{round(lx, 1)}" y="{round(ly, 1)}" text-anchor="{anchor}">{html(label)}</text>'
    return ""


def map_svg(site, lang: str, url, map_id: str = DETAIL) -> tuple[Markup, list[dict], list[dict], list[dict]]:
    """One map's SVG, the regions (id, label, count, url, drawn), the cities drawn on it and the
    cities it does not show (no point, or outside its extent)."""
    geo = basemap()
    area = next(m for m in geo["maps"] if m["id"] == map_id)
    project = Projection(area["bbox"])
    ui = site.ui[lang]
    counts = region_counts(site)
    shapes = {r["id"]: r for r in geo["regions"]}
    cities = city_counts(site)
    drawn_cities = [{"label": M.text(v["names"], lang), "count": v["count"], "point": v["point"]}
                    for k, v in sorted(cities.items()) if v["point"] and inside(v["point"], area["bbox"])]
    missing_cities = [{"label": M.text(v["names"], lang), "count": v["count"], "placed": v["point"] is not None}
                      for k, v in sorted(cities.items()) if not (v["point"] and inside(v["point"], area["bbox"]))]
    regions = []
    for term_id, term in site.cat.vocab["regions"].items():
        regions.append({"id": term_id, "label": M.text(term["label"], lang), "count": counts[term_id],
                        "url": url(term_path("regions", term_id)), "drawn": term_id in shapes})
    title = ui[f"map.svg_titles.{map_id}"]
    parts = [f'<svg class="portal-map__svg" viewBox="0 0 {WIDTH} {project.height}" role="group" '
             f'aria-labelledby="portal-map-title-{map_id}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="portal-map-title-{map_id}">{html(title)}</title>',
             f'<rect class="portal-map__sea" x="0" y="0" width="{WIDTH}" height="{project.height}"/>']
    for country in area["countries"]:
        parts.append(f'<path class="portal-map__land" d="{project.path(country["rings"])}"/>')
    city_labels = {M.text(c["names"], "en") for c in cities.values() if c["point"]}
    labels = []
    for region in regions:
        if not region["drawn"]:
            continue
        shape = shapes[region["id"]]
        name = f'{region["label"]}: {M.plural(ui["map.records"], region["count"], lang)}'
        css = "portal-map__region" + ("" if region["count"] else " portal-map__region--empty")
        parts.append(f'<a href="{html(region["url"])}" aria-label="{html(name)}">'
                     f'<title>{html(name)}</title>'
                     f'<path class="{css}" d="{project.path(shape["rings"])}"/></a>')
        english = M.text(site.cat.vocab["regions"][region["id"]]["label"], "en")
        if english not in city_labels and map_id == DETAIL:  # a city's label names it (St. Petersburg);
            # on the overview the regions are too small for a name
            labels.append((region["label"], project(*_centre(shape["rings"]))))
    placed: list[tuple[float, float, float, float]] = []  # label boxes (and city dots) already on the map
    def radius(count: int) -> int:  # the overview's dots are smaller: more cities, less room
        return (6 + min(count, 8)) if map_id == DETAIL else (4 + min(count, 8) // 2)
    for city in drawn_cities:
        x, y = project(city["point"]["lon"], city["point"]["lat"])
        r = radius(city["count"])
        placed.append((x - r, y - r, x + r, y + r))
    for city in sorted(drawn_cities, key=lambda c: (-c["count"], c["label"])):
        x, y = project(city["point"]["lon"], city["point"]["lat"])
        r = radius(city["count"])
        name = f'{city["label"]}: {M.plural(ui["map.organizations"], city["count"], lang)}'
        text = _place_label(city["label"], x, y, r, placed, project.height)
        parts.append(f'<g class="portal-map__city"><title>{html(name)}</title>'
                     f'<circle cx="{x}" cy="{y}" r="{r}"/>{text}</g>')
    for label, (x, y) in labels:  # region names last, where no city name is
        w = 0.62 * LABEL_SIZE * len(label)
        box = (x - w / 2, y - LABEL_SIZE, x + w / 2, y + 4)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            placed.append(box)
            parts.append(f'<text class="portal-map__region-label" x="{x}" y="{y}" text-anchor="middle" '
                         f'aria-hidden="true">{html(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts)), regions, drawn_cities, missing_cities


def map_pages(site, lang: str) -> Iterable[Page]:
    ctx = site.page_context(lang, "map.md")
    svg, regions, _, _ = map_svg(site, lang, ctx.url, DETAIL)
    overview, _, _, _ = map_svg(site, lang, ctx.url, OVERVIEW)
    # Below the maps: every city with a point, and those without one (never placed by guess).
    cities = [{"label": M.text(v["names"], lang), "count": v["count"]}
              for k, v in sorted(city_counts(site).items()) if v["point"] and inside(v["point"], widest())]
    missing = [{"label": M.text(v["names"], lang), "count": v["count"]}
               for k, v in sorted(city_counts(site).items()) if not (v["point"] and inside(v["point"], widest()))]
    for item in regions:
        item["phrase"] = M.plural(site.ui[lang]["map.records"], item["count"], lang)
    for item in cities + missing:
        item["phrase"] = M.plural(site.ui[lang]["map.organizations"], item["count"], lang)

    def meta(ctx):
        return {"title": ctx.ui["map.title"], "description": ctx.ui["map.description"],
                "portal": {"kind": "map"}}
    yield site.render("map.md.j2", lang, "map.md", "data/vocabularies/regions.yml", meta, svg=svg,
                      overview=overview, regions=regions, cities=cities, missing=missing,
                      sources=basemap()["sources"])
