"""One copy of the theme's and the portal's assets for the whole site, at <root>/assets/ (issue 21).

Each language's MkDocs build (site/build.py) copies Material's files (style sheets, the bundle, the
favicon) and overrides/assets/ into its own assets/ folder: left as they are, a reader who switched
from English to Russian downloaded the same files again under /ru/assets/. So every page of a
language other than the source one is pointed at the root's copy where it is made: hooks.py hands
each page and the 404 page of that language's own build to point_at_root() as MkDocs writes it, and
a page an incremental build keeps from the previous one (site/incremental.py) was made so already.
Once the parts are put together (site/finish.py), share() removes each language's assets/, which
must be byte for byte what the root (the source language's build) has; it reads no page. A file
that differs from the root's, or that the root lacks, fails the build: one of them is never picked
silently.

Why the URLs are rewritten: Material writes its asset URLs in base.html, outside every block, with
MkDocs' `url` filter, relative to the language's own root; no documented option points them
elsewhere. Rewriting the URLs that resolve into <lang>/assets/ needs no knowledge of the theme's
file names, so it survives a theme upgrade. Only `src` and `href` attributes and the strings of
Material's `__config` JSON (which names the search worker) are read; `__config.base` names the
language's root, not an asset, and stays. The Content-Security-Policy is untouched: it allows
'self' for style sheets and scripts, and hashes only inline scripts, which are not rewritten.
The rewrite is idempotent: a page already pointing at the root is left as it is.

The live preview (`portal serve`) shares nothing: mkdocs-static-i18n builds every language in one
process, and its per-language rebuilds (site/serve_workers.py) are left alone by hooks.py, so each
language keeps its assets/ and its pages point there, as the theme wrote them.
"""
from __future__ import annotations

import filecmp
import posixpath
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ASSETS = "assets/"
# Where the site's root is unknown (no site_url): any origin does, only the paths are compared.
NO_ADDRESS = "http://site.invalid/"

_CONFIG = '<script id="__config" type="application/json">'
_ATTRIBUTES = ("src", "href")


class AssetsDiffer(Exception):
    """A language's build shipped an asset that is not the root's: the site cannot share one copy."""


def different_files(own: Path, shared: Path) -> list[str]:
    """The files of `own` (a language's assets/) that `shared` (the root's) lacks or has otherwise."""
    out = []
    for path in sorted(p for p in own.rglob("*") if p.is_file()):
        rel = path.relative_to(own).as_posix()
        twin = shared / rel
        if not twin.is_file() or not filecmp.cmp(path, twin, shallow=False):
            out.append(rel)
    return out


def share(site: Path, prefixes: list[str]) -> None:
    """Remove the assets/ of every language under `prefixes` ("ru/", "fi/"), whose pages point at
    the root's already (point_at_root), once it is found the same as the root's (see the module)."""
    shared = site / "assets"
    for prefix in prefixes:
        own = site / prefix / "assets"
        if not own.is_dir():
            continue
        wrong = different_files(own, shared)
        if wrong:
            listed = "\n".join(f"  {prefix}assets/{rel}" for rel in wrong[:20])
            more = f"\n  … and {len(wrong) - 20} more" if len(wrong) > 20 else ""
            raise AssetsDiffer(
                f"{prefix}assets/ is not the same as the root's assets/ (the source language's "
                f"build): every language must ship the same theme and portal files to share one "
                f"copy. Missing at the root or different:\n{listed}{more}")
        shutil.rmtree(own)


def point_at_root(html: str, path: str, prefix: str, root_url: str = "") -> str:
    """`html`, the page at `path` in the site ("ru/projects/x/index.html") of the language under
    `prefix` ("ru/"), with its URLs into <prefix>assets/ pointing into the root's assets/ instead.
    `root_url` is the site's public address ("https://host/portal/"), for absolute asset URLs such
    as the 404 page's; without it those are compared as paths from "/"."""
    if not root_url.startswith(("http://", "https://")):
        root_url = NO_ADDRESS
    root_url = root_url if root_url.endswith("/") else root_url + "/"
    return rewrite(html, root_url + posixpath.dirname(path) + "/", root_url + prefix + ASSETS,
                   root_url + ASSETS)


def rewrite(html: str, page_dir: str, own: str, shared: str) -> str:
    """`html` (a page whose folder's address is `page_dir`) with every src/href and __config URL
    that resolves into `own` (".../ru/assets/") pointing into `shared` (".../assets/") instead,
    written the way it was: relative, from the host's root, or whole."""
    out, done = [], 0
    for start, end in _asset_values(html):
        new = _moved(html[start:end], page_dir, own, shared)
        if new is not None:
            out += [html[done:start], new]
            done = end
    return "".join(out + [html[done:]]) if out else html


def _asset_values(html: str):
    """(start, end) of every src/href value, and every string of the __config JSON, that names an
    assets/ folder. Found from the word "assets/" outwards (str.find), not by matching every
    attribute: a catalogue page has hundreds of links and the site tens of thousands of pages."""
    config = html.find(_CONFIG)
    config_end = html.find("</script>", config) if config >= 0 else -1
    pos = html.find(ASSETS)
    while pos >= 0:
        span = None
        for quote in ('"', "'"):
            opening = html.rfind(quote, 0, pos)
            closing = html.find(quote, pos)
            if opening < 0 or closing < 0 or "\n" in html[opening:closing]:
                continue
            if config < opening < config_end:  # a JSON string of __config (plain: no escapes)
                if quote == '"' and "\\" not in html[opening:closing]:
                    span = (opening + 1, closing)
            elif html[opening - 1] == "=" and _is_url_attribute(html, opening - 1):
                span = (opening + 1, closing)
            if span:
                break
        if span:
            yield span
            pos = html.find(ASSETS, span[1])
        else:
            pos = html.find(ASSETS, pos + len(ASSETS))


def _is_url_attribute(html: str, equals: int) -> bool:
    """Whether the `=` at `equals` follows ` src` or ` href` (not data-src, not srcdoc)."""
    for name in _ATTRIBUTES:
        start = equals - len(name)
        if html.startswith(name, start) and start > 0 and html[start - 1] in " \t\n\r":
            return True
    return False


def _moved(value: str, page_dir: str, own: str, shared: str) -> str | None:
    """`value` pointed from `own` into `shared`, in its own form; None when it is not into `own`."""
    target = urljoin(page_dir, value)
    if not target.startswith(own):
        return None
    new = urlsplit(shared + target[len(own):])
    if urlsplit(value).scheme:
        return new.geturl()
    if value.startswith("//"):
        return "//" + new.netloc + new.path + _rest(new)
    if value.startswith("/"):
        return new.path + _rest(new)
    path = posixpath.relpath(new.path, urlsplit(page_dir).path)
    return path + ("/" if new.path.endswith("/") else "") + _rest(new)


def _rest(parts) -> str:
    """The query and fragment of a split URL, as they were written."""
    return ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
