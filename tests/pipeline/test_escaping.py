"""The output encoders, one context at a time (scripts/portal/escape.py)."""
from __future__ import annotations

import json

import markdown
import pytest
from markupsafe import Markup

from portal.escape import html, json_script, md_inline, md_paragraphs, md_url, safe_url

# The Markdown extensions the site uses, as MkDocs configures them (snippets would read files).
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.escapeall",
              "pymdownx.details", "pymdownx.snippets"]


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


# Each record text beside the exact HTML it must become: the same characters shown literally (white
# space folded to one space), with <, > and & encoded; no markup, no attribute, no link.
@pytest.mark.parametrize("text,expected", [
    ('!!! danger "x"', '<p>!!! danger "x"</p>'),
    ('??? note "x"', '<p>??? note "x"</p>'),
    ("???+ note", "<p>???+ note</p>"),
    ("{: #id .cls onclick=x }", "<p>{: #id .cls onclick=x }</p>"),
    ('--8<-- "mkdocs.yml"', '<p>--8&lt;-- "mkdocs.yml"</p>'),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("<script>x</script>", "<p>&lt;script&gt;x&lt;/script&gt;</p>"),
    ("<!-- x", "<p>&lt;!-- x</p>"),
    ("&amp; &lt;", "<p>&amp;amp; &amp;lt;</p>"),
    ("| a | b |", "<p>| a | b |</p>"),
    ("*[HTML]: Hyper", "<p>*[HTML]: Hyper</p>"),
    ("[^1]: note", "<p>[^1]: note</p>"),
    ("1. item", "<p>1. item</p>"),
    ("- item", "<p>- item</p>"),
    ("# heading", "<p># heading</p>"),
    ("> quote", "<p>&gt; quote</p>"),
    ("    code", "<p>code</p>"),
    ("```js", "<p>```js</p>"),
    ("~~~", "<p>~~~</p>"),
    ("<https://example.org>", "<p>&lt;https://example.org&gt;</p>"),
    ("a *b* _c_ `d` ~~e~~ ^f^", "<p>a *b* _c_ `d` ~~e~~ ^f^</p>"),
    ("x\\", "<p>x\\</p>"),
    ("\\\\", "<p>\\\\</p>"),
    ("a  \nb", "<p>a b</p>"),
    ('<div markdown="1">*x*</div>', '<p>&lt;div markdown="1"&gt;*x*&lt;/div&gt;</p>'),
    ("Term\n: definition", "<p>Term : definition</p>"),
])
def test_md_inline_is_shown_literally(text, expected):
    assert to_html(md_inline(text)) == expected


def test_md_paragraphs_keeps_paragraphs_and_nothing_else():
    out = to_html(md_paragraphs("!!! note\n\n??? x\n\n\n<b>y</b>\nz"))
    assert out == "<p>!!! note</p>\n<p>??? x</p>\n<p>&lt;b&gt;y&lt;/b&gt; z</p>"


@pytest.mark.parametrize("url,expected", [
    ("https://example.org/", "https://example.org/"),
    ("HTTPS://Example.org/a b", None),
    ("https://example.org/wiki/Cluster_(economics)", "https://example.org/wiki/Cluster_%28economics%29"),
    ('https://example.org/"onmouseover="x', "https://example.org/%22onmouseover=%22x"),
    ("https://example.org/<script>", "https://example.org/%3Cscript%3E"),
    ("https://example.org/?q=a'b&c=`d`", "https://example.org/?q=a%27b&c=%60d%60"),
    ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"),
    ("http://example.org:8080/x#y", "http://example.org:8080/x#y"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    (" https://example.org/", None),
    ("https://example.org/\nx", None),
    ("https://example.org/\u2028", None),
    ("data:text/html,<script>", None),
    ("//example.org/", None),
    ("https://user:pass@example.org/", None),
    ("https://example.org\\@evil.org/", None),
    ("https://exa mple.org/", None),
    ("https:///path", None),
    ("https://example.org:99999/", None),
    ("ftp://example.org/", None),
    (42, None),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_md_url_makes_an_unsafe_link_inert():
    assert md_url("javascript:alert(1)") == "#"
    spaced, quoted = md_url("https://example.org/a(b) c"), md_url('https://example.org/"x')
    out = to_html(f"[x]({spaced}) <{quoted}>")
    assert '<a href="#">x</a>' in out  # white space anywhere makes the whole URL unsafe
    assert '<a href="https://example.org/%22x">https://example.org/%22x</a>' in out


def test_json_script_cannot_end_the_element():
    value = {"name": "</script><script>alert(1)</script><!-- \u2028\u2029 & '"}
    text = json_script(value)
    assert isinstance(text, Markup)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_html_escapes_text_and_attributes_once():
    assert html('<a href="x">\'&') == "&lt;a href=&#34;x&#34;&gt;&#39;&amp;"
    assert html(html("&")) == "&amp;"  # Markup is not escaped twice
