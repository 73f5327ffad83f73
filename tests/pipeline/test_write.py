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


def test_a_half_replayed_journal_is_finished_and_stray_temp_files_go(tmp_path):
    """What a generation killed halfway through its renames leaves (write.py's journal): one page
    renamed, one still a temp file, one removal not done, and a temp file of an earlier run that
    died before its journal. The next run's recover() leaves exactly the new pages."""
    import json

    from portal.write import JOURNAL, recover
    docs = tmp_path / "docs"
    write_pages([_page("en/a.md", "old a"), _page("en/b.md", "old b"), _page("en/gone.md", "x")], docs)
    (docs / "en/a.md").write_text("new a")  # renamed before the kill
    (docs / "en/.b.md.k2j4h5g6.tmp").write_text("new b")  # not yet
    (docs / "en/sub").mkdir()
    (docs / "en/sub/.c.md.zzzzzzzz.tmp").write_text("never journalled")
    journal = {"renames": [["en/.a.md.a1b2c3d4.tmp", "en/a.md"], ["en/.b.md.k2j4h5g6.tmp", "en/b.md"]],
               "removals": ["en/gone.md"]}
    (docs / JOURNAL).write_text(json.dumps(journal))
    done = recover(docs)
    assert done == ["finished an interrupted generation (2 pages)",
                    "removed 1 temp files of an interrupted generation"]
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["en", "en/a.md", "en/b.md"]
    assert (docs / "en/a.md").read_text() == "new a" and (docs / "en/b.md").read_text() == "new b"
    assert recover(docs) == [], "nothing left to do the second time"
