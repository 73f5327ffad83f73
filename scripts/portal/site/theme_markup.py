"""The one change to the theme's HTML that no template override can make (issue 20: 0 errors from
the Nu HTML Checker, tests/html).

Material 9.8.1's base.html writes its two layout toggles, the drawer and the search checkbox, with
`autocomplete="off"` directly in <body>, outside every template block, and HTML allows
`autocomplete` on no checkbox. The only override that reaches them would be a copy of the whole
base.html (260 lines kept in step with every theme upgrade), so the attribute is taken out of those
two exact tags here instead: a literal replacement of the theme's exact markup, not a pattern, which
fails the build when the theme writes them differently, so that an upgrade is looked at rather than
silently left invalid. The attribute kept Firefox from restoring a checked toggle after a reload;
assets/portal/portal.js clears the two toggles as the page loads instead.
"""
from __future__ import annotations

TOGGLES = tuple(
    f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">'
    for name in ("drawer", "search"))


class ThemeChanged(Exception):
    """The theme no longer writes the markup this module corrects."""


def without_checkbox_autocomplete(page_html: str, where: str = "") -> str:
    for tag in TOGGLES:
        if page_html.count(tag) != 1:
            raise ThemeChanged(f"{where}: the theme's toggle {tag!r} is not there once; "
                               "see scripts/portal/site/theme_markup.py")
        page_html = page_html.replace(tag, tag.replace(' autocomplete="off"', ""), 1)
    return page_html
