"""`make status` and the translation-status page."""
from __future__ import annotations

import re
from pathlib import Path

from portal import render
from portal.model import translations as status
from portal.model.validate import validate


def drop_line(path: Path, pattern: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, "", text, count=1, flags=re.M)
    assert changed != text, pattern
    path.write_text(changed, encoding="utf-8")


def test_report_counts_and_lists_fallbacks(repo_copy: Path) -> None:
    full = status.build_report(validate(repo_copy), repo_copy)
    drop_line(repo_copy / "data/projects/ekolend.yml", r"^  fi: .*\n")  # the title's Finnish
    drop_line(repo_copy / "scripts/locales/ru.yml", r"^site_name: .*\n")
    cat = validate(repo_copy)
    assert cat.problems == []
    report = status.build_report(cat, repo_copy)
    fi, ru = report.languages["fi"], report.languages["ru"]
    assert fi.overall.total == full.languages["fi"].overall.total
    assert fi.overall.translated == full.languages["fi"].overall.translated - 1
    assert "data/projects/ekolend.yml: title.fi" in [str(m) for m in fi.missing]
    assert "site_name" in ru.ui_missing and "site_name" not in fi.ui_missing
    assert 0 < fi.overall.percent < 100
    lines = "\n".join(report.lines())
    assert re.search(r"^fi: \d+\.\d% of texts translated", lines, re.M)
    assert "  data/projects/ekolend.yml: title.fi" in lines
    assert "ru: 1 UI strings missing from scripts/locales/ru.yml:\n  site_name" in lines


def test_list_items_and_vocabularies_are_counted(repo_copy: Path) -> None:
    report = status.build_report(validate(repo_copy), repo_copy)
    assert report.languages["ru"].by_group["vocabulary"].total > 0
    # Paths of list items carry their index, as validation messages do.
    cat = validate(repo_copy)
    rec = next(r for r in cat.records["project"].values() if r.data.get("activities"))
    rec.data["activities"][0].pop("fi", None)
    report = status.build_report(cat, repo_copy)
    assert f"{rec.path}: activities[0].fi" in [str(m) for m in report.languages["fi"].missing]


def test_status_page_in_every_language(repo_copy: Path) -> None:
    drop_line(repo_copy / "data/projects/ekolend.yml", r"^  fi: .*\n")
    cat = validate(repo_copy)
    pages = {p.path: p.text for p in render.render_all(cat, repo_copy)
             if p.path.endswith("translation-status.md")}
    assert set(pages) == {"en/translation-status.md", "ru/translation-status.md", "fi/translation-status.md"}
    assert "# Translation status" in pages["en/translation-status.md"]
    assert "# Состояние перевода" in pages["ru/translation-status.md"]
    assert "# Käännösten tilanne" in pages["fi/translation-status.md"]
    for text in pages.values():
        assert text.startswith("---\n# generated from")
        assert "`data/projects/ekolend.yml`: `title.fi`" in text
    # The share of Finnish texts, from the report's own counts, in each language's number format:
    # one decimal, "," and a space before "%" in Russian and Finnish, "." and no space in English.
    fi = status.build_report(cat, repo_copy).languages["fi"].overall
    assert 0 < fi.translated < fi.total
    share = round(1000 * fi.translated / fi.total) / 10  # e.g. 99.8
    whole, tenth = divmod(round(share * 10), 10)
    cells = {"en": f"{whole}.{tenth}% ({fi.translated}/{fi.total})",
             "ru": f"{whole},{tenth} % ({fi.translated}/{fi.total})",
             "fi": f"{whole},{tenth} % ({fi.translated}/{fi.total})"}
    for lang, cell in cells.items():
        row = next(line for line in pages[f"{lang}/translation-status.md"].splitlines() if "(`fi`)" in line)
        assert f" | {cell} | " in row, (lang, row)


def test_command_prints_the_report(capsys) -> None:
    from portal.commands.cli import run
    assert run(["status"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Translation status")
    assert re.search(r"^ru: \d+\.\d% of texts translated", out, re.M)
    assert re.search(r"^fi: \d+\.\d% of texts translated", out, re.M)
