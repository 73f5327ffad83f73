"""The newest dated records, as a snippet the hand-written home pages include."""
from __future__ import annotations

from typing import Iterable

from ...model import schema as S
from ..context import PageContext
from ..site import Page, Site
from ..site import GENERATED_MARK

NEWEST_COUNT = 6


def record_dates(kind: str, data: dict) -> tuple:
    """The latest date a record mentions, for "newest" lists; undated records sort last."""
    candidates = [S.parse_date(data.get(k)) for k in ("date", "end_date", "start", "end")]
    return max((c for c in candidates if c), default=(0,))


def newest_snippet(site: Site, lang: str) -> Iterable[Page]:
    dated = [(record_dates(kind, rec.data), kind, slug)
             for kind in ("event", "project") for slug, rec in site.cat.records[kind].items()]
    newest = [(kind, slug) for when, kind, slug in sorted((d for d in dated if d[0] != (0,)), reverse=True)[:NEWEST_COUNT]]
    ctx = PageContext(site, lang, "index.md")  # links are relative to the home page that includes it
    body = site.env.get_template("newest.md.j2").render(p=ctx, ui=ctx.ui, items=newest, site=site)
    yield Page(f"{lang}/.generated/newest.md",
               f"<!-- {GENERATED_MARK} data/events/ and data/projects/ by `make generate`; do not edit -->\n"
               f"{body.rstrip()}\n")
