"""Browser tests: the built site in Debian's Chromium, driven by Playwright, served on 127.0.0.1.

The site is the one `make site` builds (site/, or PORTAL_SITE_DIR), and it must be a build of the
current inputs (its stamp, site/build.py): a stale site/ is built again here, a stale PORTAL_SITE_DIR
fails.
It is served under the base path of its site_url (from site/sitemap.xml), as GitHub Pages serves it.
Chromium is /usr/bin/chromium (PORTAL_CHROMIUM overrides); `make browser-deps` installs it. Under CI
(CI=true) a missing browser or Playwright FAILS the tests instead of skipping them.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import server

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("PORTAL_SITE_DIR") or ROOT / "site")
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PORTAL_ARTIFACTS") or ROOT / "test-artifacts")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANGUAGES = ["en", "ru", "fi"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(message: str):
    if IN_CI:
        pytest.fail(f"{message} (CI=true: browser tests must run; `make browser-deps` installs it)",
                    pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from portal_testing import current_site
    return current_site(SITE, given="PORTAL_SITE_DIR" in os.environ)


def site_base_path(site_dir: Path) -> str:
    """The path part of site_url ("/portal/"), read from the first <loc> of the built sitemap."""
    # sitemap.xml is an index of sitemap-<lang>.xml files at the site root (site/finish.py).
    match = re.search(r"<loc>([^<]+)</loc>", (site_dir / "sitemap.xml").read_text(encoding="utf-8"))
    path = urlsplit(match.group(1)).path if match else "/"
    return path.rsplit("/", 1)[0] + "/" if path.endswith(".xml") else path


@pytest.fixture(scope="session")
def base_path(site_dir: Path) -> str:
    return site_base_path(site_dir)


@pytest.fixture(scope="session")
def scaled_site(tmp_path_factory):
    """A site of today's fixture plus 300 generated records (tests/scaled_data.py): catalogues that
    run over several pages. Built with `portal build` as CI builds the real one; (repo, URL)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from portal_testing import build, make_scaled_repo
    repo = make_scaled_repo(tmp_path_factory.mktemp("scaled") / "repo", 300)
    done = build(repo)
    if done.returncode != 0:
        pytest.fail("could not build the scaled site:\n" + done.stdout[-3000:] + done.stderr[-3000:],
                    pytrace=False)
    srv, url = server.start(repo / "site", site_base_path(repo / "site"))
    yield repo, url
    srv.shutdown()


@pytest.fixture(scope="session")
def site_url(site_dir: Path, base_path: str):
    srv, url = server.start(site_dir, base_path)
    yield url
    srv.shutdown()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-test.txt)")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Recorded in the page before any of its own scripts runs (an init script is not subject to the
# page's Content-Security-Policy): every violation the browser reports, as the page's DOM sees it.
CSP_RECORDER = """
window.__portalCspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__portalCspViolations.push(
    `${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile || location.href}:${e.lineNumber}` +
    (e.sample ? ` (${e.sample})` : ''));
});
"""


class Watched:
    """A page plus what went wrong on it: console errors, page errors, requests to other hosts,
    Content-Security-Policy violations (csp_violations())."""

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = origin
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.add_init_script(CSP_RECORDER)
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", self._request)

    def csp_violations(self) -> list[str]:
        """The violations the loaded page reported, and the console's "Refused to …" errors."""
        seen = self.page.evaluate("window.__portalCspViolations || []")
        return seen + [e for e in self.errors if "Content Security Policy" in e]

    def _request(self, request):
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.origin + "/"):
            self.foreign.append(url)


def _watched_page(browser, site_url, **options):
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": "en-GB", **options})
    # Anything that tries another host fails at once instead of waiting on the network.
    origin = "/".join(site_url.split("/", 3)[:3])
    context.route(re.compile(r"^(?!" + re.escape(origin) + r"/).*"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, Watched(page, origin)


@pytest.fixture()
def watched(browser, site_url):
    context, watched = _watched_page(browser, site_url)
    yield watched
    context.close()


@pytest.fixture()
def no_script(browser, site_url):
    """A page with JavaScript turned off in its browser context, as some readers browse."""
    context, watched = _watched_page(browser, site_url, java_script_enabled=False)
    yield watched
    context.close()


@pytest.fixture()
def audited(browser, site_url):
    """A page whose Content-Security-Policy lets the test inject axe-core (the site's own policy
    refuses every inline script it did not write, which is the point of it)."""
    context, watched = _watched_page(browser, site_url, bypass_csp=True)
    yield watched
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core, as shipped in the axe-playwright-python wheel (no network at test time)."""
    try:
        import axe_playwright_python
    except ImportError:
        _unavailable("axe-playwright-python is not installed (pip install -r requirements-test.txt)")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def serious_axe_violations(page, axe_source: str, scope: str = "document") -> list[str]:
    """axe-core's serious and critical violations on the loaded page (within `scope`, a JavaScript
    expression for the element to check), one line each: impact, rule, help, the first nodes."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(f"""async () => {{
        const r = await axe.run({scope}, {{resultTypes: ['violations']}});
        return r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}}));
    }}""")
    return [f"{v['impact']}: {v['id']} – {v['help']} {v['nodes']}" for v in result
            if v["impact"] in ("serious", "critical")]
