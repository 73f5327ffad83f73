"""One search index per language, written after mkdocs-static-i18n has built every language.

Why: mkdocs-static-i18n merges every language's pages into ONE root `search/search_index.json`, and
Material builds one lunr index from it in the browser. Measured in headless Chromium on the stock stack:
an English word typed on /ru/ returns English pages, and an inflected query finds nothing, because
Material's default pipeline has no stemmer and its query adds `*` (which skips stemming) to every term.

What this module does, once, after the whole multi-language build (`split_search_index`):
- `site/search/search_index.json` keeps the default language only; `site/<lang>/search/search_index.json`
  gets that language's pages with locations relative to the language root (the page's `config.base`
  points at the language root, see overrides/main.html);
- each index has its own lunr language set (SEARCH_LANGUAGES) and the full pipeline with the stemmer;
- record pages (front matter `portal: {kind, slug}`) get a document boost, and their record's acronym,
  short name and aliases a `keys` field boosted like the title, so a record's title or acronym ranks
  first (see `_page_keys`);
- `config.portal_aliases` carries the cross-script name table (`alias_table`) that the worker wrapper
  overrides/assets/portal/search-worker.js uses to expand queries.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable

import yaml

# Lunr languages per portal language. Russian needs "en" too: lunr.ru's trimmer keeps only Cyrillic
# word characters, so Latin names (Interreg, EcoLend, XAMK) in Russian pages would vanish from the
# index. Finnish is written in Latin letters, and chaining the English Porter stemmer after the
# Finnish one would only mangle Finnish stems, so Finnish stays alone.
SEARCH_LANGUAGES = {"en": ["en"], "ru": ["ru", "en"], "fi": ["fi"]}

# Material's default pipeline drops the stemmer (it relies on prefix queries); we want stemming.
PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]

# Field boosts. Material's own defaults are title 1e3, text 1, tags 1e6; `keys` holds acronyms,
# short names and aliases of the record a page is about, so they rank like the title.
FIELDS = {
    "title": {"boost": 1e3},
    "keys": {"boost": 1e3},
    "text": {"boost": 1.0},
    # Material gives tags 1e6; our tags are theme labels shared by many pages, so a theme word would
    # outrank the record whose title it is. Below titles, above body text.
    "tags": {"boost": 1e2},
}

# Boost of a whole record page (projects, organizations, events, playbooks) and of a facet term's
# page (topics/<vocabulary>/<term>/) over lists and hand-written pages.
RECORD_BOOST = 2.0
RECORD_KINDS = {"project": "projects", "organization": "organizations", "event": "events",
                "playbook": "playbooks"}


def _text(value: Any, lang: str) -> str | None:
    """A record text in `lang`, falling back to English (the portal's rule for missing texts)."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("en")
    if isinstance(value, str):
        return value
    return None


def _all_texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    if isinstance(value, str):
        return [value]
    return []


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None  # validation reports broken files; search just leaves them out


def alias_groups(data_dir: Path) -> list[dict[str, Any]]:
    """Groups of names for one place or organization: every label, name, short name and alias.

    Sources: vocabularies `regions` and `countries` (label in every language + aliases), the cities
    named by organizations, and organizations (name in every language, short_name, aliases).
    Each group is {"names": {lang: name}, "short": str|None, "variants": [all spellings]}.
    """
    groups: list[dict[str, Any]] = []
    for vocab in ("regions", "countries"):
        doc = _load_yaml(data_dir / "vocabularies" / f"{vocab}.yml") or {}
        for term in doc.get("terms") or []:
            if not isinstance(term, dict) or not isinstance(term.get("label"), dict):
                continue
            label = term["label"]
            variants = _all_texts(label) + [a for a in term.get("aliases") or [] if isinstance(a, str)]
            groups.append({"names": label, "short": None, "variants": variants})
    cities: dict[str, dict] = {}
    for path in sorted((data_dir / "organizations").glob("*.yml")):
        org = _load_yaml(path)
        if not isinstance(org, dict) or not isinstance(org.get("name"), dict):
            continue
        short = org.get("short_name") if isinstance(org.get("short_name"), str) else None
        variants = _all_texts(org["name"]) + [a for a in org.get("aliases") or [] if isinstance(a, str)]
        if short:
            variants.append(short)
        groups.append({"names": org["name"], "short": short, "variants": variants})
        city = org.get("city")
        if isinstance(city, dict) and city.get("en"):
            cities.setdefault(city["en"], city)
    for city in cities.values():
        groups.append({"names": city, "short": None, "variants": _all_texts(city)})
    return groups


def alias_table(groups: Iterable[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """For one language: [{"variants": [...], "expand": "name in lang"}], variants in other forms only.

    A group whose spellings are all the same as the language's own name needs no entry (stemming and
    prefix search find it already).
    """
    table = []
    for group in groups:
        expand_parts = [_text(group["names"], lang)]
        if group["short"]:
            expand_parts.append(group["short"])
        expand = " ".join(p for p in expand_parts if p)
        if not expand:
            continue
        own = set(_norm(expand).split())
        variants = sorted({v for v in group["variants"] if _norm(v) and not set(_norm(v).split()) <= own})
        if variants:
            table.append({"variants": variants, "expand": expand})
    return table


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower().replace("ё", "е")).strip()


def _front_matter(md_path: Path) -> dict[str, Any]:
    try:
        text = md_path.read_text(encoding="utf-8")
    except OSError:
        return {}
    match = re.match(r"^---\s*\n(.*?\n)---\s*\n", text, re.S)
    if not match:
        return {}
    meta = yaml.safe_load(match.group(1))
    return meta if isinstance(meta, dict) else {}


def _source_for(docs_lang_dir: Path, location: str) -> Path | None:
    """docs/<lang>/projects/x.md or .../x/index.md for the location 'projects/x/' (directory URLs)."""
    path = location.split("#", 1)[0].strip("/")
    candidates = [docs_lang_dir / "index.md"] if not path else [
        docs_lang_dir / f"{path}.md", docs_lang_dir / path / "index.md", docs_lang_dir / path / "README.md"]
    return next((c for c in candidates if c.is_file()), None)


def _page_keys(meta: dict[str, Any], data_dir: Path | None) -> list[str]:
    """Acronyms, short names and aliases of the record a page is about.

    Record pages carry `portal: {kind, slug}` in their front matter (scripts/templates/*.md.j2); the
    record file data/<kind>s/<slug>.yml gives `acronym`, `short_name` and `aliases`. The page's
    `jsonld.alternateName` is read too, for pages without a record file.
    """
    keys: list[str] = []
    portal = meta.get("portal") if isinstance(meta.get("portal"), dict) else {}
    kind, slug = portal.get("kind"), portal.get("slug")
    if data_dir is not None and isinstance(kind, str) and isinstance(slug, str) \
            and re.fullmatch(r"[a-z0-9-]+", slug) and kind in RECORD_KINDS:
        record = _load_yaml(data_dir / RECORD_KINDS[kind] / f"{slug}.yml")
        if isinstance(record, dict):
            for name in ("acronym", "short_name"):
                if isinstance(record.get(name), str):
                    keys.append(record[name])
            keys += [a for a in record.get("aliases") or [] if isinstance(a, str)]
    jsonld = meta.get("jsonld") if isinstance(meta.get("jsonld"), dict) else {}
    if isinstance(jsonld.get("alternateName"), str):
        keys.append(jsonld["alternateName"])
    return list(dict.fromkeys(keys))


_TERM_PAGE = re.compile(r"^topics/([a-z0-9-]+)/([a-z0-9-]+)/$")


def _term_keys(page: str, data_dir: Path | None, vocabularies: dict[str, dict]) -> list[str] | None:
    """For a facet page topics/<vocabulary>/<term>/: the term's label in every language + aliases.

    So "Saint Petersburg" typed on /fi/ meets the Finnish page of the St. Petersburg region directly.
    None when the page is not a term page.
    """
    match = _TERM_PAGE.match(page)
    if not match or data_dir is None:
        return None
    vocab, term_id = match.groups()
    if vocab not in vocabularies:
        doc = _load_yaml(data_dir / "vocabularies" / f"{vocab}.yml")
        vocabularies[vocab] = {str(t.get("id")): t for t in (doc or {}).get("terms") or []
                               if isinstance(t, dict)}
    term = vocabularies[vocab].get(term_id)
    if term is None:
        return None
    keys = _all_texts(term.get("label")) + [a for a in term.get("aliases") or [] if isinstance(a, str)]
    return list(dict.fromkeys(keys))


def _is_record(meta: dict[str, Any]) -> bool:
    portal = meta.get("portal")
    return isinstance(portal, dict) and portal.get("kind") in RECORD_KINDS and bool(portal.get("slug"))


def split_docs(docs: list[dict], languages: list[str], default: str) -> dict[str, list[dict]]:
    """Group merged search entries by language; strip the language prefix from locations."""
    others = [lang for lang in languages if lang != default]
    result: dict[str, list[dict]] = {lang: [] for lang in languages}
    for doc in docs:
        location = doc.get("location", "")
        lang = next((l for l in others if location == l or location.startswith(f"{l}/")
                     or location.startswith(f"{l}#")), default)
        entry = dict(doc)
        if lang != default:
            entry["location"] = location[len(lang):].lstrip("/")
        result[lang].append(entry)
    return result


def build_index(merged: dict, lang: str, docs: list[dict], docs_dir: Path | None,
                aliases: list[dict], data_dir: Path | None = None) -> dict:
    config = dict(merged.get("config") or {})
    config["lang"] = SEARCH_LANGUAGES.get(lang, [lang])
    config["pipeline"] = PIPELINE
    config["fields"] = FIELDS
    config["portal_aliases"] = aliases
    out_docs = []
    cache: dict[str, dict] = {}
    vocabularies: dict[str, dict] = {}
    for doc in docs:
        doc = dict(doc)
        page = doc["location"].split("#", 1)[0]
        if docs_dir is not None and page not in cache:
            src = _source_for(docs_dir / lang, page)
            cache[page] = _front_matter(src) if src else {}
        meta = cache.get(page, {})
        if "#" not in doc["location"]:  # the page itself, not one of its sections
            term_keys = _term_keys(page, data_dir, vocabularies)
            keys = _page_keys(meta, data_dir) if term_keys is None else term_keys
            if keys:
                doc["keys"] = " ".join(keys)
            if _is_record(meta) or term_keys is not None:
                doc["boost"] = max(float(doc.get("boost") or 1.0), RECORD_BOOST)
        out_docs.append(doc)
    return {"config": config, "docs": out_docs}


def split_search_index(site_dir: str | Path, languages: list[str], default: str,
                       docs_dir: str | Path | None = None, data_dir: str | Path | None = None) -> dict[str, int]:
    """Rewrite site/search/search_index.json into one index per language. Returns doc counts."""
    site = Path(site_dir)
    root_index = site / "search" / "search_index.json"
    merged = json.loads(root_index.read_text(encoding="utf-8"))
    groups = alias_groups(Path(data_dir)) if data_dir else []
    counts = {}
    for lang, docs in split_docs(merged.get("docs") or [], languages, default).items():
        index = build_index(merged, lang, docs, Path(docs_dir) if docs_dir else None,
                            alias_table(groups, lang), Path(data_dir) if data_dir else None)
        target = root_index if lang == default else site / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        counts[lang] = len(docs)
    return counts
