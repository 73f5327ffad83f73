"""Every page of the built site passes the Nu HTML Checker (issue 20) with 0 errors.

The checker is vnu.jar from npm's vnu-jar, pinned in tests/html/package-lock.json and installed by
`make html-checker` (part of `make test`), run with the system's Java (17 or newer). One Java start
checks the whole site: vnu walks the folder itself (--skip-non-html), so the command line does not
grow with the number of pages. A fixture with the theme's two old faults runs in the same start and
must give exactly their two errors, so a checker that reports nothing cannot pass for a clean site.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from portal_testing import FIXTURES, ROOT

VNU = ROOT / "tests/html/node_modules/vnu-jar/build/dist/vnu.jar"
FIXTURE = FIXTURES / "html" / "theme-markup-errors.html"
# The fixture's faults beside the exact messages the checker gives for them.
FIXTURE_ERRORS = {
    ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
     "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
     "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, "
     "“url”, or “week”."),
    ('<label class="md-nav__title" for="__toc">',
     "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control."),
}


def _checker() -> list[str]:
    java = shutil.which("java")
    if not java or not VNU.is_file():
        pytest.fail(f"the Nu HTML Checker needs Java 17+ and {VNU.relative_to(ROOT)}: run `make html-checker`")
    return [java, "-jar", str(VNU)]


def test_every_page_of_the_built_site_has_no_html_error(real_site: Path):
    result = subprocess.run([*_checker(), "--errors-only", "--format", "json", "--skip-non-html",
                             str(real_site), str(FIXTURE)], capture_output=True, text=True, timeout=1200)
    messages = json.loads(result.stderr)["messages"]  # vnu reports on stderr; exit 1 when it found errors

    def where(m: dict) -> str:  # vnu writes file:/abs/path
        return m.get("url", "").removeprefix("file:")

    def marked(m: dict) -> str:  # the markup the message is about
        start = m.get("hiliteStart", 0)
        return (m.get("extract") or "")[start:start + m.get("hiliteLength", 0)]

    from_fixture = {(marked(m), m["message"]) for m in messages if where(m) == str(FIXTURE)}
    assert from_fixture == FIXTURE_ERRORS, "the checker must report the fixture's two faults exactly"
    site_errors = [m for m in messages if where(m) != str(FIXTURE)]
    pages = sum(1 for _ in real_site.rglob("*.html"))
    assert pages > 100
    assert not site_errors, f"{len(site_errors)} errors on {pages} pages, the first:\n" + "\n".join(
        f'{where(m)[len(str(real_site)):]}:{m.get("lastLine")}: {m["message"]}' for m in site_errors[:20])


def test_theme_toggles_lose_autocomplete_and_a_changed_theme_stops_the_build():
    from portal.site import theme_markup
    fixture = FIXTURE.read_text(encoding="utf-8")
    page = fixture.replace("</body>", '<input class="md-toggle" data-md-toggle="search" type="checkbox" '
                                      'id="__search" autocomplete="off">\n</body>')
    fixed = theme_markup.without_checkbox_autocomplete(page, "x.html")
    assert 'id="__drawer">' in fixed and 'id="__search">' in fixed and "autocomplete" not in fixed
    with pytest.raises(theme_markup.ThemeChanged, match=r"x\.html: the theme's toggle .*__search"):
        theme_markup.without_checkbox_autocomplete(fixture, "x.html")  # the search toggle is missing
