"""site/finish.py: the language builds' own sitemaps become one index and a sitemap per language."""
from __future__ import annotations

from portal import languages
from portal.site.finish import write_sitemaps

ROOT = "https://example.org/portal/"


def urlset(*locs: str) -> str:
    return "<urlset>" + "".join(f"<url><loc>{loc}</loc></url>" for loc in locs) + "</urlset>"


def test_pages_name_only_the_versions_that_exist(tmp_path):
    (tmp_path / "ru").mkdir()
    (tmp_path / "sitemap.xml").write_text(urlset(ROOT, ROOT + "a/", ROOT + "only-en/"))
    (tmp_path / "sitemap.xml.gz").write_bytes(b"")
    (tmp_path / "ru/sitemap.xml").write_text(urlset(ROOT + "ru/", ROOT + "ru/a/?x=1&y=2"))
    write_sitemaps(tmp_path, languages.registry())  # en, ru, fi; no fi pages here
    index = (tmp_path / "sitemap.xml").read_text()
    assert "<sitemapindex" in index and f"<loc>{ROOT}sitemap-ru.xml</loc>" in index
    assert not (tmp_path / "ru/sitemap.xml").exists() and not (tmp_path / "sitemap.xml.gz").exists()
    en = (tmp_path / "sitemap-en.xml").read_text()
    assert f'<loc>{ROOT}only-en/</loc>\n<xhtml:link rel="alternate" hreflang="en" href="{ROOT}only-en/"/>\n</url>' in en
    assert f'hreflang="ru" href="{ROOT}ru/"' in en
    ru = (tmp_path / "sitemap-ru.xml").read_text()
    assert f"<loc>{ROOT}ru/a/?x=1&amp;y=2</loc>" in ru  # escaped again as XML


def test_no_site_url_no_sitemap(tmp_path):
    (tmp_path / "sitemap.xml").write_text(urlset("None/", "Nonea/"))
    write_sitemaps(tmp_path, languages.registry())
    assert not (tmp_path / "sitemap.xml").exists() and not (tmp_path / "sitemap-en.xml").exists()
