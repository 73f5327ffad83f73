"""What the theme receives from a page, made safe, and a Content-Security-Policy on every page.

MkDocs theme templates do not auto-escape: Material prints `page.meta.title` raw in <title> and in
the header, and tag names raw in the tag list. Front matter holds plain text (the generator writes
it, see scripts/portal/render/), so the values the theme prints are escaped here, once, as
markupsafe.Markup: printed as they are they are safe, and `| e` in our own partials does not escape
them twice. The encoding itself is scripts/portal/escape.py.

The policy allows the site's own scripts and, by hash, the few inline scripts the theme's templates
write outside the page content; without 'unsafe-inline', browsers also refuse every inline event
handler (onclick=…). An inline script inside the content (which escaping makes impossible) fails
the build instead of being allowed.
"""
from __future__ import annotations

import base64
import hashlib
import re

from markupsafe import Markup

from portal.escape import html

# Front matter keys whose values a theme template prints as HTML.
TEXT_KEYS = ("title", "description")
LIST_KEYS = ("tags",)

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Script types the browser runs; application/json and application/ld+json are data blocks.
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
_HEAD = re.compile(r"<head\b[^>]*>", re.I)

# style-src 'self': styles come only from the site's stylesheets (no style="" attribute, no <style>
# block: tests/site/test_site_escaping.py looks for them in every built page). Scripts that set
# element.style through the DOM are not affected (CSSOM is not inline style).
# 'wasm-unsafe-eval': the search (Pagefind, scripts/portal/site/search.py) runs its index in
# WebAssembly, which browsers compile only with this source; it allows WebAssembly compilation and
# nothing else (no eval, no inline script). Pagefind's files, its worker and its index chunks all
# come from the site itself ('self').
POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; "
          "style-src 'self'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")


class UnsafeContent(Exception):
    """Live script inside the page content: the build stops rather than publish it."""


def theme_meta(meta: dict) -> None:
    """Escape, in place, the front matter values the theme prints (idempotent: Markup stays)."""
    for key in TEXT_KEYS:
        if isinstance(meta.get(key), str) and not isinstance(meta[key], Markup):
            meta[key] = html(meta[key])
    for key in LIST_KEYS:
        if isinstance(meta.get(key), list):
            meta[key] = [html(v) if isinstance(v, str) and not isinstance(v, Markup) else v
                         for v in meta[key]]


def _content_span(page_html: str) -> tuple[int, int]:
    """Where the page content (Material's <article>) starts and ends; (0, 0) when there is none."""
    start = page_html.find("<article")
    end = page_html.rfind("</article>")
    return (start, end) if 0 <= start < end else (0, 0)


def with_policy(page_html: str, where: str = "") -> str:
    """The page with a CSP <meta> as the first element of <head>."""
    start, end = _content_span(page_html)
    hashes = []
    for match in _SCRIPT.finditer(page_html):
        attrs, body = match.group(1), match.group(2)
        kind = _TYPE.search(attrs)
        if _SRC.search(attrs) or (kind and kind.group(1).lower() not in _EXECUTABLE):
            continue
        if start <= match.start() < end:
            raise UnsafeContent(f"{where}: an inline <script> inside the page content")
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    policy = POLICY.format(hashes="".join(f" {h}" for h in dict.fromkeys(hashes)))
    # Constants and base64 digests only: no character that needs escaping in the attribute.
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = _HEAD.search(page_html)
    if not head:
        return page_html
    return page_html[: head.end()] + "\n  " + meta + page_html[head.end():]
