"""write.py's short cuts keep its answers: a file is compared only when its size matches, and
folders are resolved once (write._Resolver must agree with Path.resolve())."""
from __future__ import annotations

import os
from pathlib import Path

from portal.write import GENERATED_MARK, Page, _Resolver, write_pages


def _page(path: str, body: str) -> Page:
    return Page(path, f"---\n# {GENERATED_MARK} data/x.yml\n---\n\n{body}\n")


def test_a_page_is_rewritten_when_its_bytes_differ_even_at_the_same_size(tmp_path):
    docs = tmp_path / "docs"
    first = write_pages([_page("en/a.md", "one"), _page("en/b.md", "two"), _page("en/c.md", "three")], docs)
    assert sorted(first.written) == ["en/a.md", "en/b.md", "en/c.md"]
    again = write_pages([_page("en/a.md", "one"), _page("en/b.md", "TWO"), _page("en/c.md", "three!")], docs)
    assert again.written == ["en/b.md", "en/c.md"] and again.unchanged == 1
    assert (docs / "en/b.md").read_text().endswith("TWO\n")


def test_the_resolver_agrees_with_path_resolve(tmp_path):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "file.md").write_text("x")
    os.symlink(real, tmp_path / "linked")  # a folder reached through a link
    os.symlink(real / "sub" / "file.md", real / "sub" / "alias.md")  # a file that is a link
    os.symlink(tmp_path / "nowhere.md", real / "sub" / "dangling.md")
    resolve = _Resolver()
    for path in [real / "sub" / "file.md", real / "sub" / "missing.md", tmp_path / "linked" / "sub" / "file.md",
                 tmp_path / "linked" / "sub" / "alias.md", real / "sub" / "dangling.md",
                 tmp_path / "linked" / "new" / "page.md"]:
        assert resolve(path) == path.resolve(), path
        assert resolve(path) == Path(path).resolve(), path  # cached folders give the same answer
