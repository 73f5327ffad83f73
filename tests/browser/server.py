"""A static server for the built site that behaves like GitHub Pages where the tests care.

- The site is served under the base path of `site_url` (e.g. /baltic-portal/), so absolute paths in
  the 404 page and the language detection by path are tested as deployed.
- A missing path answers 404 with the site's root 404.html as the body, as GitHub Pages does.
- A directory without a trailing slash is redirected (301) to the slash form.
- Files are sent with GitHub Pages' caching headers: `Cache-Control: max-age=600`, an ETag and
  Last-Modified, and a request that names the current ETag (If-None-Match) is answered 304; so a
  browser keeps the theme's files across pages as it does on the real host (tests that must see
  every download route their requests, which turns Playwright's cache off).
- Every request is noted (`server.requests`: method, path, status), so a test can see what reached
  the server and what the browser took from its cache.
Only 127.0.0.1; started by the `site_server` fixture in a thread.
"""
from __future__ import annotations

import email.utils
import hashlib
import http.server
import threading
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    site: Path
    base: str  # "/baltic-portal/" or "/"

    def __init__(self, *args, site: Path, base: str, **kwargs):
        self.site = site
        self.base = base
        super().__init__(*args, directory=str(site), **kwargs)

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def send_response(self, code, message=None):
        self.server.requests.append((self.command, urlsplit(self.path).path, code))
        super().send_response(code, message)

    def _local(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.base) and path + "/" != self.base:
            return None
        rel = path[len(self.base):] if path.startswith(self.base) else ""
        target = (self.site / rel).resolve()
        if self.site.resolve() not in (target, *target.parents):
            return None
        return target

    def send_head(self):
        target = self._local()
        path = urlsplit(self.path).path
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return None
            target = target / "index.html"
        if target is None or not target.is_file():
            body = (self.site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            from io import BytesIO
            return BytesIO(body)
        ctype = self.guess_type(str(target))
        stat = target.stat()
        etag = '"%s"' % hashlib.sha1(f"{target}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            self.send_response(304)
            self._caching_headers(etag, stat)
            self.end_headers()
            return None
        f = open(target, "rb")
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") or ctype.endswith("json") or ctype.endswith("javascript") else ""))
        self.send_header("Content-Length", str(stat.st_size))
        self._caching_headers(etag, stat)
        self.end_headers()
        return f

    def _caching_headers(self, etag: str, stat) -> None:
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' (ten minutes)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))


def start(site: Path, base: str = "/") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `site` under `base` on a free port of 127.0.0.1; returns (server, root URL)."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, site=site, base=base))
    server.requests = []  # (method, path, status) of every request, in the order answered
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base}"
