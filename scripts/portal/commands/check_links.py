"""Link check over the built site (site/), all languages at once.

Internal mode (the default; part of `make test` and of every pull request):
  every href/src that points into the site must name an existing file, and every #fragment must be
  an id (or <a name>) in the target page. Prints one line per broken link,
  `site/ru/projects/x/index.html: href="../y/#partners": no id "partners" in site/ru/projects/y/index.html`,
  and exits 1 if there is any.

External mode (`--external`; only the scheduled workflow uses it, never `make test`, because a site
that is down somewhere must not block an editor): every http(s) address linked from the site is asked
with HEAD (GET when HEAD is refused), with a timeout; broken ones are reported with the pages and the
data/ records that contain them, optionally as a Markdown report (`--report FILE`). Exits 1 if any
is broken.

Exit status: 0 all links work, 1 some are broken, 2 the site folder is missing.
"""
from __future__ import annotations

import concurrent.futures
import posixpath
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[3]

# Attributes that load or link another resource. srcset is split into its URLs.
LINK_ATTRS = {
    "a": ("href",),
    "link": ("href",),
    "area": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
}
# <link rel=...> values that point to the outside world by nature and are not pages of this site.
IGNORED_LINK_RELS = {"preconnect", "dns-prefetch"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:")
EXTERNAL_TIMEOUT = 15  # seconds per request
EXTERNAL_WORKERS = 8
USER_AGENT = "baltic-portal-link-check/1.0 (+scheduled check of the portal's outgoing links)"


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, int]] = field(default_factory=list)  # (attribute, url, line)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag == "link" and IGNORED_LINK_RELS & set(values.get("rel", "").split()):
            return
        line = self.getpos()[0]
        for attr in LINK_ATTRS.get(tag, ()):
            value = values.get(attr)
            if not value:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.page.links.append((attr, url, line))
            else:
                self.page.links.append((attr, value.strip(), line))

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.close()
    return collector.page


def site_url(root: Path = ROOT) -> str:
    """site_url from mkdocs.yml as MkDocs reads it (`!ENV [SITE_URL, default]` included), or ''."""
    from ..site import engine  # noqa: F401  (the mkdocs below is the chosen engine: site/engine.py)
    from mkdocs.utils.yaml import yaml_load
    config = root / "mkdocs.yml"
    if not config.is_file():
        return ""
    with open(config, encoding="utf-8") as handle:
        return str(yaml_load(handle).get("site_url") or "")


def site_base_path(root: Path = ROOT) -> str:
    """The path part of site_url ('/portal/' for https://x.github.io/portal/), or '/'.

    MkDocs writes root-relative links (404.html, language switcher) with this prefix."""
    path = urlsplit(site_url(root)).path or "/"
    return path if path.endswith("/") else path + "/"


class Site:
    """The built site: pages parsed lazily, once each."""

    def __init__(self, directory: Path, base_path: str = "/") -> None:
        self.dir = directory
        self.base = base_path if base_path.endswith("/") else base_path + "/"
        self._pages: dict[Path, Page] = {}

    def page(self, path: Path) -> Page:
        if path not in self._pages:
            self._pages[path] = parse_page(path)
        return self._pages[path]

    def html_files(self) -> list[Path]:
        return sorted(self.dir.rglob("*.html"))

    def resolve(self, page: Path, url_path: str) -> Path | None:
        """The file a link's path part points to, or None when it is outside the site."""
        url_path = unquote(url_path)
        if url_path.startswith("/"):
            if not url_path.startswith(self.base) and url_path + "/" != self.base:
                return None
            rel = url_path[len(self.base):] if url_path.startswith(self.base) else ""
        else:
            page_dir = page.parent.relative_to(self.dir).as_posix()
            rel = posixpath.join("" if page_dir == "." else page_dir, url_path)
        trailing = rel.endswith("/") or rel == ""
        rel = posixpath.normpath(rel) if rel else "."
        if rel == ".." or rel.startswith("../"):
            return None
        target = self.dir / rel
        if trailing or target.is_dir():
            target = target / "index.html"
        return target


def _display(path: Path, site_dir: Path | None = None) -> str:
    """site/ru/index.html: relative to the folder holding the site (or the repository)."""
    for base in ((site_dir.parent,) if site_dir else ()) + (ROOT,):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def check_internal(site: Site) -> list[str]:
    """Every broken internal link and anchor, one message each."""
    problems: list[str] = []
    for page_path in site.html_files():
        page = site.page(page_path)
        for attr, url, line in page.links:
            if url.lower().startswith(SKIPPED_SCHEMES):
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # the outside world: --external
            where = f"{_display(page_path, site.dir)}:{line}: {attr}=\"{url}\""
            if "//" in parts.path:
                # '/portal//ru/' is not '/portal/ru/' on every server (GitHub Pages answers 404).
                problems.append(f"{where}: empty path segment ('//'); build the address without it")
                continue
            if parts.path:
                target = site.resolve(page_path, parts.path)
                if target is None:
                    problems.append(f"{where}: points outside the site folder")
                    continue
                if not target.is_file():
                    problems.append(f"{where}: no such file {_display(target, site.dir)}")
                    continue
            else:
                target = page_path
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in site.page(target).ids:
                problems.append(f"{where}: no id \"{fragment}\" in {_display(target, site.dir)}")
    return problems


# --- external links ---------------------------------------------------------------------------

def external_links(site: Site, own_url: str = "") -> dict[str, set[str]]:
    """Every http(s) address linked from the site -> the site pages that link to it.

    Addresses under the site's own site_url (canonical links, language alternates) are left out:
    they are pages of this site, which the internal check covers."""
    found: dict[str, set[str]] = {}
    for page_path in site.html_files():
        for attr, url, _line in site.page(page_path).links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") and parts.netloc:
                if own_url and url.startswith(own_url):
                    continue
                address = url.split("#", 1)[0]
                found.setdefault(address, set()).add(page_path.relative_to(site.dir).as_posix())
    return found


def records_mentioning(addresses: list[str], data_dir: Path) -> dict[str, list[str]]:
    """address -> the data/ files whose text contains it, so an editor knows which record to fix."""
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in sorted(data_dir.rglob("*.yml"))}
    return {a: [p.relative_to(data_dir.parent).as_posix() for p, t in texts.items() if a.rstrip("/") in t]
            for a in addresses}


def probe(url: str, timeout: float = EXTERNAL_TIMEOUT) -> str | None:
    """None when the address answers with a success (after redirects), else what went wrong."""
    import requests  # only the external mode needs it

    headers = {"User-Agent": USER_AGENT}
    try:
        response = requests.head(url, allow_redirects=True, timeout=timeout, headers=headers)
        if response.status_code >= 400:
            # Many servers refuse HEAD or answer it wrongly: ask again with GET before judging.
            response = requests.get(url, allow_redirects=True, timeout=timeout, headers=headers, stream=True)
            response.close()
        if response.status_code >= 400:
            return f"HTTP {response.status_code}"
        return None
    except requests.RequestException as exc:
        return type(exc).__name__ + (f": {exc.args[0]}" if exc.args else "")


def check_external(site: Site, data_dir: Path, report_path: Path | None, stream) -> int:
    links = external_links(site, site_url())
    addresses = sorted(links)
    broken: dict[str, str] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=EXTERNAL_WORKERS) as pool:
        for address, outcome in zip(addresses, pool.map(probe, addresses)):
            if outcome is not None:
                broken[address] = outcome
    records = records_mentioning(sorted(broken), data_dir)
    lines = [f"# External links: {len(broken)} broken of {len(addresses)} checked", ""]
    if not broken:
        lines.append("Every external link answered.")
    for address, outcome in broken.items():
        print(f"{address}: {outcome}", file=stream)
        lines.append(f"- <{address}>: **{outcome}**")
        if records[address]:
            lines.append(f"  - records: {', '.join(f'`{r}`' for r in records[address])}")
        pages = sorted(links[address])
        more = f" and {len(pages) - 5} more" if len(pages) > 5 else ""
        lines.append(f"  - pages: {', '.join(f'`{p}`' for p in pages[:5])}{more}")
    print(f"{len(broken)} broken of {len(addresses)} external links.", file=stream)
    if report_path is not None:
        report_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if broken else 0


# --- command ----------------------------------------------------------------------------------

def run(site_dir: Path, base_path: str | None, external: bool, report_path: Path | None) -> int:
    """`portal check-links`: 0 all resolve, 1 broken links, 2 no built site."""
    if not (site_dir / "index.html").is_file():
        print(f"{_display(site_dir)}: no built site here; run `make site` first.", file=sys.stderr)
        return 2
    site = Site(site_dir, base_path if base_path is not None else site_base_path())
    if external:
        return check_external(site, ROOT / "data", report_path, sys.stdout)
    problems = check_internal(site)
    for problem in problems:
        print(problem)
    pages = len(site.html_files())
    if problems:
        print(f"\n{len(problems)} broken internal link{'s' if len(problems) != 1 else ''} in {pages} pages.")
        return 1
    print(f"Internal links and anchors: all resolve ({pages} pages).")
    return 0
