"""One language's build hands mkdocs-static-i18n only that language's files (site/hooks.py,
_only_this_language): the plugin would drop the others anyway, after sorting them. The site is
byte for byte the one built with every file handed over."""
from __future__ import annotations

import shutil

import pytest

from portal_testing import build, make_scaled_repo, tree_snapshot


@pytest.mark.slow
def test_the_site_is_the_one_built_with_every_languages_files(tmp_path, monkeypatch):
    ours = make_scaled_repo(tmp_path / "ours", 40)  # the fixture, 40 records more, stub pages
    every = tmp_path / "every"
    shutil.copytree(ours, every, symlinks=True)
    done = build(ours)
    assert done.returncode == 0, done.stderr[-3000:]
    monkeypatch.setenv("PORTAL_ALL_LANGUAGE_FILES", "1")
    done = build(every)
    assert done.returncode == 0, done.stderr[-3000:]
    got, want = tree_snapshot(ours / "site"), tree_snapshot(every / "site")
    got.pop(".portal-inputs", None), want.pop(".portal-inputs", None)
    assert sorted(got) == sorted(want)
    assert [name for name in got if got[name] != want[name]] == []
    assert any(name.startswith("ru/projects/") for name in got) and "fi/index.html" in got
