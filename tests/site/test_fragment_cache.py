"""The side menu is rendered once per build for all the pages it is the same on
(scripts/portal/site/fragment_cache.py): the site is byte for byte the one Material renders page
by page, and the key tells apart every page whose menu could differ."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.site.fragment_cache import nav_key
from portal_testing import sites_built_both_ways


@pytest.mark.slow
def test_the_site_is_the_one_material_renders_page_by_page(tmp_path):
    ours, theirs = sites_built_both_ways(tmp_path, "PORTAL_NO_FRAGMENT_CACHE")
    assert sorted(ours) == sorted(theirs)
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == []
    menu = '<div class="md-sidebar md-sidebar--primary"'
    assert sum(menu in body.decode("utf-8", "replace") for body in ours.values()) > 30, "pages with a menu"


class Item(SimpleNamespace):
    pass


def _nav(active: str | None = None):
    projects, about = Item(url="projects/", active=active == "projects", children=None), \
        Item(url="about/", active=False, children=None)
    section = Item(url=None, active=active == "projects", children=[projects, about])
    home = Item(url="", active=False, children=None)
    return SimpleNamespace(items=[home, section], pages=[home, projects, about], homepage=home)


CONFIG = SimpleNamespace(extra={}, theme={"logo": None})


def page(url: str):
    return SimpleNamespace(url=url)


def test_pages_outside_the_menu_in_one_folder_share_a_menu():
    nav = _nav("projects")
    assert nav_key(page("projects/a/"), nav, CONFIG) == nav_key(page("projects/b/"), nav, CONFIG)


@pytest.mark.parametrize("other", ["events/a/", "projects/a/page/2/", "about/x/"])
def test_a_page_whose_links_differ_has_its_own_menu(other):
    nav = _nav("projects")
    assert nav_key(page("projects/a/"), nav, CONFIG) != nav_key(page(other), nav, CONFIG)


def test_a_highlighted_section_has_its_own_menu():
    assert nav_key(page("projects/a/"), _nav("projects"), CONFIG) != nav_key(page("projects/a/"), _nav(), CONFIG)


def test_a_page_of_the_menu_is_rendered_as_material_does():
    nav = _nav()
    assert nav_key(nav.pages[1], nav, CONFIG) is None
