"""Nothing a record contains can run in a reader's browser (issue 8).

Hostile but valid records (tests/fixtures/escaping/data) are built into a whole site; each case's
exact safe output is in tests/fixtures/escaping/expected.txt, and an HTML tokenizer checks every page
for markup that came from record text. The real site gets the same tokenizer check, and its
description tags are compared with the descriptions the generator wrote.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from portal_testing import FIXTURES, build, make_overlay_repo


CASES = FIXTURES / "escaping"
MARKER = "pwn"  # every hostile payload carries it


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    repo = make_overlay_repo(tmp_path_factory.mktemp("hostile") / "repo", CASES / "data")
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "site"


def expected_lines() -> list[tuple[str, str]]:
    rows = []
    for line in (CASES / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            page, html = line.split(" | ", 1)
            rows.append((page, html))
    return rows


@pytest.mark.parametrize("page,html", expected_lines())
def test_exact_safe_output(hostile_site, page, html):
    text = (hostile_site / page).read_text(encoding="utf-8")
    assert html in text, f"{page} lacks {html!r}"


class LiveMarkup(HTMLParser):
    """Collects what would run or change the page: elements, attributes, scripts, URLs."""

    EXECUTABLE = {None, "", "text/javascript", "application/javascript", "module"}

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker, self.found, self._script = marker, [], None

    def handle_starttag(self, tag, attrs):
        if self.marker in tag:
            self.found.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if self.marker in name or name.startswith("on"):
                self.found.append(f"attribute {name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                self.found.append(f"{name}={value!r} on <{tag}>")
            if tag == "meta" and name == "content" and self.marker in value and "<" in value and "http-equiv" in dict(attrs):
                self.found.append(f"http-equiv meta with {value!r}")
        if tag in ("script", "style"):
            self._script = (tag, dict(attrs).get("type"))

    def handle_endtag(self, tag):
        self._script = None

    def handle_data(self, data):
        if not self._script or self.marker not in data:
            return
        tag, kind = self._script
        if tag == "style" or kind in self.EXECUTABLE:
            self.found.append(f"<{tag}> containing {data[:80]!r}")
        else:  # a data block: must still be one valid JSON value
            try:
                json.loads(data)
            except ValueError:
                self.found.append(f"<script type={kind}> that is not JSON: {data[:80]!r}")


def live_markup(site: Path, marker: str) -> dict[str, list[str]]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        parser = LiveMarkup(marker)
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            out[page.relative_to(site).as_posix()] = parser.found
    return out


def test_no_live_markup_from_records_on_any_page(hostile_site):
    assert live_markup(hostile_site, MARKER) == {}


def test_the_tokenizer_check_catches_live_markup(tmp_path):
    # The check above must be able to fail.
    (tmp_path / "a.html").write_text('<p><img src=x onerror="pwn()"><a href="javascript:pwn()">x</a>'
                                     '<script>pwn()</script><script type="application/ld+json">{"a": pwn}'
                                     '</script></p>', encoding="utf-8")
    found = live_markup(tmp_path, MARKER)["a.html"]
    assert len(found) == 4, found


def test_every_page_has_a_content_security_policy(hostile_site):
    for page in ("projects/title-script/index.html", "ru/organizations/jsonld-breakout/index.html",
                 "404.html", "fi/404.html", "index.html"):
        text = (hostile_site / page).read_text(encoding="utf-8")
        policy = re.search(r'<head>\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert policy, page
        script_src = re.search(r"script-src ([^;]+)", policy.group(1)).group(1)
        assert "unsafe-inline" not in script_src and "'self'" in script_src, script_src
        style_src = re.search(r"style-src ([^;]+)", policy.group(1)).group(1)
        assert style_src == "'self'", style_src


class InlineStyles(HTMLParser):
    """Every style="" attribute and <style> element of a page (HTML and inline SVG alike)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"<{tag} style={value!r}>" for name, value in attrs if name == "style"]


def inline_styles(site: Path) -> dict[str, list[str]]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        parser = InlineStyles()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            out[page.relative_to(site).as_posix()] = parser.found
    return out


def test_no_page_of_the_real_site_has_an_inline_style(real_site):
    """The policy's style-src 'self' refuses inline styles: none may be left for it to refuse (the
    status tables, the charts, the map and the 404 pages style themselves by class or by SVG
    presentation attributes)."""
    assert not inline_styles(real_site)


def test_the_inline_style_check_finds_attributes_and_blocks(tmp_path):
    (tmp_path / "a.html").write_text('<p style="color: red">x</p><svg><rect style="fill: red"/></svg>'
                                     '<style>p {}</style><td align="right">1</td>', encoding="utf-8")
    assert inline_styles(tmp_path) == {"a.html": ["<p style='color: red'>", "<rect style='fill: red'>",
                                                  "<style>"]}


def _front_matter(md: Path) -> dict:
    text = md.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


class Meta(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content")


def test_real_pages_carry_their_whole_description_and_title(real_site):
    # No attribute is cut at a quote: the head holds exactly what the generator wrote.
    docs = real_site.parent / "docs"
    checked = 0
    for md in sorted(docs.glob("*/*/*.md")):
        lang, folder = md.parts[-3], md.parts[-2]
        if folder not in ("projects", "organizations", "events", "playbooks") or md.name == "index.md":
            continue
        meta = _front_matter(md)
        if "redirect" in meta:  # a merged record's old address: no description of its own
            continue
        html = real_site / ("" if lang == "en" else lang) / folder / md.stem / "index.html"
        parser = Meta()
        parser.feed(html.read_text(encoding="utf-8"))
        for key in ("description", "og:description", "twitter:description"):
            assert parser.meta.get(key) == meta["description"], (html, key)
        for key in ("og:title", "twitter:title"):
            assert parser.meta.get(key) == meta["title"], (html, key)
        checked += 1
    assert checked > 100


def test_real_site_has_no_live_markup_from_records(real_site):
    # Record text on the real site contains no marker; what we look for here is any event handler,
    # javascript: URL or non-JSON data block, whatever its origin.
    assert live_markup(real_site, "\x00never\x00") == {}
