"""The internal link and anchor checker, on a small hand-made site with known faults."""
from __future__ import annotations

import http.server
import io
import threading
from pathlib import Path

import pytest
from portal.commands import check_links

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="{up}assets/style.css">
<link rel="preconnect" href="https://fonts.gstatic.com">
</head><body>
<h1 id="top">Page</h1><h2 id="partners">Partners</h2><a name="legacy"></a>
{body}
</body></html>
"""


def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    up = "../" * rel.count("/")
    path.write_text(PAGE.format(up=up, body=body), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "style.css").write_text("body{}", encoding="utf-8")
    (site / "assets" / "logo.png").write_bytes(b"\x89PNG")
    write(site, "index.html", """
      <a href="projects/x/">x</a> <a href="projects/x/#partners">partners of x</a>
      <a href="#top">top</a> <a href="#">nothing</a> <a href="#legacy">legacy anchor</a>
      <a href="/portal/ru/">Русский</a> <a href="/portal/">home</a>
      <a href="https://example.org/">outside</a> <a href="mailto:a@b.c">mail</a>
      <img src="assets/logo.png" srcset="assets/logo.png 1x, assets/logo.png 2x" alt="">""")
    write(site, "projects/x/index.html", '<a href="../../">home</a> <a href="../../ru/#top">ru</a>')
    write(site, "ru/index.html", '<a href="../projects/x/index.html#partners">x</a>'
                                 ' <a href="%D0%BF/">кириллица</a> <a href="#%D0%B0%D0%B1">якорь</a>'
                                 ' <h2 id="аб">аб</h2>')
    write(site, "ru/п/index.html", "")
    return site


def test_a_clean_site_has_no_problems(site: Path) -> None:
    assert check_links.check_internal(check_links.Site(site, "/portal/")) == []


def test_a_broken_link_and_a_broken_anchor_are_both_reported(site: Path) -> None:
    write(site, "fi/index.html", '<a href="../projects/missing/">gone</a>\n'
                                 '<a href="../projects/x/#no-such-anchor">bad anchor</a>\n'
                                 '<img src="../assets/nope.png">')
    problems = check_links.check_internal(check_links.Site(site, "/portal/"))
    assert len(problems) == 3, problems
    text = "\n".join(problems)
    assert 'site/fi/index.html:6: href="../projects/missing/": no such file site/projects/missing/index.html' in text
    assert ('site/fi/index.html:7: href="../projects/x/#no-such-anchor": '
            'no id "no-such-anchor" in site/projects/x/index.html') in text
    assert 'site/fi/index.html:8: src="../assets/nope.png": no such file site/assets/nope.png' in text


def test_a_double_slash_is_reported(site: Path) -> None:
    write(site, "fi/index.html", '<a href="/portal//fi/">home</a>')
    problems = check_links.check_internal(check_links.Site(site, "/portal/"))
    assert problems == ['site/fi/index.html:6: href="/portal//fi/": empty path segment (\'//\'); '
                        'build the address without it']


def test_root_relative_links_need_the_site_base_path(site: Path) -> None:
    # The language switcher writes /portal/ru/; under another base they point outside the site.
    problems = check_links.check_internal(check_links.Site(site, "/"))
    assert any('href="/portal/ru/"' in p for p in problems)


def test_command_exits_1_and_names_file_and_link(site: Path, capsys) -> None:
    write(site, "fi/index.html", '<a href="../projects/x/#gone">x</a>')
    code = check_links.run(site, "/portal/", False, None)
    out = capsys.readouterr().out
    assert code == 1
    assert 'site/fi/index.html:6: href="../projects/x/#gone": no id "gone" in site/projects/x/index.html' in out
    assert "1 broken internal link" in out


def test_command_exits_0_on_a_clean_site_and_2_without_one(site: Path, tmp_path: Path, capsys) -> None:
    assert check_links.run(site, "/portal/", False, None) == 0
    assert "all resolve" in capsys.readouterr().out
    assert check_links.run(tmp_path / "nothing", None, False, None) == 2


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802
        if self.path == "/head-refused":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in ("/ok", "/head-refused") else 404)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200 if self.path in ("/ok", "/head-refused") else 404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def test_external_mode_reports_broken_addresses_with_pages_and_records(site: Path, tmp_path: Path) -> None:
    # A server on the loopback address stands in for the outside world.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        write(site, "fi/index.html", f'<a href="{base}/ok">ok</a> <a href="{base}/gone">gone</a>'
                                     f' <a href="{base}/head-refused">head refused</a>')
        data = tmp_path / "data" / "projects"
        data.mkdir(parents=True)
        (data / "x.yml").write_text(f"website: {base}/gone\n", encoding="utf-8")
        report = tmp_path / "report.md"
        for page in check_links.Site(site).html_files():  # loopback links only: no real network
            text = page.read_text(encoding="utf-8").replace("https://example.org/", "#")
            page.write_text(text, encoding="utf-8")
        out = io.StringIO()
        code = check_links.check_external(check_links.Site(site, "/portal/"), tmp_path / "data", report, out)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert code == 1
    assert f"{base}/gone: HTTP 404" in out.getvalue()
    assert f"{base}/head-refused" not in out.getvalue()
    text = report.read_text(encoding="utf-8")
    assert "1 broken of 3 checked" in text
    assert "`fi/index.html`" in text and "`data/projects/x.yml`" in text
