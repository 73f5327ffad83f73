"""Pages whose template writes HTML (`<kind>.html.j2`), not Markdown: the body MkDocs shows as is.

A record page is structured text the generator already knows the shape of, escaped character by
character for Markdown and then parsed back by Python-Markdown on every build of every language:
39.5 % of a language's build at 10,000 records (issue 21). Its template now writes the HTML that
Python-Markdown made of it (the same elements, attributes, heading ids and permalinks, the same
bytes), and the page's front matter carries its table of contents (`portal.toc`), which
site/ready_html.py hands to MkDocs in place of converting the page.

The helpers here are PageContext's, each encoding for HTML text or attributes (escape.py) instead
of Markdown; the template's interface strings are escaped too (`ui`), so a translator's `<` stays
text.
"""
from __future__ import annotations

import html as html_lib
import re

from markdown.extensions.toc import slugify, strip_tags, unique

from ..escape import html_attr, html_text, md_url
from ..paths import record_path, term_path
from .context import UI, PageContext

# What Python-Markdown's toc extension (permalink: true in mkdocs.yml) appends to every heading.
PERMALINK = '<a class="headerlink" href="#{id}" title="Permanent link">&para;</a>'
RAW_END = "\x1e"  # ends a raw block (p.raw); a character record text cannot hold (html_text drops it)


class EscapedUI:
    """A language's interface strings, HTML-escaped: `ui[…]` in an HTML template prints text."""

    def __init__(self, ui: UI):
        self._ui = ui

    def __getitem__(self, key: str):
        value = self._ui[key]
        if isinstance(value, dict):
            return {k: html_text(v) if isinstance(v, str) else v for k, v in value.items()}
        return html_text(value) if isinstance(value, str) else value

    __call__ = __getitem__


class HtmlPageContext(PageContext):
    """PageContext for an HTML template: the same texts, links and fallbacks, encoded for HTML."""

    def __init__(self, site, lang: str, path: str):
        super().__init__(site, lang, path)
        self.html_ui = EscapedUI(self.ui)  # the template's `ui`; self.ui stays plain for the front matter
        self.toc: list[list] = []  # [level, id, name] of each heading, in order
        self._ids: set[str] = set()

    # text
    def t(self, value, where=""):
        return html_text(self.pick(value, where))

    def lit(self, text) -> str:
        return html_text(str(text))

    def paras(self, value, where=""):
        paragraphs = re.split(r"\n\s*\n", str(self.pick(value, where)).strip())
        return "\n".join(f"<p>{html_text(p)}</p>" for p in paragraphs if p.strip())

    # vocabulary and records
    def label(self, vocab: str, term) -> str:
        return html_text(self.plain(self.site.cat.vocab[vocab][term]["label"], f"{vocab}:{term}"))

    def term_link(self, vocab: str, term) -> str:
        return f'<a href="{self.url(term_path(vocab, term))}">{self.label(vocab, term)}</a>'

    def link(self, kind: str, slug: str) -> str:
        return f'<a href="{self.url(record_path(kind, slug))}">{html_text(self.name(kind, slug))}</a>'

    def texts(self, values, where="") -> list[str]:
        return [self.t(v, where) for v in values]

    def links(self, kind: str, slugs) -> list[str]:
        return [self.link(kind, slug) for slug in slugs]

    def term_links(self, vocab: str, terms) -> str:
        return ", ".join(self.term_link(vocab, term) for term in terms)

    def href(self, url: str) -> str:
        """A URL for an href attribute (allow-listed, percent-encoded; unsafe: '#')."""
        return html_attr(md_url(url))

    def autolink(self, url: str) -> str:
        safe = md_url(url)
        if safe == "#":
            return html_text(url)
        return f'<a href="{html_attr(safe)}">{html_text(safe)}</a>'

    # structure
    def heading(self, level: int, inner: str, anchor: str | None = None) -> str:
        """A heading as Python-Markdown's toc extension writes it: its id made from its text
        (toc.slugify, unique on the page: "_1", "_2" … where the text has no ASCII letters) unless
        given (`{ #id }` in Markdown), the permalink after the text; noted for the page's table of
        contents."""
        name = strip_tags(inner)  # (entities kept, as the toc extension keeps them)
        if anchor is None:
            anchor = unique(slugify(html_lib.unescape(name), "-"), self._ids)
        else:
            self._ids.add(anchor)
        self.toc.append([level, anchor, name])
        return f'<h{level} id="{anchor}">{inner}{PERMALINK.format(id=anchor)}</h{level}>'

    def raw(self, markup: str) -> str:
        """A block the Markdown pages held as raw HTML: Python-Markdown leaves a blank line after it."""
        return markup.strip("\n") + RAW_END

    def admonition(self, kind: str, title: str, inner: str) -> str:
        """An admonition block (`!!! kind "title"` in Markdown) around one paragraph's HTML."""
        return f'<div class="admonition {kind}">\n<p class="admonition-title">{title}</p>\n<p>{inner}</p>\n</div>'


def blocks(text: str) -> str:
    """The template's output as Python-Markdown lays out a document: its blocks (runs of lines
    without a blank line) one after another on their own lines, a blank line after raw HTML."""
    out = "\n".join(b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip())
    return out.removesuffix(RAW_END).replace(RAW_END, "\n")


def with_notice(ctx: HtmlPageContext, body: str) -> str:
    """The "not yet translated" notice right under the page's H1 (render/site.insert_notice)."""
    notice = ctx.html_ui["notice.fallback"]
    block = ctx.admonition("info", notice["title"], notice["text"])
    end = body.find("</h1>")
    if end < 0:
        return block + "\n" + body
    end += len("</h1>")
    return body[:end] + "\n" + block + body[end:]
