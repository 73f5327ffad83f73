"""Open data, feeds, statistics and map (issue 10): each exporter on the small fixture data set.

Columns are a published contract: the expected headers below are that contract, written out, so a
change to them is a deliberate change to this file and to the Data page, never a side effect.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml

from portal import pipeline
from portal.escape import csv_cell
from portal import history

HEADERS = {
    "projects": "id,name,acronym,summary,programme,programme_name,programme_period,status,status_name,"
                "start,end,partners,partner_names,part_of,themes,theme_names,sdgs,regions,region_names,"
                "countries,country_names,website,sources,source_titles,updated,page",
    "playbooks": "id,name,summary,business_model,business_model_name,themes,theme_names,sdgs,"
                 "example_projects,example_organizations,sources,source_titles,updated,page",
    "organizations": "id,name,short_name,type,type_name,country,country_name,city,region,region_name,parent,"
                     "member_of,website,sources,source_titles,updated,page",
    "events": "id,name,summary,start,end,format,format_name,place,regions,region_names,countries,"
              "country_names,organizers,part_of,related_projects,related_organizations,themes,theme_names,"
              "sdgs,sources,source_titles,updated,page",
    "programmes": "id,name,acronym,summary,programme_type,programme_type_name,programme_period,status,"
                  "status_name,start,end,managing_body,managing_body_name,countries,country_names,regions,"
                  "region_names,eligible_area,open_to,website,follows,notice,sources,source_titles,updated,page",
}
NASTY = '=HYPERLINK("http://evil") quote " comma , newline\nand <tag> & \'apostrophe\''


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # the byte order mark is not part of a cell
        return list(csv.DictReader(fh))


def read_xlsx(path: Path) -> list[list[str]]:
    """The cells of an XLSX file's first sheet as rows of text (shared or inline strings), read with the
    standard library: the file format is a zip of XML parts (ECMA-376)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as book:
        shared = [("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
                  for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    out = []
    for row in sheet.find("m:sheetData", ns).findall("m:row", ns):
        cells = {}
        for c in row.findall("m:c", ns):
            col = "".join(ch for ch in c.get("r") if ch.isalpha())
            index = 0
            for ch in col:
                index = index * 26 + ord(ch) - 64
            assert c.get("t") == "s", f"{path.name} {c.get('r')}: every cell is text"
            cells[index - 1] = shared[int(c.find("m:v", ns).text)]
        out.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return out


def test_csv_and_json_columns_are_the_published_contract(repo):
    pipeline.generate(repo)
    data = repo / "docs/en/data"
    for folder, header in HEADERS.items():
        for lang in ("en", "ru", "fi"):
            raw = (data / f"{folder}.{lang}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf"), f"{folder}.{lang}.csv: a UTF-8 byte order mark"
            first_line = raw[3:].split(b"\r\n", 1)[0].decode()
            assert first_line == header, f"{folder}.{lang}.csv"
            rows = json.loads((data / f"{folder}.{lang}.json").read_text(encoding="utf-8"))
            assert all(list(r) == header.split(",") for r in rows), f"{folder}.{lang}.json keys"


def test_rows_hold_ids_labels_in_the_language_and_partners_with_roles(repo):
    pipeline.generate(repo)
    ru = {r["id"]: r for r in read_csv(repo / "docs/en/data/projects.ru.csv")}
    en = {r["id"]: r for r in json.loads((repo / "docs/en/data/projects.en.json").read_text())}
    assert set(ru) == set(en) == {p.stem for p in (repo / "data/projects").glob("*.yml")}
    row = ru["startup-connect"]
    assert row["partners"] == "cursor:lead-partner; itmo-university:partner"
    assert row["themes"] == en["startup-connect"]["themes"][0] == "circular-economy"
    assert en["startup-connect"]["sdgs"] == [12] and row["sdgs"] == "12"
    assert row["start"] == "2019-01" and row["end"] == "2020-12-31"
    site = "https://baltic-circular.github.io/portal/"  # site_url of mkdocs.yml (no $SITE_URL here)
    assert row["page"] == site + "ru/projects/startup-connect/"
    assert en["startup-connect"]["page"] == site + "projects/startup-connect/"
    assert row["summary"].startswith("Исследование")  # the file's language


def test_record_text_is_encoded_for_csv_json_xml_and_svg(repo):
    path = repo / "data/projects/startup-connect.yml"
    record = yaml.safe_load(path.read_text())
    record["title"]["en"] = NASTY
    record["summary"]["en"] = NASTY
    record["sources"].append({"title": "Web page", "url": "https://example.org/", "retrieved": "2026-11-20"})
    path.write_text(yaml.safe_dump(record, allow_unicode=True))
    pipeline.generate(repo)
    row = next(r for r in read_csv(repo / "docs/en/data/projects.en.csv") if r["id"] == "startup-connect")
    assert row["name"] == "'" + NASTY == row["summary"], "exact text, formula disarmed, CSV intact"
    row = next(r for r in json.loads((repo / "docs/en/data/projects.en.json").read_text())
               if r["id"] == "startup-connect")
    assert row["name"] == NASTY, "JSON keeps the exact text"
    feed = ET.fromstring((repo / "docs/en/feed.xml").read_bytes())  # XML stays well-formed
    assert NASTY in [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert NASTY in [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}summary")]
    for page in ("statistics.md", "map.md"):
        text = (repo / "docs/en" / page).read_text(encoding="utf-8")
        for svg in text.split("<svg")[1:]:
            ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")


# The headers a reader of each language's spreadsheet sees (scripts/locales/*.yml data.headers).
XLSX_HEADERS = {
    "en": ["ID", "Name", "Short name", "Type ID", "Type", "Country code", "Country", "City"],
    "ru": ["Идентификатор", "Название", "Краткое название", "Идентификатор типа", "Тип", "Код страны",
           "Страна", "Город"],
    "fi": ["Tunniste", "Nimi", "Lyhyt nimi", "Tyypin tunniste", "Tyyppi", "Maakoodi", "Maa", "Kaupunki"],
}


def test_each_csv_has_a_spreadsheet_beside_it_with_headers_in_its_language(repo):
    pipeline.generate(repo)
    data = repo / "docs/en/data"
    for lang, first in XLSX_HEADERS.items():
        sheet = read_xlsx(data / f"organizations.{lang}.xlsx")
        assert sheet[0][:len(first)] == first, lang
        rows = read_csv(data / f"organizations.{lang}.csv")
        assert len(sheet[0]) == len(rows[0]), "the same columns as the CSV file"
        # The same rows and cells as the CSV file, every cell text: exact, with no formula apostrophe.
        assert [r + [""] * (len(sheet[0]) - len(r)) for r in sheet[1:]] == [list(r.values()) for r in rows]
    for folder in HEADERS:
        for lang in XLSX_HEADERS:
            headers = read_xlsx(data / f"{folder}.{lang}.xlsx")[0]
            assert len(set(headers)) == len(headers) == len(HEADERS[folder].split(",")), (folder, lang)
    ru = {r[0]: r for r in read_xlsx(data / "organizations.ru.xlsx")[1:]}
    assert ru["itmo-university"][XLSX_HEADERS["ru"].index("Город")] == "Санкт-Петербург"


def test_spreadsheet_keeps_record_text_exact_and_never_a_formula(repo):
    path = repo / "data/organizations/cursor.yml"
    record = yaml.safe_load(path.read_text())
    record["name"]["ru"] = "=HYPERLINK(\"http://evil\") Ёё äö"
    path.write_text(yaml.safe_dump(record, allow_unicode=True))
    pipeline.generate(repo)
    sheet = read_xlsx(repo / "docs/en/data/organizations.ru.xlsx")  # read_xlsx: every cell a string
    assert "=HYPERLINK(\"http://evil\") Ёё äö" in [r[1] for r in sheet[1:]]
    with zipfile.ZipFile(repo / "docs/en/data/organizations.ru.xlsx") as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml"), "no formula cell"


def test_data_package_says_how_ids_and_headers_relate(repo):
    pipeline.generate(repo)
    package = json.loads((repo / "docs/en/data/datapackage.json").read_text(encoding="utf-8"))
    assert "column id" in package["description"] and ".xlsx" in package["description"]
    by_name = {r["name"]: r for r in package["resources"]}
    ru = {f["name"]: f for f in by_name["organizations-ru-csv"]["schema"]["fields"]}
    fi = {f["name"]: f for f in by_name["organizations-fi-json"]["schema"]["fields"]}
    assert ru["city"]["title"] == "Город" and fi["city"]["title"] == "Kaupunki"
    assert [f["title"] for f in by_name["organizations-fi-csv"]["schema"]["fields"]][:8] == XLSX_HEADERS["fi"]


def test_csv_cell_disarms_formulas_but_keeps_numbers():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-5") == "-5" and csv_cell("+3.5") == "+3.5" and csv_cell("- a list") == "'- a list"
    assert csv_cell("Plain") == "Plain" and csv_cell(None) == ""


def test_generation_is_deterministic(repo, tmp_path):
    pipeline.generate(repo)
    first = {p.relative_to(repo / "docs").as_posix(): p.read_bytes() for p in (repo / "docs").rglob("*") if p.is_file()
             and "generated-manifest" not in p.name}
    other = tmp_path / "again"
    shutil.copytree(repo, other, ignore=shutil.ignore_patterns("docs"))
    (other / "docs").mkdir()
    pipeline.generate(other)
    second = {p.relative_to(other / "docs").as_posix(): p.read_bytes() for p in (other / "docs").rglob("*")
              if p.is_file() and "generated-manifest" not in p.name}
    assert first == second


def test_data_package_is_valid_for_frictionless(repo):
    import frictionless  # a test dependency (requirements-test.txt): missing, the test fails
    pipeline.generate(repo)
    package = repo / "docs/en/data/datapackage.json"
    described = {r["path"] for r in json.loads(package.read_text())["resources"]}
    present = {p.name for p in package.parent.iterdir() if p.suffix in (".csv", ".json") and p.name != package.name}
    assert described == present, "every data file is described, and only those"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]


def test_csv_files_stale_after_a_kind_disappears_are_removed(repo):
    pipeline.generate(repo)
    stale = repo / "docs/en/data/projects.xx.csv"  # as if a language had been dropped
    stale.write_text("id\n")
    manifest = json.loads((repo / pipeline.MANIFEST).read_text())
    manifest["pages"].append("en/data/projects.xx.csv")
    (repo / pipeline.MANIFEST).write_text(json.dumps(manifest))
    (repo / "data/playbooks/resource-recovery.yml").unlink()
    pipeline.generate(repo)
    assert not stale.exists(), "a data file the last generation wrote and this one did not is removed"


def test_a_hand_written_csv_is_never_overwritten(repo):
    target = repo / "docs/en/data/projects.en.csv"
    target.parent.mkdir(parents=True)
    target.write_text("hand,written\n")
    with pytest.raises(pipeline.ValidationFailed) as failed:
        pipeline.generate(repo)
    assert "docs/en/data/projects.en.csv" in {p.file for p in failed.value.problems}
    assert target.read_text() == "hand,written\n"


def test_each_feed_is_valid_atom(repo):
    import feedparser  # a test dependency (requirements-test.txt): missing, the test fails
    pipeline.generate(repo)
    for lang in ("en", "ru", "fi"):
        parsed = feedparser.parse((repo / f"docs/{lang}/feed.xml").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        # Without git history only records with a review date are dated: a source's `retrieved`,
        # or that of a document it cites (data/vocabularies/documents.yml).
        assert len(parsed.entries) == len(_dated_records(repo)) > 0
        for entry in parsed.entries:
            assert entry.title and entry.id.startswith("tag:") and entry.updated_parsed


def test_feed_links_are_absolute_under_the_site_address(repo, monkeypatch):
    """Readers that keep entries apart from the feed cannot resolve relative links (issue 20)."""
    feedparser = pytest.importorskip("feedparser")
    monkeypatch.setenv("SITE_URL", "https://example.org/portal")  # mkdocs.yml: !ENV [SITE_URL, ...]
    pipeline.generate(repo)
    for lang, prefix in (("en", ""), ("ru", "ru/"), ("fi", "fi/")):
        xml = (repo / f"docs/{lang}/feed.xml").read_text(encoding="utf-8")
        hrefs = re.findall(r'href="([^"]*)"', xml)
        assert hrefs and all(h.startswith(f"https://example.org/portal/{prefix}") for h in hrefs), hrefs
        parsed = feedparser.parse(xml.encode())
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.feed.link == f"https://example.org/portal/{prefix}"
        assert {l.href for l in parsed.feed.links if l.rel == "self"} == {f"https://example.org/portal/{prefix}feed.xml"}
        assert f"https://example.org/portal/{prefix}projects/startup-connect/" in {e.link for e in parsed.entries}


def _dated_records(repo: Path) -> list[Path]:
    docs_file = repo / "data/vocabularies/documents.yml"
    documents = {t["id"]: t for t in (yaml.safe_load(docs_file.read_text())["terms"] if docs_file.exists() else [])}
    dated = []
    for path in (repo / "data").rglob("*.yml"):
        if "vocabularies" in path.parts:
            continue
        for source in yaml.safe_load(path.read_text()).get("sources") or []:
            if source.get("retrieved") or documents.get(source.get("document"), {}).get("retrieved"):
                dated.append(path)
                break
    return dated


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(cwd)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _commit(repo: Path, when: str, message: str) -> None:
    _git(repo, "add", "-A")
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(repo),
                        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})


def test_dates_come_from_git_history_and_a_shallow_clone_says_it_cannot_tell(repo, tmp_path):
    _git(repo, "init", "-q")
    _commit(repo, "2025-01-02T10:00:00+00:00", "first")
    path = repo / "data/projects/startup-connect.yml"
    path.write_text(path.read_text().replace("Survey of", "A survey of"))
    _commit(repo, "2025-03-04T10:00:00+00:00", "second")
    dates = history.read(repo)
    assert dates.git and not dates.shallow
    assert dates.updated["data/projects/startup-connect.yml"] == "2025-03-04T10:00:00+00:00"
    assert dates.added["data/projects/startup-connect.yml"] == "2025-01-02T10:00:00+00:00"
    assert dates.updated["data/organizations/cursor.yml"] == "2025-01-02T10:00:00+00:00"
    pipeline.generate(repo)
    assert "2025-03-04" in (repo / "docs/en/projects/startup-connect.md").read_text()  # "last updated"

    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    dates = history.read(shallow)
    assert dates.shallow and dates.updated == {}, "cut-off history gives no dates, not the clone's date"
    assert history.read(repo / "data").git is False, "a folder inside a repository is not its top"


def test_the_map_geometry_kept_in_the_process_is_the_base_map_s(repo, monkeypatch):
    """export/map.py draws each map's land and regions once per process and base map: the map page
    is the one drawn from scratch, and another base map (a new baltic.json read) is drawn anew."""
    from portal.export import map as map_page
    from portal.export import places

    def map_md() -> bytes:
        pipeline.generate(repo, full=True)
        return (repo / "docs/en/map.md").read_bytes()

    monkeypatch.setattr(map_page, "_DRAWN", {})
    fresh = map_md()
    assert map_page._DRAWN
    assert map_md() == fresh  # (drawn from what was kept)
    original = places.basemap()
    moved = json.loads(json.dumps(original))
    for region in moved["regions"]:  # every region a little further north
        region["rings"] = [[[lon, lat + 0.05] for lon, lat in ring] for ring in region["rings"]]
    monkeypatch.setattr(places, "basemap", lambda: moved)
    monkeypatch.setattr(map_page, "basemap", lambda: moved)
    drawn_again = map_md()
    assert drawn_again != fresh
    monkeypatch.setattr(map_page, "_DRAWN", {})
    assert map_md() == drawn_again  # the same as drawn from scratch on that base map
