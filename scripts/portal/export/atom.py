"""An Atom feed per language (<lang>/feed.xml): the records most recently added or changed.

Dates come from history.py (git history of each record file, else the record's own review date);
records with no date at all are left out rather than given an invented one. Entry ids are tag: URIs
(stable whatever address the site is deployed at). Links are absolute, under the site's address
(site_address.py): feed readers that fetched the feed through another address, or keep entries apart
from it, resolve relative links wrongly (Atom allows them, RFC 4287 section 2, but many readers do not
honour it without xml:base). Every text goes through escape.html.
"""
from __future__ import annotations

from typing import Iterable

from .. import history, site_address
from ..model import schema as S
from ..escape import html
from ..write import GENERATED_MARK, Page
from . import model as M

FEED_SIZE = 50
TAG = "tag:baltic-circular.github.io,2026:portal"


def entries(site) -> list[tuple[str, str, str]]:
    """(updated, kind, slug) of the newest records, newest first; ties by kind and slug."""
    dated = [(when, kind, slug) for (kind, slug), when in history.record_dates(site).updated.items()]
    return sorted(dated, key=lambda e: (_utc(e[0]), e[1], e[2]), reverse=True)[:FEED_SIZE]


def _utc(stamp: str) -> str:
    """RFC 3339 stamps compared by instant: normalise to UTC so +03:00 and Z sort correctly."""
    from datetime import datetime, timezone
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(timezone.utc).isoformat()


def feed_xml(site, lang: str) -> str:
    ui = site.ui[lang]
    added = history.record_dates(site).added
    chosen = entries(site)
    updated = max((_utc(w) for w, _, _ in chosen), default="1970-01-01T00:00:00+00:00")
    title = f'{ui["site_name"]}: {ui["feed.title"]}'
    base = site_address.site_root(site.root)

    def link(path: str) -> str:  # a path inside this language's part of the site
        # Without a site address (no mkdocs.yml): relative to the feed, which sits at the language's root.
        return f"{base}{M.lang_prefix(lang)}{path}" if base else (path or "./")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f"<!-- {GENERATED_MARK} data/ by `make generate`; do not edit -->",
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{html(lang)}">',
           f"  <title>{html(title)}</title>",
           f'  <subtitle>{html(ui["feed.subtitle"])}</subtitle>',
           f"  <id>{html(f'{TAG}:{lang}:feed')}</id>",
           f'  <link rel="self" type="application/atom+xml" href="{html(link("feed.xml"))}"/>',
           f'  <link rel="alternate" type="text/html" href="{html(link(""))}"/>',
           f"  <updated>{html(updated)}</updated>",
           f'  <author><name>{html(ui["feed.author"])}</name></author>',
           f'  <rights>{html(ui["licence.short"])}</rights>']
    for when, kind, slug in chosen:
        data = site.cat.records[kind][slug].data
        name = M.text(data[S.KINDS[kind].title_field], lang)
        summary = M.text(data.get("summary") or data.get("description") or "", lang)
        kind_label = ui[f"feed.kinds.{kind}"]
        out += ["  <entry>",
                f"    <title>{html(name)}</title>",
                f'    <link rel="alternate" type="text/html" href="{html(link(f"{S.KINDS[kind].folder}/{slug}/"))}"/>',
                f"    <id>{html(f'{TAG}:{lang}:{kind}:{slug}')}</id>",
                f"    <updated>{html(when)}</updated>"]
        if (kind, slug) in added:
            out.append(f"    <published>{html(added[(kind, slug)])}</published>")
        out.append(f'    <category term="{html(kind)}" label="{html(kind_label)}"/>')
        if summary:
            out.append(f'    <summary type="text">{html(summary)}</summary>')
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def feed_pages(site, lang: str) -> Iterable[Page]:
    yield Page(f"{lang}/feed.xml", feed_xml(site, lang))
