"""The portal's scripts and style sheet, minified in the built site (site/minify.py): smaller, the
same code (comments and whitespace only), still valid JavaScript, and written as new files (the
site's files may be hard links into the build state)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from portal.site import minify

from portal_testing import ROOT

SOURCES = ROOT / "overrides" / "assets" / "portal"


def test_every_script_and_style_sheet_of_the_built_site_is_the_minified_source(real_site):
    names = sorted(p.name for p in SOURCES.iterdir() if p.suffix in (".js", ".css"))
    assert {"portal.js", "search.js", "portal.css"} <= set(names)
    for name in names:
        source = (SOURCES / name).read_text(encoding="utf-8")
        built = (real_site / minify.FOLDER / name).read_text(encoding="utf-8")
        assert built == minify.minify_text(source, Path(name).suffix), name
        assert len(built) < 0.8 * len(source), name  # the comments are gone


def test_comments_and_whitespace_go_and_nothing_else():
    js = ('/*! licence */\n/* why */\nvar a = "http://x/*y*/"; // note\nvar re = /\\/\\//g;\n'
          'function f (x) {\n  return x  +  1;\n}\n')
    small = minify.minify_text(js, ".js")
    assert "/*! licence */" in small and "why" not in small and "note" not in small
    assert '"http://x/*y*/"' in small and "/\\/\\//g" in small and "return x+1" in small
    css = "/* why */\n.a  >  .b {\n  color : red ;\n}\n"
    assert minify.minify_text(css, ".css") == ".a>.b{color:red}"


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_the_minified_scripts_are_valid_javascript(real_site):
    for path in sorted((real_site / minify.FOLDER).glob("*.js")):
        result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{path.name}: {result.stderr}"


def test_a_hard_linked_file_is_replaced_not_changed(tmp_path):
    kept = tmp_path / "state" / "portal.js"
    kept.parent.mkdir()
    kept.write_text("/* a comment */\nvar  a = 1;\n", encoding="utf-8")
    site = tmp_path / "site"
    (site / minify.FOLDER).mkdir(parents=True)
    os.link(kept, site / minify.FOLDER / "portal.js")
    before, after = minify.minify_site(site)
    assert (site / minify.FOLDER / "portal.js").read_text(encoding="utf-8") == "var a=1;"
    assert kept.read_text(encoding="utf-8") == "/* a comment */\nvar  a = 1;\n"
    assert after < before
    assert sorted(p.name for p in (site / minify.FOLDER).iterdir()) == ["portal.js"]  # no temporary file left
