"""Where the map's names go: every city and region named once, no name over another name, a dot or a
leader line, and the same result for the same inputs (no randomness, no browser at build time).

A greedy placement in the order a cartographer labels by hand:
1. each city's name right beside its dot, in the first free one of eight positions (right, above
   right, below right, left, …, the order of Imhof's rules);
2. each region's name inside its area, as near its centre (the point farthest from its border) as a
   free spot allows, on one line or broken into two;
3. what found no place yet (dense clusters such as Narva, Sillamäe and Jõhvi, a region too small for
   its name) further out, on rings of growing distance, with a thin leader line back to its dot or
   to the centre of its area.
Boxes are measured with text_width.py (never narrower than on screen) plus the width of the halo.
A name that finds no place at all is left out of that layer (the list under the map names it); the
browser tests check that none is.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from .text_width import em_width

LINE = 1.15  # line spacing of a two-line name, in em
CELL = 1.17  # height of a line's glyph cell (ascent + descent of the widest fallback face), in em
HALO = 0.25  # the halo (stroke) around each name, in em, added to every side of its box
GAP = 0.3  # between a dot and its name, in em
MARGIN = 4  # between a name and the edge of the map, in map units
NEAR = [(1, 0), (0.7071, -0.7071), (0.7071, 0.7071), (-1, 0), (-0.7071, -0.7071), (-0.7071, 0.7071),
        (0, -1), (0, 1)]
RINGS = 40  # the farthest ring of pass 3, in steps of 0.6 em
ATTEMPTS = 8  # placements tried, each with the names left out before first


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def within(self, frame: "Box") -> bool:
        return (self.x0 >= frame.x0 + MARGIN and self.y0 >= frame.y0 + MARGIN
                and self.x1 <= frame.x1 - MARGIN and self.y1 <= frame.y1 - MARGIN)

    def crossed_by(self, a, b) -> bool:
        """Whether the segment a–b passes through this box (Liang–Barsky clipping)."""
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in ((-dx, a[0] - self.x0), (dx, self.x1 - a[0]), (-dy, a[1] - self.y0), (dy, self.y1 - a[1])):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)


@dataclass
class Feature:
    """A thing to name: a city group's dot (r > 0) or a region (rings: its area in map units, a
    tuple of tuples of (x, y), so that its centre is computed once)."""
    text: str
    x: float
    y: float
    r: float = 0.0
    rings: tuple | None = None
    kind: str = "city"
    members: tuple = ()  # the other dots (x, y, r) this name stands for (a city under a bigger one's dot)
    seen: dict = field(default_factory=dict, compare=False, repr=False)  # (x, y) -> inside the area


@dataclass
class Placed:
    feature: Feature
    lines: list[str]
    box: Box
    leader: tuple | None = None  # ((x, y) at the dot or area, (x, y) at the name)


@dataclass
class _Layout:
    frame: Box  # the part of the map this layer is drawn on (a panel or the whole map)
    size: float
    dots: list[Box]
    placed: list[Placed] = field(default_factory=list)

    def free(self, box: Box, leader=None, own: tuple = ()) -> bool:
        """The box lies on the map and over no name, dot or leader line; its leader (if any) crosses
        no name and no other dot."""
        if not box.within(self.frame):
            return False
        for p in self.placed:
            if box.overlaps(p.box) or (p.leader and box.crossed_by(*p.leader)):
                return False
            if leader and (p.box.crossed_by(*leader) or (p.leader and _cross(leader, p.leader))):
                return False
        for dot in self.dots:
            if box.overlaps(dot) or (leader and dot not in own and dot.crossed_by(*leader)):
                return False
        return True


def _cross(s, t) -> bool:
    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return side(*s, t[0]) * side(*s, t[1]) < 0 and side(*t, s[0]) * side(*t, s[1]) < 0


def forms(text: str) -> list[list[str]]:
    """The text on one line, then broken into two lines at the space that balances them best."""
    words = text.split(" ")
    out = [[text]]
    if len(words) > 1:
        cut = min(range(1, len(words)), key=lambda i: max(em_width(" ".join(words[:i])), em_width(" ".join(words[i:]))))
        out.append([" ".join(words[:cut]), " ".join(words[cut:])])
    return out


def _extent(lines: list[str], size: float) -> tuple[float, float]:
    width = max(em_width(line) for line in lines) * size
    height = ((len(lines) - 1) * LINE + CELL) * size
    return width + 2 * HALO * size, height + 2 * HALO * size


def _sign(v: float) -> int:
    return 0 if abs(v) < 0.3 else (1 if v > 0 else -1)


def _box_toward(x: float, y: float, d: float, u, w: float, h: float) -> Box:
    """The box whose side or corner nearest the point (x, y) lies at distance d in direction u."""
    px, py = x + u[0] * d, y + u[1] * d
    cx, cy = px + _sign(u[0]) * w / 2, py + _sign(u[1]) * h / 2
    return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


@lru_cache(maxsize=1)
def _directions() -> list[tuple[float, float]]:
    """Thirty-two directions: the four sides first, then the diagonals, then the rest."""
    order = [0, 16, 8, 24, 4, 12, 20, 28] + [k for k in range(32) if k % 4]
    return [(math.cos(k * math.pi / 16), math.sin(k * math.pi / 16)) for k in order]


def _near(layout: _Layout, f: Feature, own: tuple, clear: bool = True) -> Placed | None:
    """A free spot right beside the dot; with `clear`, only one nearer its own dot than any other."""
    for lines in forms(f.text):
        w, h = _extent(lines, layout.size)
        for u in NEAR:
            box = _box_toward(f.x, f.y, f.r + GAP * layout.size, u, w, h)
            if layout.free(box, own=own) and not (clear and _nearer_dot(layout, box, f, own)):
                return Placed(f, lines, box)
    return None


def _nearer_dot(layout: _Layout, box: Box, f: Feature, own: tuple) -> bool:
    """Whether another dot is as near the name as its own dot (a reader could not tell whose name
    it is): such a name needs a leader line."""
    x, y = box.nearest(f.x, f.y)
    mine = math.hypot(x - f.x, y - f.y) - f.r
    for dot in layout.dots:
        if dot not in own:
            cx, cy, r = (dot.x0 + dot.x1) / 2, (dot.y0 + dot.y1) / 2, (dot.x1 - dot.x0) / 2
            nx, ny = box.nearest(cx, cy)
            if math.hypot(nx - cx, ny - cy) - r < mine + 0.2 * layout.size:
                return True
    return False


def _inside(layout: _Layout, f: Feature) -> Placed | None:
    """A free spot for a region's name wholly inside the area, else one centred inside it."""
    cx, cy = _pole_in(layout.frame, f.rings)
    points = _spiral(cx, cy, layout.size / 2, _bbox(f.rings, layout.frame))
    for test in (_box_in_rings, lambda box, f: _in_area((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, f)):
        for lines in forms(f.text):
            w, h = _extent(lines, layout.size)
            for x, y in points:
                box = Box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                if layout.free(box) and test(box, f):
                    return Placed(f, lines, box)
    return None


def _bbox(rings, frame: Box) -> tuple[float, float, float, float]:
    """The extent of the area, within the frame."""
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    return max(min(xs), frame.x0), max(min(ys), frame.y0), min(max(xs), frame.x1), min(max(ys), frame.y1)


def _pole_in(frame: Box, rings) -> tuple[float, float]:
    """The area's centre, or the nearest point to it within the frame (a panel shows part of it)."""
    return frame.nearest(*pole(rings))


def _anchor(layout: _Layout, f: Feature) -> Feature:
    """Where a region's leader line starts: the free point of its area nearest its centre."""
    cx, cy = _pole_in(layout.frame, f.rings)
    for x, y in _spiral(cx, cy, layout.size / 4, _bbox(f.rings, layout.frame)):
        spot = Box(x - 2, y - 2, x + 2, y + 2)
        if _in_area(x, y, f) and not any(spot.overlaps(p.box) for p in layout.placed) \
                and not any(spot.overlaps(d) for d in layout.dots):
            return Feature(f.text, x, y, 0.0, f.rings, f.kind)
    return Feature(f.text, cx, cy, 0.0, f.rings, f.kind)


def _spiral(cx: float, cy: float, step: float, bbox):
    """Grid points of the area's extent around (cx, cy), nearest first (distance, then angle)."""
    x0, y0, x1, y1 = bbox
    n = int(max(x1 - x0, y1 - y0) / step) + 1
    points = [(cx + i * step, cy + j * step) for i in range(-n, n + 1) for j in range(-n, n + 1)
              if x0 <= cx + i * step <= x1 and y0 <= cy + j * step <= y1]
    return sorted(points, key=lambda p: (round((p[0] - cx) ** 2 + (p[1] - cy) ** 2, 3), math.atan2(p[1] - cy, p[0] - cx)))


def _far(layout: _Layout, f: Feature, own: tuple) -> Placed | None:
    """The nearest free spot on rings of growing distance, with a leader line back to the dot (or
    to a free point of the region's area)."""
    at = _anchor(layout, f) if f.rings else f
    shapes = [(lines, *_extent(lines, layout.size)) for lines in forms(f.text)]
    for k in range(1, RINGS + 1):
        d = at.r + GAP * layout.size + k * 0.6 * layout.size
        for lines, w, h in shapes:
            for u in _directions():
                box = _box_toward(at.x, at.y, d, u, w, h)
                start = (at.x + u[0] * at.r, at.y + u[1] * at.r)
                leader = (start, box.nearest(*start))
                if layout.free(box, leader, own):
                    return Placed(f, lines, box, leader)
    return None


def place(features: list[Feature], frame: Box, size: float) -> list[Placed]:
    """The names' places for one font size (map units) within the frame (map units): cities beside
    their dots, regions inside their areas, then the rest with leader lines. Features come in the
    order of their importance. A name that found no place is placed first the next time, leader
    and all, before the others take the spots beside their dots (the most crowded names first, as
    a cartographer does); a few times. Of the placements that name the most, the one with the
    shortest leader lines is kept (those first placed in the reverse order are tried too).

    The search takes seconds (2.3 s of a 3.9 s generation of today's site) and its answer depends
    on nothing but its arguments, which change only when a name or its record count does: it is
    kept (placement_cache.py), so a save in the preview or a pull request's build that leaves the
    names as they were does not search again."""
    from . import placement_cache
    return placement_cache.remembered(features, frame, size, _search)


def _search(features: list[Feature], frame: Box, size: float) -> list[Placed]:
    best: list[Placed] = []
    eager: list[Feature] = []
    for _ in range(ATTEMPTS):
        tries = [_place_once(features, order, frame, size) for order in (eager, eager[::-1])]
        best = min([best, *tries], key=_cost)
        done = {id(p.feature) for p in tries[0]}
        if len(done) == len(features):
            break
        eager += [f for f in features if id(f) not in done and f not in eager]
    rank = {id(f): i for i, f in enumerate(features)}
    return sorted(best, key=lambda p: rank[id(p.feature)])


def _cost(placed: list[Placed]) -> tuple[int, float]:
    """Fewer names left out first, then shorter leader lines in all."""
    return -len(placed), round(sum(math.dist(*p.leader) for p in placed if p.leader), 1)


def _place_once(features: list[Feature], eager: list[Feature], frame: Box, size: float) -> list[Placed]:
    dots = {id(f): tuple(Box(x - r - 1, y - r - 1, x + r + 1, y + r + 1) for x, y, r in ((f.x, f.y, f.r), *f.members))
            for f in features if f.r}
    layout = _Layout(frame, size, [d for own in dots.values() for d in own])
    waiting = []
    for f in eager:
        found = _first(layout, f, dots.get(id(f), ()))
        if found:
            layout.placed.append(found)
    for f in features:
        if f in eager:
            continue
        found = _inside(layout, f) if f.rings else _near(layout, f, dots[id(f)])
        if found:
            layout.placed.append(found)
        else:
            waiting.append(f)
    for f in waiting:
        found = _far(layout, f, dots.get(id(f), ())) or (f.r and _near(layout, f, dots[id(f)], clear=False))
        if found:
            layout.placed.append(found)
    return layout.placed


def _first(layout: _Layout, f: Feature, own: tuple) -> Placed | None:
    """Every way to name it, best first: beside (inside), with a leader, beside another dot too."""
    if f.rings:
        return _inside(layout, f) or _far(layout, f, own)
    # Last, a spot beside the dot that another dot is as near: a name is better than none.
    return _near(layout, f, own) or _far(layout, f, own) or _near(layout, f, own, clear=False)


def _in_rings(x: float, y: float, rings) -> bool:
    """Even-odd rule over every ring: islands count, holes do not."""
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            (xi, yi), (xj, yj) = ring[i], ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _box_in_rings(box: Box, f: "Feature") -> bool:
    xs = (box.x0, (box.x0 + box.x1) / 2, box.x1)
    ys = (box.y0, (box.y0 + box.y1) / 2, box.y1)
    return all(_in_area(x, y, f) for x in xs for y in ys)


def _in_area(x: float, y: float, f: "Feature") -> bool:
    key = (round(x, 2), round(y, 2))
    if key not in f.seen:
        f.seen[key] = _in_rings(x, y, f.rings)
    return f.seen[key]


@lru_cache(maxsize=64)
def pole(rings: tuple) -> tuple[float, float]:
    """The point of the area farthest from its border, where a reader looks for the area's name: the
    best of a coarse grid (1/20 of the area's size), then of a finer one around it."""
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    edges = [(ring[i - 1], ring[i]) for ring in rings for i in range(len(ring))]
    step = max(max(xs) - min(xs), max(ys) - min(ys)) / 20
    where = (sum(xs) / len(xs), sum(ys) / len(ys))
    window = (min(xs), min(ys), max(xs), max(ys))
    for _ in range(2):
        where = _best_point(window, step, rings, edges, where)
        window = (where[0] - step, where[1] - step, where[0] + step, where[1] + step)
        step /= 8
    return round(where[0], 1), round(where[1], 1)


def _best_point(window, step: float, rings, edges, default) -> tuple[float, float]:
    best, where = -1.0, default
    x0, y0, x1, y1 = window
    for i in range(int((x1 - x0) / step) + 1):
        for j in range(int((y1 - y0) / step) + 1):
            x, y = x0 + (i + 0.5) * step, y0 + (j + 0.5) * step
            if _in_rings(x, y, rings):
                d = min(_distance(x, y, a, b) for a, b in edges)
                if d > best:
                    best, where = d, (x, y)
    return where


def _distance(x: float, y: float, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)
