"""How far each translation is, and what still falls back to English (`make status`).

English is the source. For every other language the report gives
- the share of reader-facing texts (record fields and vocabulary labels, from schema.py's
  text_fields) that have their own translation, overall and per record kind;
- every record field that falls back to English, as `data/projects/x.yml: description.fi`;
- the interface strings of scripts/locales/en.yml missing from scripts/locales/<lang>.yml.

The same report is a page of the site in every language, `translation-status.md`, rendered from
scripts/templates/status.md.j2 by render/pages/status.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from .. import languages
from . import schema as S
from .errors import field_path
from .validate import Catalogue

TARGETS = languages.registry().targets  # every language but the source


@dataclass
class Missing:
    file: str  # data/projects/x.yml
    field: str  # description.fi, activities[2].ru, terms[3].label.fi

    def __str__(self) -> str:
        return f"{self.file}: {self.field}"


@dataclass
class Counts:
    total: int = 0
    translated: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


@dataclass
class LangStatus:
    lang: str
    overall: Counts = field(default_factory=Counts)
    by_group: dict[str, Counts] = field(default_factory=dict)  # "project" …, "vocabulary"
    missing: list[Missing] = field(default_factory=list)
    ui_total: int = 0
    ui_missing: list[str] = field(default_factory=list)  # dotted keys


@dataclass
class Report:
    languages: dict[str, LangStatus]

    def lines(self) -> list[str]:
        out = [f"Translation status (source language: {S.SOURCE_LANG}; a missing text shows the English one)", ""]
        for st in self.languages.values():
            groups = ", ".join(f"{g} {c.percent:.0f}%" for g, c in st.by_group.items() if c.total)
            out.append(f"{st.lang}: {st.overall.percent:.1f}% of texts translated "
                       f"({st.overall.translated}/{st.overall.total}; {groups}); "
                       f"UI strings {st.ui_total - len(st.ui_missing)}/{st.ui_total}")
        for st in self.languages.values():
            out.append("")
            if st.missing:
                out.append(f"{st.lang}: {len(st.missing)} record fields fall back to English:")
                out += [f"  {m}" for m in st.missing]
            else:
                out.append(f"{st.lang}: no record field falls back to English.")
            if st.ui_missing:
                out.append(f"{st.lang}: {len(st.ui_missing)} UI strings missing from scripts/locales/{st.lang}.yml:")
                out += [f"  {key}" for key in st.ui_missing]
            else:
                out.append(f"{st.lang}: every UI string is translated.")
        return out


# ---------------------------------------------------------------------------------------------
# Finding the texts
# ---------------------------------------------------------------------------------------------

def expand(data: Any, pattern: tuple) -> Iterator[tuple[tuple, Any]]:
    """Concrete (path, value) pairs for a schema path whose list steps are '*'."""
    if not pattern:
        yield (), data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                for path, value in expand(item, rest):
                    yield (i,) + path, value
    elif isinstance(data, dict) and head in data:
        for path, value in expand(data[head], rest):
            yield (head,) + path, value


def texts(data: Any, obj: S.Object) -> Iterator[tuple[tuple, dict]]:
    """Every reader-facing text of one record or vocabulary that has its English original."""
    for pattern in _text_fields(obj):
        for path, value in expand(data, pattern):
            if isinstance(value, dict) and isinstance(value.get(S.SOURCE_LANG), str) \
                    and value[S.SOURCE_LANG].strip():
                yield path, value


_FIELDS: dict[int, tuple[S.Object, list[tuple]]] = {}  # id(schema object) -> (it, its text fields)


def _text_fields(obj: S.Object) -> list[tuple]:
    """S.text_fields(obj), walked once per schema object rather than once per record."""
    known = _FIELDS.get(id(obj))
    if known is None or known[0] is not obj:
        known = _FIELDS[id(obj)] = (obj, list(S.text_fields(obj)))
    return known[1]


def _translated(value: dict, lang: str) -> bool:
    text = value.get(lang)
    return isinstance(text, str) and bool(text.strip())


def flatten(node: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, node


def ui_status(locales: Path, lang: str) -> tuple[int, list[str]]:
    def load(name: str) -> dict:
        try:
            return languages.strings(name, locales)
        except (OSError, yaml.YAMLError):
            return {}
    source = dict(flatten(load(S.SOURCE_LANG)))
    own = dict(flatten(load(lang)))
    missing = [key for key in source
               if key not in own or own[key] is None or (isinstance(own[key], str) and not own[key].strip())]
    return len(source), missing


def build_report(cat: Catalogue, root: Path) -> Report:
    langs = {lang: LangStatus(lang, by_group={kind: Counts() for kind in S.KINDS} | {"vocabulary": Counts()})
             for lang in TARGETS}
    units: list[tuple[str, str, Any, S.Object]] = []  # (group, file, data, schema)
    for kind, records in cat.records.items():
        for slug in sorted(records):
            units.append((kind, records[slug].path, records[slug].data, S.KINDS[kind].schema))
    for vocab in sorted(cat.vocab_files):
        data = {"terms": list(cat.vocab[vocab].values())}
        units.append(("vocabulary", cat.vocab_files[vocab], data, S.vocabulary_schema(vocab)))
    for group, file, data, obj in units:
        for path, value in texts(data, obj):
            for lang, st in langs.items():
                done = _translated(value, lang)
                for counts in (st.overall, st.by_group[group]):
                    counts.total += 1
                    counts.translated += done
                if not done:
                    st.missing.append(Missing(file, f"{field_path(path)}.{lang}"))
    for lang, st in langs.items():
        st.ui_total, st.ui_missing = ui_status(root / "scripts" / "locales", lang)
    return Report(langs)
