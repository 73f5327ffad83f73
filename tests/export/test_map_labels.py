"""The map's name placement (scripts/portal/export/map_labels.py), on small made-up maps: a name beside
its dot where there is room, never between its dot and a nearer one, inside its region, with a leader
line where the dots crowd; never over another name or dot; the same result every time."""
from __future__ import annotations

from portal.export import map_labels as lab
from portal.export.text_width import WIDEST, em_width

FRAME = lab.Box(0, 0, 1000, 600)


def _dot(text, x, y, r=8.0):
    return lab.Feature(text, x, y, r)


def _square(text, x0, y0, x1, y1):
    return lab.Feature(text, 0.0, 0.0, 0.0, (((x0, y0), (x1, y0), (x1, y1), (x0, y1)),), "region")


def _assert_apart(placed, features):
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            assert not a.box.overlaps(b.box), (a.lines, b.lines)
        for f in features:
            if f.r:
                dot = lab.Box(f.x - f.r, f.y - f.r, f.x + f.r, f.y + f.r)
                assert not a.box.overlaps(dot), (a.lines, f.text)
        assert a.box.within(FRAME)


def test_a_lone_city_is_named_on_the_right_of_its_dot_without_a_leader():
    [placed] = lab.place([_dot("Kotka", 500, 300)], FRAME, 20)
    assert placed.leader is None and placed.lines == ["Kotka"]
    assert placed.box.x0 > 500 + 8 and placed.box.y0 < 300 < placed.box.y1


def test_a_name_is_not_put_between_its_dot_and_a_nearer_one():
    # Lahti's right side is Kouvola's dot: its name goes elsewhere, never beside Kouvola.
    lahti, kouvola = _dot("Lahti", 400, 300), _dot("Kouvola", 480, 300)
    placed = {p.feature.text: p for p in lab.place([kouvola, lahti], FRAME, 20)}
    x, y = placed["Lahti"].box.nearest(400, 300)
    kx, ky = placed["Lahti"].box.nearest(480, 300)
    assert ((x - 400) ** 2 + (y - 300) ** 2) < ((kx - 480) ** 2 + (ky - 300) ** 2)


def test_a_crowded_cluster_is_named_in_full_with_leaders_and_nothing_overlaps():
    names = ["Kohtla-Järve", "Jõhvi", "Sillamäe", "Narva", "Kingisepp", "Slantsy"]
    cluster = [_dot(n, 400 + 14 * i, 300 + (i % 2) * 6, 6) for i, n in enumerate(names)]
    placed = lab.place(cluster, FRAME, 22)
    assert sorted(p.feature.text for p in placed) == sorted(names)
    assert any(p.leader for p in placed), "six names do not all fit beside dots 14 units apart"
    _assert_apart(placed, cluster)
    again = lab.place([_dot(n, 400 + 14 * i, 300 + (i % 2) * 6, 6) for i, n in enumerate(names)], FRAME, 22)
    assert [(p.feature.text, p.box, p.leader) for p in again] == [(p.feature.text, p.box, p.leader) for p in placed]


def test_a_region_is_named_inside_its_area_else_over_it_else_by_a_leader_from_inside():
    big, small = _square("Leningrad region", 100, 100, 700, 500), _square("Ida-Virumaa", 800, 300, 830, 320)
    placed = {p.feature.text: p for p in lab.place([big, small], FRAME, 20)}
    box = placed["Leningrad region"].box
    assert placed["Leningrad region"].leader is None
    assert 100 <= box.x0 and box.x1 <= 700 and 100 <= box.y0 and box.y1 <= 500
    box = placed["Ida-Virumaa"].box  # too small for its name: the name is centred over it
    assert placed["Ida-Virumaa"].leader is None and 800 <= (box.x0 + box.x1) / 2 <= 830
    # A city's dot and name over the whole small region: its name needs a leader from inside it.
    city, small = _dot("Narva", 815, 310, 14), _square("Ida-Virumaa", 790, 295, 840, 325)
    placed = {p.feature.text: p for p in lab.place([city, small], FRAME, 20)}
    start, _ = placed["Ida-Virumaa"].leader
    assert 790 <= start[0] <= 840 and 295 <= start[1] <= 325, "the leader starts in the region"
    _assert_apart(list(placed.values()), [city])


def test_a_long_region_name_is_broken_over_two_lines_when_one_does_not_fit():
    tall = _square("South-East Finland", 100, 50, 330, 400)
    [placed] = lab.place([tall], FRAME, 24)
    assert placed.lines == ["South-East", "Finland"] and placed.leader is None


def test_a_name_that_cannot_be_placed_is_left_out_not_drawn_over_another():
    frame = lab.Box(0, 0, 120, 40)
    placed = lab.place([_dot("Dessau-Roßlau", 60, 20, 4), _dot("Hamburg", 30, 20, 4)], frame, 20)
    assert len(placed) < 2
    _assert_apart(placed, [])


def test_names_are_measured_never_narrower_than_the_widest_fallback_face():
    assert em_width("Pori") == 0.75 + 0.7 + 0.5 + 0.35
    assert em_width("Санкт") > em_width("Sankt")
    assert em_width("漢") == WIDEST, "a character outside the table counts as the widest"
