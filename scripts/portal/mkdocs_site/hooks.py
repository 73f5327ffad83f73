"""MkDocs hooks: keep the generated pages current, once per build.

mkdocs-static-i18n builds the default language, then calls MkDocs' build() again for every other
language, so each hook below runs three times per build; pipeline.ensure_generated() does the work
only when the inputs changed since the last generation (first language of a build, or a record
saved during `make serve`).
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from portal import escape, pipeline  # noqa: E402
from portal.mkdocs_site import post_build, safe_output  # noqa: E402

# `mkdocs serve` injects its live-reload script into every page it serves; the preview is not
# published, so it gets no Content-Security-Policy.
_SERVING = {"on": False}


def on_startup(command, **kwargs):
    _SERVING["on"] = command == "serve"


def on_pre_build(config, **kwargs):
    if post_build.is_nested_build(config):
        return
    try:
        pipeline.ensure_generated(ROOT)
    except pipeline.ValidationFailed as failed:
        lines = "\n".join(str(p) for p in sorted(failed.problems))
        raise PluginError(f"records are not valid; the pages were not regenerated:\n{lines}") from None


@event_priority(50)  # before Material's tags plugin (-50) reads page.meta.tags
def on_page_markdown(markdown, page, **kwargs):
    # Front matter is plain text; the theme prints some of it as HTML (safe_output.py).
    safe_output.theme_meta(page.meta)
    return markdown


def on_env(env, **kwargs):
    # Encoders for our own partials (overrides/partials/portal/): see scripts/portal/escape.py.
    env.filters["portal_json"] = escape.json_script
    env.filters["portal_url"] = escape.md_url
    return env


def on_post_page(output, page, config, **kwargs):
    return output if _SERVING["on"] else _with_policy(output, page.file.src_uri)


def on_post_template(output_content, template_name, config, **kwargs):
    # 404.html is rendered from a theme template, not from a page.
    if template_name == "404.html" and not _SERVING["on"]:
        return _with_policy(output_content, template_name)
    return output_content


def _with_policy(html: str, where: str) -> str:
    try:
        return safe_output.with_policy(html, where)
    except safe_output.UnsafeContent as exc:
        raise PluginError(f"refusing to publish {exc}") from None


def on_config(config, **kwargs):
    # Hand-written pages include generated snippets by a path relative to their own language
    # folder (`--8<-- ".generated/newest.md"`), so each language build looks in docs/<lang>/.
    i18n = config.plugins.get("i18n")
    lang = (i18n.current_language or i18n.default_language) if i18n else "en"
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(ROOT / "docs" / lang)]
    return config


@event_priority(-200)  # after mkdocs-static-i18n's on_post_build (-100), which builds ru and fi
def on_post_build(config, **kwargs):
    # Once, after every language is built: one search index per language and the 404 pages per
    # language (scripts/portal/mkdocs_site/post_build.py; it returns at once in the nested builds).
    post_build.on_post_build(config)


def on_pre_template(template, template_name, config, **kwargs):
    # MkDocs renders 404.html before the pages of each language build, so the language switcher
    # would show the alternates of the previous build's last page. On a missing page the only
    # sensible choices are the three home pages.
    # mkdocs-static-i18n assigns the per-page alternates as an attribute (config.extra.alternate),
    # which shadows the mapping item, so both are set.
    if template_name == "404.html" and config.extra.get("alternate"):
        from urllib.parse import urlsplit
        base = urlsplit(config.site_url or "/").path.rstrip("/")
        default = post_build.languages_of(config)[1]
        homes = [dict(alt, link=f"{base}/" + ("" if alt.get("lang") == default else f"{alt['lang']}/"))
                 for alt in config.extra["alternate"]]
        config.extra["alternate"] = homes
        config.extra.alternate = homes
    return template

