"""The MkDocs configuration: mkdocs.yml, with the languages of the registry filled in.

mkdocs.yml holds everything about the site but the list of languages, which comes from
scripts/locales/languages.yml (portal/languages.py): adding a language is one registry entry and a
locale file, not an edit here or in mkdocs.yml. MkDocs' own config loader takes the plugins list
as an override, so the i18n plugin sees the languages exactly as if they were written in mkdocs.yml.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from .. import languages


def i18n_languages(registry: languages.Registry) -> list[dict[str, Any]]:
    """The registry as mkdocs-static-i18n's `languages` option (the source language is the default),
    with the words the theme takes from its configuration (the light/dark toggle) translated."""
    out = []
    for lang in registry.languages:
        toggle = languages.strings(lang.code).get("theme_toggle") or {}
        entry = {"locale": lang.code, "name": lang.name, "build": True, "default": lang.code == registry.source,
                 "site_name": lang.site_name, "site_description": lang.site_description}
        home = (languages.strings(lang.code).get("trail") or {}).get("home")
        if home:  # mkdocs.yml names the home page's menu entry "Home"
            entry["nav_translations"] = {"Home": home}
        if toggle.get("to_dark") and toggle.get("to_light"):
            # mkdocs.yml's palette: the light scheme first (its toggle turns dark), then the dark one.
            entry["theme"] = {"palette": [{"toggle": {"name": toggle["to_dark"]}},
                                          {"toggle": {"name": toggle["to_light"]}}]}
        out.append(entry)
    return out


class _FreshEachTime(list):
    """MkDocs consumes the plugin entries it validates (dict.popitem), and `mkdocs serve` loads the
    configuration again with the same options on every rebuild: each reading gets its own copy."""

    def __iter__(self):
        return iter(copy.deepcopy(list(super().__iter__())))


def plugins(root: Path, registry: languages.Registry | None = None, only: str | None = None) -> list:
    """mkdocs.yml's plugins, with the i18n plugin's languages taken from the registry; `only`: build
    that one language (mkdocs-static-i18n's documented build_only_locale option)."""
    registry = registry or languages.registry()
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        raw = yaml_load(handle)
    out = []
    for entry in raw.get("plugins") or []:
        if isinstance(entry, dict) and "i18n" in entry:
            entry = {"i18n": dict(entry["i18n"] or {}, languages=i18n_languages(registry))}
            if only:
                entry["i18n"]["build_only_locale"] = only
        out.append(entry)
    return _FreshEachTime(out)


def load(root: Path, language: str | None = None, shard: tuple[int, int] | None = None,
         only: list[str] | None = None, report: str | None = None, **options: Any) -> MkDocsConfig:
    """The site's configuration as MkDocs will use it (options as on MkDocs' command line).

    With `language`, the configuration of that language's own build (site/build.py runs one per
    language in parallel): build_only_locale makes it the plugin's only language, so its pages are
    written at the root of site_dir, which build.py moves to site/<lang>/; site_url points there
    (canonical URLs), and config.extra keeps the whole site's root for links that leave the language
    (hreflang alternates, the switcher, the feed, the sharing card, the search bundle).
    `shard` (k, n): only the k-th of n shares of that language's pages (site/shards.py); `only`:
    of those, only these pages (paths without the language folder: an incremental build,
    site/incremental.py); `report`: where the build says what it built (site/build_report.py).
    """
    registry = languages.registry()
    if language is None:
        return load_config(str(root / "mkdocs.yml"), plugins=plugins(root, registry), **options)
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        site_root = options.get("site_url") or yaml_load(handle).get("site_url") or ""  # !ENV resolved
    if site_root and not site_root.endswith("/"):
        site_root += "/"
    options["site_url"] = site_root + registry.prefix(language) if site_root else None
    config = load_config(str(root / "mkdocs.yml"), plugins=plugins(root, registry, only=language), **options)
    config.extra["portal_build"] = {"language": language, "prefix": registry.prefix(language),
                                    "site_root": site_root}
    if shard and shard[1] > 1:
        config.extra["portal_build"]["shard"] = list(shard)
    if only is not None:
        config.extra["portal_build"]["only"] = list(only)
    if report:
        config.extra["portal_build"]["report"] = report
    return config
