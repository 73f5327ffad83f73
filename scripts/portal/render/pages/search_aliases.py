"""Cross-script names for search: Pietari, Санкт-Петербург and Saint Petersburg find the same pages.

For each language, a table of the other spellings of every region, country, organization and city,
each with the name to search for instead in that language. It is derived from the validated records
(labels in every language, short names, `aliases`) and written beside the generated pages as
docs/<lang>/.generated/search-aliases.json; the site's search (site/search_index.py and
overrides/assets/portal/search-worker.js) only reads it.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from ...model import schema as S
from .. import site as render


def alias_groups(site: render.Site) -> list[dict[str, Any]]:
    """Every name of one place or organization: {"names": {lang: name}, "short", "variants"}."""
    groups: list[dict[str, Any]] = []
    for vocab in ("regions", "countries"):
        for term in site.cat.vocab[vocab].values():
            groups.append({"names": term["label"], "short": None,
                           "variants": _texts(term["label"]) + list(term.get("aliases") or [])})
    cities: dict[str, dict] = {}
    for slug in site.sorted_slugs("organization"):
        org = site.cat.records["organization"][slug].data
        short = str(org["short_name"]) if org.get("short_name") else None
        variants = _texts(org["name"]) + list(org.get("aliases") or []) + ([short] if short else [])
        groups.append({"names": org["name"], "short": short, "variants": variants})
        if org.get("city"):
            cities.setdefault(org["city"]["en"], org["city"])
    groups += [{"names": city, "short": None, "variants": _texts(city)} for city in cities.values()]
    return groups


def alias_table(groups: Iterable[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """[{"variants": [...], "expand": "name in lang"}]; a group whose every spelling is already the
    language's own name needs no entry (stemming and prefix search find it)."""
    table = []
    for group in groups:
        own_name = group["names"].get(lang) or group["names"].get(S.SOURCE_LANG)
        expand = " ".join(p for p in (own_name, group["short"]) if p)
        own = set(_norm(expand).split())
        variants = sorted({str(v) for v in group["variants"]
                           if _norm(str(v)) and not set(_norm(str(v)).split()) <= own})
        if expand and variants:
            table.append({"variants": variants, "expand": expand})
    return table


def _texts(value: dict) -> list[str]:
    return [v for v in value.values() if isinstance(v, str) and v]


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower().replace("ё", "е")).strip()


def search_alias_files(site: render.Site, lang: str) -> Iterable[render.Page]:
    table = alias_table(alias_groups(site), lang)
    # The "generated from" line must come first (write.py recognises generated files by it).
    head = (f'{{"{render.GENERATED_MARK}": "data/vocabularies/ and data/organizations/ by '
            f'`make generate`; do not edit",\n')
    body = json.dumps(table, ensure_ascii=False, sort_keys=True)
    yield render.Page(f"{lang}/.generated/search-aliases.json", f'{head}"aliases": {body}}}\n')
