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


def test_the_mark_is_looked_for_as_a_text_file_reads_it(tmp_path):
    """is_generated() reads bytes (os.read) where it read text (open(...).read(400)): the same first
    400 characters, universal newlines, invalid UTF-8 replaced, whatever the file holds."""
    import random

    from portal import write
    rng = random.Random(21)
    pieces = [b"generated from", b"# ", b"---", b"\r\n", b"\r", b"\n", b"\xc3\xa4", b"\xe2\x80\xa8", b"\xf0\x9f\x98\x80",
              b"\xff", b"\xc3", b"\xef\xbb\xbf", b"x" * 37, b"\x85", b"\x0b", b"\x00", b"\xe2\x80"]
    for n in range(400):
        raw = b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 120)))
        path = tmp_path / f"{n}.md"
        path.write_bytes(raw)
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(400)
        assert write._head(path.read_bytes()[:write._HEAD_BYTES]) == head, raw
        write._MARKED.clear()
        assert write.is_generated(path) == (GENERATED_MARK in "\n".join(head.splitlines()[:2]))


def test_the_hand_written_pages_are_those_rglob_finds(tmp_path):
    from portal.write import hand_written_pages, is_generated
    docs = tmp_path / "en"
    for rel, text in {"index.md": "# Home", "a/b.md": "# B", "a/.hidden.md": "# H", ".dot/c.md": "# C",
                      "a/.dot/d.md": "# D", "gen.md": f"---\n# {GENERATED_MARK} data/x.yml\n---\n",
                      "deep/er/e.md": "# E", "notes.txt": "x", "x.md/inside.md": "# I"}.items():
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(text)
    (docs / "folder.md").mkdir()
    os.symlink(docs / "a", docs / "linked")  # a link to a folder: not followed, as rglob does not
    os.symlink(docs / "a/b.md", docs / "alias.md")
    before = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                    if not any(part.startswith(".") for part in p.relative_to(docs).parts) and not is_generated(p))
    assert sorted(hand_written_pages(docs)) == before
    assert hand_written_pages(tmp_path / "missing") == []


def test_the_walk_of_docs_finds_what_rglob_finds(tmp_path):
    from portal.write import _entries, _parts, _suffix
    docs = tmp_path / "docs"
    for rel in ("en/a.md", "en/a-b/c.json", "en/a/b.xml", "en/.x.md", "en/.hidden/y.md", "fi/data/t.csv", "ru/z"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text("x")
    (docs / "en/dir.md").mkdir()
    os.symlink(docs / "en/a", docs / "en/link")
    found = sorted(_entries(os.fspath(docs)), key=_parts)
    assert found == [p.relative_to(docs).as_posix() for p in sorted(docs.rglob("*"))]
    for rel in found + ["a.", ".md", "x/.md", "a.tar.md", "noext"]:
        assert _suffix(rel) == Path(rel).suffix, rel


def test_empty_folders_go_deepest_first(tmp_path):
    from portal.write import _remove_empty_dirs
    docs = tmp_path / "docs"
    for rel in ("a/b/c", "a/d", "e", "f/g"):
        (docs / rel).mkdir(parents=True)
    (docs / "f/keep.md").write_text("x")
    _remove_empty_dirs(docs)
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == ["f", "f/keep.md"]
