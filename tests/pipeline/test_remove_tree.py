"""staging.remove_tree: a build's folders removed whole (through `rm -rf` where there is one), and
nothing beyond them: not a folder a symbolic link inside points to, not a link given instead of a folder."""
from __future__ import annotations

import os

import pytest

from portal import staging


@pytest.fixture(params=["rm", "shutil"])
def way(request, monkeypatch):
    if request.param == "shutil":  # a system without a POSIX rm
        monkeypatch.setattr(staging.shutil, "which", lambda name: None)
    return request.param


def test_a_folder_goes_whole_and_links_inside_are_not_followed(tmp_path, way):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("kept")
    tree = tmp_path / "tree"
    for i in range(30):
        (tree / f"p{i}" / "sub").mkdir(parents=True)
        (tree / f"p{i}" / "sub" / "index.html").write_text("x")
    os.symlink(outside, tree / "link")
    staging.remove_tree(tree)
    assert not tree.exists()
    assert (outside / "keep.txt").read_text() == "kept"


def test_a_missing_path_a_file_and_a_link_to_a_folder_are_left_alone(tmp_path, way):
    staging.remove_tree(tmp_path / "missing")  # no error
    (tmp_path / "file").write_text("x")
    staging.remove_tree(tmp_path / "file")
    assert (tmp_path / "file").exists()  # as shutil.rmtree(ignore_errors=True): not a folder
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "folder", tmp_path / "link")
    staging.remove_tree(tmp_path / "link")
    assert (tmp_path / "folder").is_dir()
