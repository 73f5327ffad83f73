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
- a page's `keys` (front matter `portal.keys`, written by the generator: a record's acronym, short
  name and aliases, a topic's label in every language) are boosted like the title, so a record's title
  or acronym ranks first; a record or topic page itself gets the document boost `portal.boost`;
- `config.portal_aliases` carries the cross-script name table the generator wrote to
  docs/<lang>/.generated/search-aliases.json (scripts/portal/search_aliases.py), which the worker
  wrapper overrides/assets/portal/search-worker.js uses to expand queries.

Record files are not read here: everything about records comes from the generated pages.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

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


def _portal(meta: dict[str, Any]) -> dict[str, Any]:
    """What the generator put in a page's front matter for search (`portal:`)."""
    return meta.get("portal") if isinstance(meta.get("portal"), dict) else {}


def load_aliases(docs_lang_dir: Path) -> list[dict]:
    """The generator's cross-script name table for one language (empty when there is none)."""
    try:
        data = json.loads((docs_lang_dir / ".generated" / "search-aliases.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return data.get("aliases") or []


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


def build_index(merged: dict, lang: str, docs: list[dict], docs_dir: Path | None) -> dict:
    config = dict(merged.get("config") or {})
    config["lang"] = SEARCH_LANGUAGES.get(lang, [lang])
    config["pipeline"] = PIPELINE
    config["fields"] = FIELDS
    config["portal_aliases"] = load_aliases(docs_dir / lang) if docs_dir is not None else []
    out_docs = []
    cache: dict[str, dict] = {}
    for doc in docs:
        doc = dict(doc)
        page = doc["location"].split("#", 1)[0]
        if docs_dir is not None and page not in cache:
            src = _source_for(docs_dir / lang, page)
            cache[page] = _front_matter(src) if src else {}
        portal = _portal(cache.get(page, {}))
        if "#" not in doc["location"]:  # the page itself, not one of its sections
            if isinstance(portal.get("keys"), list) and portal["keys"]:
                doc["keys"] = " ".join(str(k) for k in portal["keys"])
            if isinstance(portal.get("boost"), (int, float)):
                doc["boost"] = max(float(doc.get("boost") or 1.0), float(portal["boost"]))
        out_docs.append(doc)
    return {"config": config, "docs": out_docs}


def split_search_index(site_dir: str | Path, languages: list[str], default: str,
                       docs_dir: str | Path | None = None) -> dict[str, int]:
    """Rewrite site/search/search_index.json into one index per language. Returns doc counts."""
    site = Path(site_dir)
    root_index = site / "search" / "search_index.json"
    merged = json.loads(root_index.read_text(encoding="utf-8"))
    counts = {}
    for lang, docs in split_docs(merged.get("docs") or [], languages, default).items():
        index = build_index(merged, lang, docs, Path(docs_dir) if docs_dir else None)
        target = root_index if lang == default else site / lang / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        counts[lang] = len(docs)
    return counts
