"""One language's build hands mkdocs-static-i18n only that language's files (site/hooks.py,
_only_this_language): the plugin would drop the others anyway, after sorting them. The site is
byte for byte the one built with every file handed over."""
from __future__ import annotations

import pytest

from portal_testing import sites_built_both_ways


@pytest.mark.slow
def test_the_site_is_the_one_built_with_every_languages_files(tmp_path):
    got, want = sites_built_both_ways(tmp_path, "PORTAL_ALL_LANGUAGE_FILES")
    assert sorted(got) == sorted(want)
    assert [name for name in got if got[name] != want[name]] == []
    assert any(name.startswith("ru/projects/") for name in got) and "fi/index.html" in got
