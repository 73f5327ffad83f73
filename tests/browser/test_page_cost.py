"""What a page costs a phone before it settles (issue 20, Lighthouse mobile; benchmarks/lighthouse.py
measures the scores): no requests the page has no use for.

Record and page names are real records of data/ (ekolend).
"""
from __future__ import annotations

import pytest

from .conftest import LANGUAGES

LANG_PREFIX = {"en": "", "ru": "ru/", "fi": "fi/"}
PAGES = ["", "projects/", "projects/ekolend/", "map/"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_requests_a_sitemap(watched, site_url, lang):
    """Material's bundle would ask for sitemap.xml five times on every page (its instant navigation,
    off here, and its language-switcher interception, which portal.js keeps from acting);
    assets/portal/portal.js ends those requests before they are sent, without an error."""
    page = watched.page
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    for path in PAGES:
        page.goto(site_url + LANG_PREFIX[lang] + path)
        page.wait_for_load_state("networkidle")
    sitemaps = [url for url in asked if url.split("?")[0].endswith("sitemap.xml")]
    assert not sitemaps, "sitemap requests:\n" + "\n".join(sitemaps)
    assert not watched.errors, "\n".join(watched.errors)
