"""Two clean builds of the same commit are byte for byte the same, the search index included (issue 18).

Pagefind writes its filter values in a random order and numbers pages in the order the file system
lists them (site/search_merge.py writes the index in a fixed order: tests/site/test_search_merge.py);
the builds here run in folders of different names and path lengths, so an absolute path or a
timestamp that reached a file would show too."""
from __future__ import annotations

from portal_testing import ROOT, build, make_repo, tree_snapshot


def _built(dest):
    repo = make_repo(dest, data=ROOT / "data", with_site=True)
    done = build(repo)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return repo


def test_two_clean_builds_of_the_real_data_are_byte_identical(tmp_path):
    first = tree_snapshot(_built(tmp_path / "a" / "repo") / "site")
    second = tree_snapshot(_built(tmp_path / "a-longer-folder-name" / "repo") / "site")
    assert any(name.endswith(".pf_filter") for name in first), "the search index has filter files"
    assert sorted(first) == sorted(second), "the same file names, Pagefind's hashed names included"
    differ = sorted(name for name in first if first[name] != second[name])
    assert not differ, f"{len(differ)} files differ between two builds: {differ[:10]}"


def test_a_site_is_current_only_for_the_inputs_it_was_built_from(tmp_path):
    """The stamp the tests check before they read a site/ (portal_testing.current_site): a change
    to a record, a hand-written page or the theme's overrides makes the built site stale."""
    from portal.site.build import site_is_current
    from portal_testing import BASE_DATA, make_overlay_repo
    repo = make_overlay_repo(tmp_path / "repo", BASE_DATA)
    assert build(repo).returncode == 0
    assert site_is_current(repo, repo / "site")
    for edited in ("data/projects/startup-connect.yml", "docs/fi/about.md", "overrides/main.html"):
        path = repo / edited
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert not site_is_current(repo, repo / "site"), f"{edited} changed, the site is stale"
        path.write_bytes(original)
        assert site_is_current(repo, repo / "site"), f"{edited} is back as it was"
