"""Every internal link and anchor of the built site resolves, in English, Russian and Finnish.

The site is the one `make site` builds (site/, or PORTAL_SITE_DIR), of the current inputs: a stale
site/ is built again here, a stale PORTAL_SITE_DIR fails, as in the browser tests. The base path comes from the built sitemap, so the check matches the
site_url the site was built for.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from portal.commands import check_links

pytestmark = pytest.mark.slow  # not in `make check`: it needs the built site

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("PORTAL_SITE_DIR") or ROOT / "site")


@pytest.fixture(scope="module")
def built_site() -> Path:
    from portal_testing import current_site
    return current_site(SITE, given="PORTAL_SITE_DIR" in os.environ)


def test_internal_links_and_anchors_resolve_in_every_language(built_site: Path) -> None:
    match = re.search(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text(encoding="utf-8"))
    base = urlsplit(match.group(1)).path if match else "/"
    base = base.rsplit("/", 1)[0] + "/" if base.endswith(".xml") else base  # a sitemap index
    site = check_links.Site(built_site, base)
    pages = {p.relative_to(built_site).parts[0] for p in site.html_files()}
    assert {"ru", "fi", "index.html"} <= pages, "all three languages are built"
    for lang in ("", "ru/", "fi/"):
        assert (built_site / lang / "contributing" / "index.html").is_file()
        assert (built_site / lang / "translation-status" / "index.html").is_file()
    problems = check_links.check_internal(site)
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems[:50])
