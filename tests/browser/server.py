"""A static server for the built site that behaves like GitHub Pages where the tests care.

- The site is served under the base path of `site_url` (e.g. /baltic-portal/), so absolute paths in
  the 404 page and the language detection by path are tested as deployed.
- A missing path answers 404 with the site's root 404.html as the body, as GitHub Pages does.
- A directory without a trailing slash is redirected (301) to the slash form.
Only 127.0.0.1; started by the `site_server` fixture in a thread.
"""
from __future__ import annotations

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
        f = open(target, "rb")
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") or ctype.endswith("json") or ctype.endswith("javascript") else ""))
        self.send_header("Content-Length", str(target.stat().st_size))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return f


def start(site: Path, base: str = "/") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `site` under `base` on a free port of 127.0.0.1; returns (server, root URL)."""
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, site=site, base=base))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base}"
