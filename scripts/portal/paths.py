"""Where every generated page lives: one place for the address scheme that validation (which
refuses records whose page would collide) and rendering (which writes and links the pages) share."""
from __future__ import annotations

from .model import schema as S


def record_path(kind: str, slug: str) -> str:
    return f"{S.KINDS[kind].folder}/{slug}.md"


def catalogue_path(kind: str) -> str:
    return f"{S.KINDS[kind].folder}/index.md"


def paged_path(first: str, number: int) -> str:
    """Page `number` of a paged list whose first page is `first`: projects/index.md ->
    projects/page/2.md, topics/themes/recycling.md -> topics/themes/recycling/page/2.md."""
    if number == 1:
        return first
    stem = first[: -len("/index.md")] if first.endswith("/index.md") else first[: -len(".md")]
    return f"{stem}/page/{number}.md"


def term_path(vocab: str, term) -> str:
    return f"topics/{vocab}/{term}.md"


def page_url(md_path: str) -> str:
    """docs-relative Markdown path -> directory URL path as MkDocs builds it (use_directory_urls)."""
    stem = md_path[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    return stem or "."
