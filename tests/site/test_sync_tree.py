"""sync_tree (site/incremental.py): the build state updated in place, one file at a time, ends as
the copy link_tree would make, and says what it changed."""
from __future__ import annotations

import os
from pathlib import Path

from portal.site import incremental


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_only_what_differs_is_linked_again_and_what_is_gone_removed(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    _write(src, {"index.html": "home", "a/index.html": "a", "b/index.html": "b", "sitemap.xml": "s"})
    incremental.link_tree(src, dst, skip=("sitemap.xml",))
    kept = os.stat(dst / "a/index.html").st_ino
    # the next build: b rewritten (a new file, as MkDocs writes one), c new, the home page's folder
    # gone with a page of its own, a page whose folder holds only a folder
    (src / "b/index.html").unlink()
    _write(src, {"b/index.html": "b2", "c/d/index.html": "d"})
    _write(dst, {"old/index.html": "x", "deep/er/index.html": "y"})
    linked, removed = incremental.sync_tree(src, dst, skip=("sitemap.xml",))
    assert sorted(linked) == ["b/index.html", "c/d/index.html"]
    assert sorted(removed) == ["deep/er/index.html", "old/index.html"]
    assert _tree(dst) == {"a/index.html": "a", "b/index.html": "b2", "c/d/index.html": "d", "index.html": "home"}
    assert os.stat(dst / "a/index.html").st_ino == kept, "an unchanged page was linked again"
    assert os.path.samefile(src / "b/index.html", dst / "b/index.html")
    assert not (dst / "old").exists() and not (dst / "deep").exists(), "an emptied folder was left"
    assert not list(dst.rglob(".*.portal-link"))


def test_a_synced_tree_is_the_one_link_tree_makes(tmp_path):
    src, dst, fresh = tmp_path / "src", tmp_path / "dst", tmp_path / "fresh"
    _write(dst, {"x/index.html": "old", "index.html": "old home", "sitemap.xml": "left"})
    _write(src, {"index.html": "home", "x/y/index.html": "y", "sitemap.xml": "s"})
    incremental.sync_tree(src, dst, skip=("sitemap.xml",))
    incremental.link_tree(src, fresh, skip=("sitemap.xml",))
    assert _tree(dst) == _tree(fresh)
