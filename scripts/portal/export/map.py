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
import re
from collections import Counter
from typing import Iterable

from markupsafe import Markup

from ..escape import html
from ..paths import term_path
from ..model.values import as_list
from ..write import Page
from . import model as M
from . import map_labels as lab
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


# Names on screen stay 12-18 CSS px at every width. An SVG's text scales with its drawing and no CSS
# rule can give it a constant size on screen, so the drawing changes with the width of its figure (a
# container query in portal.css), and each variant's names are placed for its own font size
# (map_labels.py), so that none overlaps another at any width:
# - from 560 px on, the whole map with names of WIDE map units (12.3 px at 560, 16.6 at 756);
# - below, the overview's names in a layer of NARROW units; the detail map, too dense for its names
#   at that scale, as two panels one under the other, its west and east parts at about twice the
#   scale, cut between two dots (_splits), with names of 12 px on a figure of PANEL_FIGURE px. The panels draw the same geometry through <use>: the page
#   carries each coordinate once. A figure narrower than 335 px scrolls sideways (portal.css).
WIDE, NARROW = 22.0, 36.0
PANEL_PX, PANEL_FIGURE = 12.0, 335  # a panel's names: 12 px on a figure 335 px wide, larger beyond
def _regions(site, lang: str, url, shapes) -> list[dict]:
    counts = region_counts(site)
    return [{"id": term_id, "label": M.text(term["label"], lang), "count": counts[term_id],
             "url": url(term_path("regions", term_id)), "drawn": term_id in shapes}
            for term_id, term in site.cat.vocab["regions"].items()]


def _cities(site, lang: str, area: dict, detail_bbox) -> tuple[list[dict], list[dict]]:
    """The cities the map draws and those it does not (no point, or outside its extent). The
    overview leaves out the cities of the detail map's extent: it shows that extent as a frame."""
    drawn, missing = [], []
    for _, v in sorted(city_counts(site).items()):
        on_map = v["point"] and inside(v["point"], area["bbox"])
        if on_map and detail_bbox and inside(v["point"], detail_bbox):
            continue
        entry = {"label": M.text(v["names"], lang), "count": v["count"], "point": v["point"],
                 "placed": v["point"] is not None}
        (drawn if on_map else missing).append(entry)
    return drawn, missing


def _radius(count: int, map_id: str) -> int:
    """A city's dot grows with its organizations; the overview's dots are smaller (less room)."""
    return (6 + min(count, 8)) if map_id == DETAIL else (8 + min(count, 8) // 2)


def _city_groups(cities: list[dict], project, map_id: str) -> list[lab.Feature]:
    """One name per dot; a city whose point lies under a bigger city's dot shares that dot's name
    ("Narva, Ivangorod": towns across a river from each other), never a name of its own over it."""
    groups: list[tuple[lab.Feature, list[str]]] = []
    for city in sorted(cities, key=lambda c: (-c["count"], c["label"])):
        x, y = project(city["point"]["lon"], city["point"]["lat"])
        home = next((g for g in groups if math.hypot(g[0].x - x, g[0].y - y) < g[0].r), None)
        if home:
            home[1].append(city["label"])
            home[0].members += ((x, y, _radius(city["count"], map_id)),)
        else:
            groups.append((lab.Feature("", x, y, _radius(city["count"], map_id)), [city["label"]]))
    for feature, names in groups:
        feature.text = ", ".join(names)
    return [g[0] for g in groups]


def _dots(cities: list[dict], project, map_id: str, ui, lang: str) -> str:
    out = []
    for city in cities:
        x, y = project(city["point"]["lon"], city["point"]["lat"])
        name = f'{city["label"]}: {M.plural(ui["map.organizations"], city["count"], lang)}'
        out.append(f'<g class="portal-map__city"><title>{html(name)}</title>'
                   f'<circle cx="{x}" cy="{y}" r="{_radius(city["count"], map_id)}"/></g>')
    return f'<g id="portal-map-dots-{map_id}">' + "".join(out) + "</g>"


def _region_shapes(regions: list[dict], project, ui, lang: str, map_id: str) -> tuple[list[str], list]:
    """Each drawn region as a link to its page, and the region's name to place on the map."""
    parts, features = [], []
    for region in regions:
        if not region["drawn"]:
            continue
        path, projected = _drawn(map_id, project)["regions"][region["id"]]
        name = f'{region["label"]}: {M.plural(ui["map.records"], region["count"], lang)}'
        css = "portal-map__region" + ("" if region["count"] else " portal-map__region--empty")
        parts.append(f'<a href="{html(region["url"])}" aria-label="{html(name)}">'
                     f'<title>{html(name)}</title>'
                     f'<path id="portal-map-{map_id}-{region["id"]}" class="{css}" d="{path}"/></a>')
        features.append(lab.Feature(region["label"], 0.0, 0.0, 0.0, projected, "region"))
    return parts, features


_DRAWN: dict[tuple, tuple] = {}  # (map id, projection, id of the base map) -> (base map, _drawn())


def _drawn(map_id: str, project: Projection) -> dict:
    """The map's geometry in SVG terms, which depends on the base map and the projection alone: each
    country's land path, and each region's path and projected rings (for its name's place). Made
    once per process and base map (basemap() reads baltic.json once): drawing them again was half
    of the map's share of a preview's save."""
    geo = basemap()
    key = (map_id, project.lon0, project.lat0, project.lat1, project.k, project.scale, id(geo))
    known = _DRAWN.get(key)
    if known is None or known[0] is not geo:
        area = next(m for m in geo["maps"] if m["id"] == map_id)
        regions = {r["id"]: (project.path(r["rings"]),
                             tuple(tuple(project(lon, lat) for lon, lat in ring) for ring in r["rings"]))
                   for r in geo["regions"]}
        known = _DRAWN[key] = (geo, {"land": tuple(project.path(c["rings"]) for c in area["countries"]),
                                     "regions": regions})
    return known[1]


def _label_layer(name: str, size: float, features: list, frame: lab.Box) -> tuple[str, bool]:
    """One layer of names (and their leader lines), and whether it draws any leader."""
    placed = lab.place(features, frame, size)
    leaders = [f'<path class="portal-map__leader" d="M{p.leader[0][0]:.1f},{p.leader[0][1]:.1f}'
               f'L{p.leader[1][0]:.1f},{p.leader[1][1]:.1f}"/>' for p in placed if p.leader]
    texts = []
    for p in placed:
        cx = (p.box.x0 + p.box.x1) / 2
        # The first baseline: the box less its halo, then the ascent of the first line.
        top = p.box.y0 + lab.HALO * size
        spans = "".join(f'<tspan x="{cx:.1f}" y="{top + (0.93 + i * lab.LINE) * size:.1f}">{html(line)}</tspan>'
                        for i, line in enumerate(p.lines))
        texts.append(f'<text class="portal-map__{p.feature.kind}-label" text-anchor="middle">{spans}</text>')
    return (f'<g class="portal-map__labels portal-map__labels--{name}" font-size="{size:g}" aria-hidden="true">'
            + "".join(leaders + texts) + "</g>"), bool(leaders)


def _frame(detail_bbox, project) -> str:
    """The detail map's extent on the overview (its edges are lines of longitude and latitude)."""
    x0, y0 = project(detail_bbox[0], detail_bbox[3])
    x1, y1 = project(detail_bbox[2], detail_bbox[1])
    return (f'<rect class="portal-map__frame" x="{x0}" y="{y0}" width="{round(x1 - x0, 1)}" '
            f'height="{round(y1 - y0, 1)}"/>')


def _splits(features: list) -> list[float]:
    """Where the detail map may be cut into its two panels: between dots (no dot cut in half), in
    its middle two fifths, the most even cuts first."""
    edges = [(0.0, 0.0)] + sorted((f.x - f.r - 2, f.x + f.r + 2) for f in features if not f.rings) + [(WIDTH, WIDTH)]
    gaps = [(a[1] + b[0]) / 2 for a, b in zip(edges, edges[1:]) if b[0] > a[1]]
    return sorted((x for x in gaps if 0.3 * WIDTH <= x <= 0.7 * WIDTH), key=lambda x: abs(x - WIDTH / 2)) or [WIDTH / 2]


def _panel_layers(features: list, cut: float, height: float) -> list[tuple[lab.Box, float, str, bool, int]]:
    """Both panels' names for one cut: (frame, font size, layer, leaders drawn, names not placed).
    A city is named in the panel of its dot, a region in the panel of its centre."""
    out = []
    for x0, x1 in ((0, cut), (cut, WIDTH)):
        frame = lab.Box(x0, 0, x1, height)
        mine = [f for f in features if x0 <= (lab.pole(f.rings)[0] if f.rings else f.x) < x1]
        size = round(PANEL_PX * (x1 - x0) / PANEL_FIGURE, 1)
        layer, leaders = _label_layer("panel", size, mine, frame)
        out.append((frame, size, layer, leaders, len(mine) - layer.count("<text ")))
    return out


def _panel_extent(frame: lab.Box, features: list, layer: str, height: float) -> tuple[float, float]:
    """The rows of a panel that hold its dots and names, and a margin: no empty land or sea above
    and below them on a phone."""
    ys = [float(y) for y in re.findall(r' y="([0-9.]+)"', layer)]  # the names' baselines
    ys += [y for f in features if not f.rings and frame.x0 <= f.x <= frame.x1 for y in (f.y - f.r, f.y + f.r)]
    if not ys:
        return 0.0, height
    margin = 0.08 * height
    return max(0.0, round(min(ys) - margin)), min(height, round(max(ys) + margin))


def _panels(map_id: str, regions: list[dict], features: list, height: float) -> tuple[list[str], bool]:
    """The detail map's narrow variant: its two halves, each drawing the wide map's geometry (<use>)
    and the names of what lies in it, at the cut (of the first few) that leaves no name out."""
    for cut in _splits(features)[:4]:
        panels = _panel_layers(features, cut, height)
        if not sum(p[4] for p in panels):
            break
    links = "".join(f'<a href="{html(r["url"])}" aria-label="{html(r["label"])}">'
                    f'<use href="#portal-map-{map_id}-{r["id"]}"/></a>' for r in regions if r["drawn"])
    out = []
    for frame, _, layer, _, _ in panels:
        top, bottom = _panel_extent(frame, features, layer, height)
        out.append(f'<svg class="portal-map__svg portal-map__panel" viewBox="{frame.x0:g} {top:g} '
                   f'{frame.x1 - frame.x0:g} {bottom - top:g}" role="group" '
                   f'aria-labelledby="portal-map-title-{map_id}" xmlns="http://www.w3.org/2000/svg">'
                   f'<use href="#portal-map-geo-{map_id}"/>{links}<use href="#portal-map-dots-{map_id}"/>{layer}</svg>')
    return out, any(p[3] for p in panels)


def _open_svg(map_id: str, area: dict, project, title: str) -> list[str]:
    """The map's <svg> up to its regions: the sea and the land, in a group the panels draw again."""
    paneled = " portal-map__svg--paneled" if map_id == DETAIL else ""
    return [f'<svg class="portal-map__svg{paneled}" viewBox="0 0 {WIDTH} {project.height}" role="group" '
            f'aria-labelledby="portal-map-title-{map_id}" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="portal-map-title-{map_id}">{html(title)}</title>',
            f'<g id="portal-map-geo-{map_id}"><rect class="portal-map__sea" x="0" y="0" width="{WIDTH}" '
            f'height="{project.height}"/>',
            *(f'<path class="portal-map__land" d="{path}"/>' for path in _drawn(map_id, project)["land"]),
            "</g>"]


def _names(map_id: str, features: list, regions: list[dict], height: float) -> tuple[list[str], list[str], bool]:
    """The layers of names inside the map's <svg>, the panels after it (detail map), and whether
    any of them draws a leader line."""
    whole = lab.Box(0, 0, WIDTH, height)
    wide, leaders = _label_layer("wide", WIDE, features, whole)
    if map_id != DETAIL:
        narrow, narrow_leaders = _label_layer("narrow", NARROW, features, whole)
        return [wide, narrow], [], leaders or narrow_leaders
    panels, panel_leaders = _panels(map_id, regions, features, height)
    return [wide], panels, leaders or panel_leaders


def map_svg(site, lang: str, url, map_id: str = DETAIL) -> tuple[Markup, list[dict], list[dict], list[dict], dict]:
    """One map's SVG (and, for the detail map, its panels), the regions (id, label, count, url,
    drawn), the cities drawn on it, the cities it does not show, and what its legend explains
    ({"empty", "leader", "frame", "cities"}: whether it draws them)."""
    geo = basemap()
    area = next(m for m in geo["maps"] if m["id"] == map_id)
    detail_bbox = None if map_id == DETAIL else next(m for m in geo["maps"] if m["id"] == DETAIL)["bbox"]
    project = Projection(area["bbox"])
    ui = site.ui[lang]
    shapes = {r["id"]: r for r in geo["regions"]}
    regions = _regions(site, lang, url, shapes)
    drawn_cities, missing_cities = _cities(site, lang, area, detail_bbox)
    parts = _open_svg(map_id, area, project, ui[f"map.svg_titles.{map_id}"])
    shapes_svg, region_names = _region_shapes(regions, project, ui, lang, map_id)
    parts += shapes_svg + ([_frame(detail_bbox, project)] if detail_bbox else [])
    parts.append(_dots(drawn_cities, project, map_id, ui, lang))
    features = _city_groups(drawn_cities, project, map_id)
    if map_id == DETAIL:  # the overview's regions lie in the frame: the map above names them
        city_names = {f.text for f in features}  # St. Petersburg: the city's name names its region
        features += [f for f in region_names if f.text not in city_names]
    layers, panels, leaders = _names(map_id, features, regions, project.height)
    legend = {"empty": any(r["drawn"] and not r["count"] for r in regions), "frame": bool(detail_bbox),
              "leader": leaders, "cities": bool(drawn_cities)}
    return Markup("".join(parts + layers + ["</svg>"] + panels)), regions, drawn_cities, missing_cities, legend


def map_pages(site, lang: str) -> Iterable[Page]:
    ctx = site.page_context(lang, "map.md")
    svg, regions, _, _, legend = map_svg(site, lang, ctx.url, DETAIL)
    overview, _, _, _, overview_legend = map_svg(site, lang, ctx.url, OVERVIEW)
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
                      overview=overview, legend=legend, overview_legend=overview_legend, regions=regions, cities=cities, missing=missing,
                      sources=basemap()["sources"])
