"""One copy of the theme's and the portal's assets for the whole site (site/shared_assets.py, issue 21):
each language's pages point into the root's assets/ as its build writes them (hooks.py), its own copy
is gone, and a copy that differs from the root's fails the build with a message that names the files."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from portal import languages
from portal.site.shared_assets import AssetsDiffer, point_at_root, rewrite, share

ROOT_URL = "https://example.org/portal/"
OWN, SHARED = ROOT_URL + "ru/assets/", ROOT_URL + "assets/"


@pytest.mark.parametrize("page_dir, before, after", [
    # relative, from the language's home and from a page two folders down
    ("ru/", '<link rel="stylesheet" href="assets/stylesheets/main.css">',
     '<link rel="stylesheet" href="../assets/stylesheets/main.css">'),
    ("ru/projects/x/", '<script src="../../assets/portal/portal.js" defer></script>',
     '<script src="../../../assets/portal/portal.js" defer></script>'),
    # the 404 page's absolute paths, a whole address, single quotes, a query and a fragment
    ("ru/", '<link rel="icon" href="/portal/ru/assets/images/favicon.png">',
     '<link rel="icon" href="/portal/assets/images/favicon.png">'),
    ("ru/a/", f'<img src="{OWN}portal/og/card-ru.png">', f'<img src="{SHARED}portal/og/card-ru.png">'),
    ("ru/a/", "<img src='../assets/x.png?v=1#top'>", "<img src='../../assets/x.png?v=1#top'>"),
    # Material's __config names the search worker; its base (the language's root) stays
    ("ru/a/", '<script id="__config" type="application/json">{"base": "../..", "search": '
              '"../assets/javascripts/workers/search.js"}</script>',
     '<script id="__config" type="application/json">{"base": "../..", "search": '
     '"../../assets/javascripts/workers/search.js"}</script>'),
])
def test_urls_into_the_languages_assets_point_at_the_roots(page_dir, before, after):
    assert rewrite(before, ROOT_URL + page_dir, OWN, SHARED) == after
    assert rewrite(after, ROOT_URL + page_dir, OWN, SHARED) == after  # done twice, the same


@pytest.mark.parametrize("html", [
    '<a href="../../assets/x.css">',                        # from ru/a/: the root's already
    '<a href="https://example.com/ru/assets/x.pdf">',       # another host
    '<img data-src="assets/x.png">',                        # not a src attribute
    '<p>"assets/x.png" is a file name in the text</p>',     # text, not an attribute
    '<script type="application/json">{"a": "assets/x"}</script>',  # JSON that is not __config
    '<a href="../other-assets/x">',                           # another folder whose name ends so
])
def test_everything_else_is_left_as_it_is(html):
    assert rewrite(html, ROOT_URL + "ru/a/", OWN, SHARED) == html


def _site(tmp_path: Path, ru_css: bytes) -> Path:
    site = tmp_path / "site"
    for folder, css in (("", b"body{}"), ("ru/", ru_css)):
        (site / folder / "assets/stylesheets").mkdir(parents=True)
        (site / folder / "assets/stylesheets/main.css").write_bytes(css)
        (site / folder / "index.html").write_text(
            '<link rel="stylesheet" href="assets/stylesheets/main.css">', encoding="utf-8")
    return site


def test_a_page_is_pointed_at_the_root_from_its_place_in_the_site():
    html = '<link rel="stylesheet" href="../../assets/stylesheets/main.css">'
    assert point_at_root(html, "ru/projects/x/index.html", "ru/", ROOT_URL) == \
        '<link rel="stylesheet" href="../../../assets/stylesheets/main.css">'
    # the language's home and its 404 page (absolute paths); without the site's address
    assert point_at_root('<a href="assets/x.css">', "fi/index.html", "fi/", ROOT_URL) == '<a href="../assets/x.css">'
    assert point_at_root('<img src="/ru/assets/x.png">', "ru/404.html", "ru/") == '<img src="/assets/x.png">'


RU_BUILD = {"language": "ru", "prefix": "ru/", "site_root": ROOT_URL}


@pytest.mark.parametrize("build, serving, expected", [
    (RU_BUILD, False, '<img src="/portal/assets/x.png">'),
    ({"language": "en", "prefix": "", "site_root": ROOT_URL}, False, '<img src="/portal/ru/assets/x.png">'),
    # the preview: mkdocs-static-i18n builds every language, or a language's rebuild (serve_workers.py)
    (None, True, '<img src="/portal/ru/assets/x.png">'),
    (RU_BUILD, True, '<img src="/portal/ru/assets/x.png">'),
])
def test_a_languages_own_build_writes_its_pages_pointing_at_the_root(build, serving, expected, monkeypatch):
    from types import SimpleNamespace

    from portal.site import hooks
    monkeypatch.setitem(hooks._SERVING, "on", serving)
    config = SimpleNamespace(extra={"portal_build": build} if build else {})
    assert hooks._pointing_at_shared_assets('<img src="/portal/ru/assets/x.png">', "404.html", config) == expected


def test_a_language_loses_its_copy_and_its_pages_are_not_read(tmp_path):
    site = _site(tmp_path, b"body{}")
    share(site, ["ru/"])
    assert not (site / "ru/assets").exists()
    assert (site / "assets/stylesheets/main.css").read_bytes() == b"body{}"
    # its build pointed them at the root already: finish leaves them as they are
    assert (site / "ru/index.html").read_text() == '<link rel="stylesheet" href="assets/stylesheets/main.css">'
    share(site, ["ru/"])  # a second run finds nothing to do


def test_a_language_asset_that_differs_from_the_roots_fails(tmp_path):
    site = _site(tmp_path, b"body{color:red}")
    (site / "ru/assets/only-ru.js").write_text("1", encoding="utf-8")
    with pytest.raises(AssetsDiffer) as failed:
        share(site, ["ru/"])
    assert str(failed.value) == (
        "ru/assets/ is not the same as the root's assets/ (the source language's build): every "
        "language must ship the same theme and portal files to share one copy. Missing at the root "
        "or different:\n  ru/assets/only-ru.js\n  ru/assets/stylesheets/main.css")
    # nothing was changed: the language keeps its copy and its pages
    assert (site / "ru/assets/stylesheets/main.css").read_bytes() == b"body{color:red}"
    assert (site / "ru/index.html").read_text() == '<link rel="stylesheet" href="assets/stylesheets/main.css">'


def test_the_build_fails_with_that_message(tmp_path, monkeypatch):
    """finish() turns the difference into the build's error (FinishFailed: `ERROR - …`, exit 1)."""
    from portal.site import finish
    site = _site(tmp_path, b"body{color:red}")
    monkeypatch.setattr(finish.search, "index_site", lambda *a: pytest.fail("indexed a site that failed"))
    with pytest.raises(finish.FinishFailed, match=r"^ru/assets/ is not the same as the root's assets/"):
        finish.finish(site)


# ------------------------------------------------------------------ the real site

_URL = re.compile(r"""(?<![\w-])(?:src|href)=["']([^"']*assets/[^"']*)["']|"search": "([^"]*)\"""")


def _base_path(site: Path) -> str:
    match = re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    path = urlsplit(match.group(1)).path if match else "/"
    return path.rsplit("/", 1)[0] + "/" if path.endswith(".xml") else path


def test_no_language_ships_its_own_assets(real_site):
    registry = languages.registry()
    assert (real_site / "assets/portal/portal.js").is_file()
    assert [c for c in registry.targets if (real_site / c / "assets").exists()] == []


def test_every_asset_url_of_every_page_names_a_file_of_the_roots_assets(real_site):
    base = _base_path(real_site)
    shared = (real_site / "assets").resolve()
    pages = sorted(real_site.rglob("*.html"))
    missing, checked = [], 0
    for page in pages:
        rel = page.relative_to(real_site)
        for match in _URL.finditer(page.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # pages of other hosts; the site's own pages use paths
            path = unquote(parts.path)
            target = (real_site / path[len(base):]) if path.startswith("/") else (page.parent / path)
            target = target.resolve()
            checked += 1
            if not target.is_file() or shared not in target.parents:
                missing.append(f"{rel}: {url}")
    assert checked >= 7 * len(pages) and not missing, f"{checked} URLs; wrong:\n" + "\n".join(missing[:20])
