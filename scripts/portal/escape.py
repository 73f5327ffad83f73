"""Output encoding, in one place: record text made safe for the context where it lands.

Record files come from pull requests, so every value is untrusted. Each function here encodes for
exactly one context, and every writer of output (the Markdown templates, the front matter, the
MkDocs hooks and the theme overrides through the Jinja filters registered in hooks.py) uses these:

- Markdown text    md_inline / md_paragraphs: literal text, never Markdown or extension syntax
- Markdown URL     md_url: a link target inside (…) or <…>, from an allow-listed absolute URL
- HTML text/attr   html: &, <, >, " and ' escaped (safe in text and in quoted attribute values)
- HTML page text   html_text / html_attr: the bytes Python-Markdown writes (HTML page templates)
- URL              safe_url: allow-listed scheme, the URL checked as a whole, then percent-encoded
- JSON in <script> json_script: <, >, &, U+2028 and U+2029 escaped so nothing can end the element

MkDocs theme templates do not auto-escape, so values that reach them (page titles, descriptions,
tags) are handed over as markupsafe.Markup, already escaped: `{{ x }}` prints them safely and
`{{ x | e }}` does not escape them twice.

It stands beside render/ and export/, in neither: the pages (render/), the theme (site/) and the
feeds, data files and SVG charts (export/) all encode through it, and render/ and export/ do not
import each other.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from markupsafe import Markup, escape

# ---------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------

# Every ASCII punctuation character that can start Markdown or extension syntax in mkdocs.yml's
# extensions (admonition `!!!`, details `???`, attr_list `{:`, snippets `--8<--`, tables `|`,
# abbreviations `*[`, footnotes `[^`, HTML `<`, entities `&`, …). pymdownx.escapeall lets a
# backslash escape any character and turns \< and \& into &lt; and &amp;, so escaping all of them
# is always correct, and nothing a record contains can become syntax.
_MD_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def md_inline(text: Any) -> str:
    """One line of literal text in Markdown: any run of white space becomes one space."""
    if type(text) is str:  # names and labels recur on thousands of pages: encoded once
        return _md_inline_text(text)
    return _md_inline(text)


def _md_inline(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


_md_inline_text = lru_cache(maxsize=1 << 16)(_md_inline)


def md_paragraphs(text: Any) -> str:
    """Literal text in Markdown, keeping its paragraphs (blank lines in the source)."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(md_inline(p) for p in paragraphs if p.strip())


def plain_inline(text: Any) -> str:
    """Text on one line, for front matter and attributes (encoded later for its context)."""
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

def html(text: Any) -> Markup:
    """HTML text or a double-quoted attribute value; Markup input is taken as already safe."""
    return escape(text)


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def html_text(text: Any) -> str:
    """One line of literal text between HTML tags (the HTML page templates, render/html_page.py):
    any run of white space becomes one space, and &, < and > are escaped, exactly the bytes
    Python-Markdown writes for md_inline's text; quotes need no escaping outside an attribute."""
    if type(text) is str:
        return _html_text(text)
    return " ".join(str(text).split()).translate(_TEXT)


@lru_cache(maxsize=1 << 16)
def _html_text(text: str) -> str:
    return " ".join(text.split()).translate(_TEXT)


def html_attr(text: Any) -> str:
    """A double-quoted attribute value as Python-Markdown writes one (&, <, > and " escaped)."""
    return str(text).translate(_ATTR)


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------

SCHEMES = ("https", "http")  # what a record may link to; javascript:, data:, file: … never
# RFC 3986 reserved and unreserved characters that may stand in a URL as they are. Everything
# else, quotes, angle brackets, parentheses, back-ticks and spaces included, is percent-encoded,
# so a URL can close neither an HTML attribute nor a Markdown link.
_URL_SAFE = "/:?#[]@!$&*+,;=%~-._"
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")


def safe_url(value: Any) -> str | None:
    """An absolute http(s) URL made safe for any context, or None when it is not one.

    The URL is checked as a whole (scheme, host, no white space or control characters anywhere,
    no user:password@), not by its prefix, so nothing after a valid beginning can break out.
    """
    if not isinstance(value, str) or _CONTROL.search(value) or "\\" in value:
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES or not host or "@" in parts.netloc:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not re.fullmatch(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]", host, re.I):
        return None
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme.lower(), netloc, quote(parts.path, safe=_URL_SAFE),
                       quote(parts.query, safe=_URL_SAFE), quote(parts.fragment, safe=_URL_SAFE)))


def md_url(value: Any) -> str:
    """A link target for Markdown `[text](…)` or `<…>`; an unsafe URL becomes an inert '#'."""
    return safe_url(value) or "#"


# ---------------------------------------------------------------------------------------------
# JSON inside <script>
# ---------------------------------------------------------------------------------------------

_JSON_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_script(value: Any) -> Markup:
    """JSON for <script type="application/…json">: no sequence in it can end the element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(re.sub(r"[<>&\u2028\u2029]", lambda m: _JSON_SCRIPT[m.group(0)], text))


def html_attr_json(value: Any) -> Markup:
    """JSON carried in a double-quoted HTML attribute (data-*), read back by JSON.parse."""
    return escape(json.dumps(value, ensure_ascii=False, sort_keys=True))


# ---------------------------------------------------------------------------------------------
# CSV cells
# ---------------------------------------------------------------------------------------------

# A cell a spreadsheet would run as a formula (OWASP "CSV injection"). Quoting is the csv module's
# job; this only keeps a record's text from becoming a formula when a reader opens the file.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A text cell for the csv module: a leading apostrophe before a would-be formula, else as is."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text) else text


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
