"""Hand-written pages in a language that does not have them yet: the source language's page with
the "not yet translated" notice, at the same path, so every page exists in every language.

A translator replaces such a page by writing the real one at the same path: it is then hand-written
(it has no "generated from" line) and the generator leaves it alone from then on.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ... import languages
from ...write import hand_written_pages
from ..site import GENERATED_MARK, Page, Site, insert_notice


def handwritten_pages(docs: Path, lang: str) -> list[str]:
    """Paths (relative to docs/<lang>/) of the hand-written Markdown pages of one language."""
    return sorted(hand_written_pages(docs / lang))


def fallback_pages(site: Site, lang: str) -> Iterable[Page]:
    source = languages.registry().source
    if lang == source:
        return
    docs = site.root / "docs"
    own = set(handwritten_pages(docs, lang))
    for path in handwritten_pages(docs, source):
        if path in own:
            continue
        text = (docs / source / path).read_text(encoding="utf-8")
        front, body = "", text
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            end = text.index("\n---\n", 4)
            front, body = text[4:end + 1], text[end + 5:]
        header = f"# {GENERATED_MARK} docs/{source}/{path} by `make generate` until it is translated\n"
        body = insert_notice(body, site.ui[lang]["notice.fallback"])
        yield Page(f"{lang}/{path}", f"---\n{header}{front}---\n{body}")
