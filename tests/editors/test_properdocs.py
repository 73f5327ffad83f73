"""The exit to ProperDocs (issue 21, item 4): its pins, the engine switch and the comparison of two
builds (scripts/portal/site/compare.py). The two real builds are tests/site/test_properdocs_build.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal.site import compare, engine

ROOT = Path(__file__).resolve().parents[2]
MKDOCS_PAGE = ('<head>\n<meta charset="utf-8">\n'
               '<meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1">\n'
               '<title>Home</title>\n</head>\n<body>\n<h1>Home</h1>\n</body>\n')
PROPERDOCS_PAGE = MKDOCS_PAGE.replace("mkdocs-1.6.1", "mkdocs-ProperDocs 1.6.7")


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if line and not line.startswith("#"))


def test_the_properdocs_pins_are_the_site_pins_with_properdocs_for_mkdocs():
    site, exit_ = pins("requirements.txt"), pins("requirements-properdocs.txt")
    assert exit_.pop("properdocs") == "1.6.7"
    assert site.pop("mkdocs") == "1.6.1" and "mkdocs-get-deps" in site
    site.pop("mkdocs-get-deps")  # get-deps is built into ProperDocs
    assert exit_ == site, "every other package at the same exact version"


def test_the_i18n_warning_set_aside_on_properdocs_is_about_a_search_the_site_does_not_use():
    # engine.py drops mkdocs-static-i18n's "Unable to detect lunr languages" warning because only
    # reconfigure_search reads that list; with it on, the warning would matter again.
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Lenient)
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    assert i18n["reconfigure_search"] is False
    assert not any(p == "search" or (isinstance(p, dict) and "search" in p) for p in config["plugins"])


class _Lenient(yaml.SafeLoader):
    pass


_Lenient.add_constructor("!ENV", lambda loader, node: None)


def test_the_engine_option_offers_the_engines_of_engine_py():
    from portal.commands.cli import build
    option = next(p for p in build.params if p.name == "engine")
    assert tuple(option.type.choices) == engine.ENGINES


def test_an_unknown_engine_is_refused_with_the_engines_it_could_be(monkeypatch):
    monkeypatch.setenv(engine.ENV, "sphinx")
    with pytest.raises(engine.UnknownEngine, match="PORTAL_ENGINE='sphinx': expected one of mkdocs, properdocs"):
        engine.name()
    monkeypatch.delenv(engine.ENV)
    assert engine.name() == "mkdocs"


def test_properdocs_asked_for_where_it_is_not_installed_says_where_to_get_it(tmp_path):
    # This virtualenv has MkDocs only (make venv): importing the site package must say what to do.
    env = dict(os.environ, PORTAL_ENGINE="properdocs", PYTHONPATH=str(ROOT / "scripts"))
    done = subprocess.run([sys.executable, "-c", "import portal.site"], env=env, capture_output=True,
                          text=True)
    try:
        import properdocs  # noqa: F401
    except ImportError:
        assert done.returncode == 1
        assert "ProperDocs is not installed here: use the virtualenv of `make properdocs-venv`" in done.stderr
    else:
        assert done.returncode == 0, done.stderr


def write(site: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return site


def test_sites_that_differ_only_in_the_generator_line_are_the_same(tmp_path):
    a = write(tmp_path / "a", {"index.html": MKDOCS_PAGE, "sitemap.xml": "<urlset/>", ".portal-inputs": "1"})
    b = write(tmp_path / "b", {"index.html": PROPERDOCS_PAGE, "sitemap.xml": "<urlset/>"})
    assert compare.differences(a, b) == []
    assert compare.generators(b) == {'<meta name="generator" content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1">'}


def test_any_other_difference_is_reported_with_its_file_and_lines(tmp_path):
    a = write(tmp_path / "a", {"index.html": MKDOCS_PAGE, "ru/index.html": MKDOCS_PAGE,
                               "pagefind/x.pf_meta": b"\x1f\x8b\x00\x01", "only-a.css": "a"})
    b = write(tmp_path / "b", {"index.html": PROPERDOCS_PAGE.replace("<h1>Home</h1>", "<h1>Home!</h1>"),
                               "ru/index.html": PROPERDOCS_PAGE + "\n", "pagefind/x.pf_meta": b"\x1f\x8b\x00\x02",
                               "only-b.js": "b"})
    assert compare.differences(a, b) == [
        f"only in {a}: only-a.css",
        f"only in {b}: only-b.js",
        "index.html: differs\n  line 7: - <h1>Home</h1>\n  line 7: + <h1>Home!</h1>",
        "pagefind/x.pf_meta: binary content differs (4 and 4 bytes, first at byte 3)",
        "ru/index.html: differs\n  line 9: + ",
    ]


def test_a_generator_line_outside_html_is_not_set_aside(tmp_path):
    # Only HTML pages carry the engine's name by design; in any other file the line is content.
    line = '<meta name="generator" content="mkdocs-1.6.1">'
    a = write(tmp_path / "a", {"data/x.json": line})
    b = write(tmp_path / "b", {"data/x.json": line.replace("1.6.1", "ProperDocs 1.6.7")})
    assert compare.differences(a, b) == [
        f"data/x.json: differs\n  line 1: - {line}\n  line 1: + " + line.replace("1.6.1", "ProperDocs 1.6.7")]


def test_compare_builds_exits_1_and_prints_what_differs(tmp_path):
    a = write(tmp_path / "a", {"index.html": MKDOCS_PAGE})
    b = write(tmp_path / "b", {"index.html": PROPERDOCS_PAGE.replace("Home", "Koti")})
    script = [sys.executable, str(ROOT / "scripts/compare_builds.py"), "--compare"]
    done = subprocess.run([*script, str(a), str(b)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "index.html: differs\n  line 4: - <title>Home</title>\n  line 4: + <title>Koti</title>" in done.stdout
    assert done.stdout.endswith("1 files differ.\n")
    same = subprocess.run([*script, str(a), str(a)], capture_output=True, text=True)
    assert same.returncode == 0 and "The sites are the same but for the generator line." in same.stdout
    assert subprocess.run([*script, str(a), str(tmp_path / "none")], capture_output=True).returncode == 2
