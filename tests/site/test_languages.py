"""A fourth language is one registry entry and one locale file (issue 9): Ida-Virumaa is in Estonia."""
from __future__ import annotations

import re

import yaml

from portal_testing import BASE_DATA, build, make_repo


def add_estonian(repo):
    locales = repo / "scripts/locales"
    registry = yaml.safe_load((locales / "languages.yml").read_text(encoding="utf-8"))
    registry["languages"].append({"code": "et", "locale": "et_EE", "name": "Eesti", "search": "et",
                                  "date_format": "long"})
    (locales / "languages.yml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    # A new locale file starts as a copy of English; here two strings are already translated.
    strings = yaml.safe_load((locales / "en.yml").read_text(encoding="utf-8"))
    strings["site_name"] = "Läänemere ringmajanduse portaal"
    strings["notice"]["fallback"]["title"] = "Tõlge on tulemas"
    (locales / "et.yml").write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")


def test_a_fourth_language_builds_the_whole_site_with_fallback_notices(tmp_path):
    # The real hand-written pages in three languages; Estonian has none yet, so they fall back too.
    repo = make_repo(tmp_path / "repo", data=BASE_DATA, with_site=True)
    for page in (repo / "docs").rglob("*.md"):  # they link to real records: keep only their heading
        text = page.read_text(encoding="utf-8")
        head = text[: text.index("\n# ") + 1] if text.startswith("---") else ""
        title = next(line for line in text.splitlines() if line.startswith("# "))
        snippet = '\n--8<-- ".generated/newest.md"\n' if page.name == "index.md" and page.parent.parent.name == "docs" else ""
        page.write_text(f"{head}{title}\n\nText of {page.name}.\n{snippet}", encoding="utf-8")
    add_estonian(repo)
    # A record may now carry Estonian text; the others fall back to English with the notice.
    record = repo / "data/organizations/cursor.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "name: {en: Cursor, ru: Курсор, fi: Cursor}", "name: {en: Cursor, ru: Курсор, fi: Cursor, et: Kursor}"),
        encoding="utf-8")
    result = build(repo)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    site = repo / "site"
    page = (site / "et/projects/startup-connect/index.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="et"', page)
    assert "Tõlge on tulemas" in page  # the fallback notice, in the new language's own words
    assert "Läänemere ringmajanduse portaal" in page
    hreflangs = set(re.findall(r'<link rel="alternate" href="[^"]+" hreflang="([\w-]+)">', page))
    assert hreflangs == {"en", "ru", "fi", "et", "x-default"}
    switcher = set(re.findall(r'hreflang="(\w+)" class="md-select__link"', page))
    assert switcher == {"en", "ru", "fi", "et"}
    assert '<meta property="og:locale" content="et_EE">' in page
    org = (site / "et/organizations/cursor/index.html").read_text(encoding="utf-8")
    assert "<h1" in org and "Kursor" in org
    for lang in ("", "ru/", "fi/"):  # the other languages are untouched and link to Estonian
        other = (site / lang / "projects/startup-connect/index.html").read_text(encoding="utf-8")
        assert 'hreflang="et"' in other
    assert (site / "et/404.html").is_file()
    about = (site / "et/about/index.html").read_text(encoding="utf-8")  # hand-written, not yet in Estonian
    assert "Tõlge on tulemas" in about and "Text of about.md." in about
