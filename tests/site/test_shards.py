"""site/shards.py: a large language is built in shards whose output, put together, is the build in
one piece, byte for byte."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from portal.site import build as site_build
from portal.site import shards
from portal_testing import ROOT, make_repo, tree_snapshot


def test_a_small_site_is_built_in_one_piece_per_language():
    assert shards.plan({"en": 150, "ru": 150, "fi": 150}, jobs=2) == {"en": 1, "ru": 1, "fi": 1}


def test_three_large_languages_on_two_cores_keep_both_busy_to_the_end():
    plan = shards.plan({"en": 1200, "ru": 1200, "fi": 1200}, jobs=2)
    assert sum(plan.values()) % 2 == 0 and all(n >= 1 for n in plan.values())


def test_no_shard_holds_more_pages_than_the_memory_bound():
    plan = shards.plan({"en": 13_000, "ru": 13_000, "fi": 13_000}, jobs=1)
    assert all(13_000 / n <= shards.MAX_PAGES for n in plan.values())
    assert shards.plan({"en": 13_000, "ru": 13_000, "fi": 13_000}, jobs=4) == {"en": 4, "ru": 4, "fi": 4}


def test_a_page_is_in_the_same_shard_in_every_run():
    # Each shard is its own process: the owner of a page must not depend on the process (as
    # Python's hash() of a string does, with a seed per process).
    script = ("from portal.site import shards; "
              "print([shards.owner(f'projects/p{i}.md', 3) for i in range(60)])")
    seen = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONPATH=str(ROOT / "scripts"), PYTHONHASHSEED=seed)
                           ).stdout for seed in ("1", "2", "random")}
    assert seen == {str([shards.owner(f"projects/p{i}.md", 3) for i in range(60)]) + "\n"}
    assert {shards.owner(f"projects/p{i}.md", 3) for i in range(60)} == {0, 1, 2}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("shards") / "repo", data=ROOT / "data", with_site=True)
    env = dict(os.environ, PYTHONPATH=str(repo / "scripts"), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "portal", "generate"], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return repo


def test_shards_put_together_are_the_language_built_in_one_piece(repo, tmp_path, monkeypatch, capfd):
    codes = ["en", "ru"]
    assert site_build.build_languages(repo, codes, tmp_path / "whole")
    monkeypatch.setattr(shards, "MIN_PAGES", 0)
    # Three shards a language, whatever the size of today's data (en and ru: 6 shards on 2 jobs).
    pages = max(shards.count_pages(repo / "docs" / code) for code in codes)
    monkeypatch.setattr(shards, "MAX_PAGES", -(-pages // 3))
    monkeypatch.setenv("PORTAL_BUILD_JOBS", "2")
    assert site_build.build_languages(repo, codes, tmp_path / "sharded")
    log = capfd.readouterr().err
    assert "[ru 3/3] built in" in log and shards.EXCLUDED_LINK not in log
    assert sorted(p.name for p in (tmp_path / "sharded").iterdir()) == codes  # no shard left behind
    for code in codes:
        whole, sharded = tree_snapshot(tmp_path / "whole" / code), tree_snapshot(tmp_path / "sharded" / code)
        del whole["sitemap.xml.gz"]  # the shards' partial ones are dropped; site/finish.py drops it anyway
        assert sharded.keys() == whole.keys()
        differ = [name for name in whole if whole[name] != sharded[name]]
        assert differ == ["sitemap.xml"], differ  # the same pages, in another order: see below
        assert sorted(shards._sitemap_urls(tmp_path / "sharded" / code / "sitemap.xml")) == sorted(
            shards._sitemap_urls(tmp_path / "whole" / code / "sitemap.xml"))
