"""The record, topic, listing and catalogue pages are written as HTML (render/html_page.py): each helper must
give the bytes Python-Markdown made of the Markdown the pages were before, with mkdocs.yml's
extensions, so that a reader, the search index and the theme see the same page; and nothing a
record holds may become markup or end a block."""
from __future__ import annotations

import re

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from portal import pipeline
from portal.model.load import FORBIDDEN_CHARS
from portal.escape import html_attr, html_text, md_inline, md_url
from portal.render import html_page
from portal.render.html_page import RAW_END, HtmlPageContext, blocks

from portal_testing import ROOT


def _python_markdown() -> markdown.Markdown:
    """Python-Markdown as mkdocs.yml configures it (less snippets, which needs a docs folder)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    section = re.search(r"^markdown_extensions:\n(?:[ #].*\n|\n)*", text, re.M).group(0)
    extensions, configs = [], {}
    for entry in yaml.safe_load(section)["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if name != "pymdownx.snippets":
            extensions.append(name)
            configs[name] = options or {}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


MD = _python_markdown()


def convert(text: str) -> str:
    MD.reset()
    return MD.convert(text)


def context(lang="en", path="projects/x.md") -> HtmlPageContext:
    """A page context without a site: the helpers tested here read none."""
    ctx = HtmlPageContext.__new__(HtmlPageContext)
    ctx.lang, ctx.path, ctx.fallbacks, ctx.toc, ctx._ids = lang, path, [], [], set()
    return ctx


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_text_is_what_python_markdown_wrote_for_the_markdown_escaped_text(text):
    escaped = md_inline(text)
    if not escaped.strip() or FORBIDDEN_CHARS.search(text):  # (validation refuses those characters)
        return
    assert convert(escaped) == f"<p>{html_text(text)}</p>"


@pytest.mark.parametrize("text", [
    '<script>alert("x")</script>', "&lt;b&gt; & &amp; &#169;", "a\u00a0b\u2028c\td", "1. not a list",
    "!!! danger \"x\"", "{: onclick=\"x\" }", "[x](javascript:y)", "<!-- c", "*[HTML]: x | a |"])
def test_hostile_text_stays_text(text):
    assert convert(md_inline(text)) == f"<p>{html_text(text)}</p>"
    assert "<" not in html_text(text) and ">" not in html_text(text)


def test_a_record_cannot_end_a_raw_block():
    assert RAW_END not in html_text(f"a{RAW_END}b"), "the marker is white space to str.split"


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=2#f\"g", "https://example.org/(x)_y",
                                 "javascript:alert(1)", "https://example.org/ü"])
def test_links_are_what_python_markdown_wrote(url):
    safe = md_url(url)
    assert convert(f"[t]({safe})") == f'<p><a href="{html_attr(safe)}">t</a></p>'
    if safe != "#":
        assert convert(f"<{safe}>") == f"<p>{context().autolink(url)}</p>"


HEADINGS = ["Example project 4: resource reuse (EXP4)", "At a glance", "Коротко", "Описание",
            "At a glance", "Sources & <notes>", "Проекты программы (3)", "Lähteet", "_1"]


def test_headings_have_the_ids_permalinks_and_contents_of_the_toc_extension():
    ctx = context()
    ours = "\n".join(ctx.heading(1 if i == 0 else 2, html_text(h)) for i, h in enumerate(HEADINGS))
    theirs = convert("\n\n".join(("# " if i == 0 else "## ") + md_inline(h) for i, h in enumerate(HEADINGS)))
    assert ours == theirs
    tokens = []
    stack = list(MD.toc_tokens)
    while stack:
        token = stack.pop(0)
        tokens.append([token["level"], token["id"], token["name"]])
        stack[:0] = token["children"]
    assert ctx.toc == tokens


def test_a_heading_with_its_own_id_keeps_it():
    ctx = context()
    ours = ctx.heading(2, "Projects (12)", "list-projects") + "\n" + ctx.heading(2, "List projects")
    assert ours == convert("## Projects (12) { #list-projects }\n\n## List projects")


def test_blocks_are_laid_out_as_python_markdown_lays_out_a_document():
    ctx = context()
    ours = blocks("\n".join([
        ctx.heading(2, "Partners"), "", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "", "",
        ctx.raw('<p class="x" data-pagefind-ignore>raw</p>'), "",
        ctx.admonition("warning", "Title", "Text"), "",
        ctx.raw('<p class="portal-updated">end</p>'), "\n"]))
    theirs = convert('## Partners\n\n- a\n- b\n\n<p class="x" data-pagefind-ignore>raw</p>\n\n'
                     '!!! warning "Title"\n\n    Text\n\n<p class="portal-updated">end</p>\n')
    assert ours == theirs


def test_the_interface_strings_of_an_html_template_are_escaped():
    class UI(dict):
        def __getitem__(self, key):
            return {"a": "x < y & z", "n": {"title": "<b>", "text": "ok"}}[key]
    ui = html_page.EscapedUI(UI())
    assert ui["a"] == "x &lt; y &amp; z"
    assert ui["n"] == {"title": "&lt;b&gt;", "text": "ok"}


def test_a_page_with_english_standing_in_has_the_notice_under_its_title(repo):
    path = repo / "data/projects/startup-connect.yml"
    data = yaml.safe_load(path.read_text())
    del data["summary"]["fi"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    pipeline.generate(repo)
    text = (repo / "docs/fi/projects/startup-connect.md").read_text()
    body = text.split("\n---\n", 1)[1]
    title_end = body.index("</h1>\n") + len("</h1>\n")
    assert body[title_end:].startswith('<div class="admonition info">\n<p class="admonition-title">')
    front = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert [entry[1] for entry in front["portal"]["toc"]] == [
        anchor for anchor in re.findall(r'<h[1-6] id="([^"]+)"', body)]
