"""The open-data tables: a CSV, a JSON and an XLSX file per record kind and language, stable columns.

Columns are defined once here (COLUMNS); the files, datapackage.json and the Data page's column
tables all read them, so documentation cannot drift from the files. Ids (slugs, vocabulary ids) are
the same in every language; `*_name` columns and texts are in the file's language (English where a
translation is missing, as on the pages). In CSV a list is one cell, items separated by "; "; in JSON
it is an array. Files are written like pages (write.py: atomically, only when changed).

For people opening a file by double-click (issue 20):
- CSV starts with a UTF-8 byte order mark: without it Excel reads the file in the locale's legacy
  code page and garbles Cyrillic and ä/ö. Python's csv module, frictionless and pandas skip it.
- The CSV header row is the column ids (machine-stable: datapackage.json's field names, the JSON
  keys). The locale's delimiter problem (Russian and Finnish spreadsheets split on ";") is met by an
  XLSX file per language beside the CSV, with the headers in the file's language (locale strings
  `data.headers.*`, also each field's `title` in datapackage.json): an XLSX file has no delimiter and
  no encoding to guess, in Excel, LibreOffice, Numbers and Google Sheets alike. Not a `sep=,` first
  line: it is an Excel-only extension that every other CSV reader (frictionless, pandas, LibreOffice)
  reads as a row of data, it breaks the header row the Data Package describes, and Excel stops
  honouring the BOM when it is there, so the garbling would come back.
- `page` is the page's absolute address (site_url of mkdocs.yml: site_address.py).
"""
from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .. import history
from ..model import schema as S
from ..escape import csv_cell
from ..model.values import as_list
from ..write import Page
from . import model as M

DATA_DIR = "en/data"  # docs/en/data/ -> /data/ on the site: every language's files side by side
LIST_SEPARATOR = "; "
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
BOM = "\ufeff"  # UTF-8 byte order mark: spreadsheets recognise the encoding by it


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type of the CSV column: string, integer
    many: bool = False  # a list: "; "-separated in CSV, an array in JSON
    date: bool = False  # YYYY, YYYY-MM or YYYY-MM-DD
    get: Callable[..., Any] | None = None  # (site, kind, slug, data, lang) -> value


def _field(name: str, *, text: bool = False) -> Callable:
    def get(site, kind, slug, data, lang):
        value = data.get(name)
        return M.text(value, lang) if text else ("" if value is None else str(value))
    return get


def _ids(name: str) -> Callable:
    return lambda site, kind, slug, data, lang: [str(v) for v in as_list(data.get(name))]


def _labels(name: str, vocab: str) -> Callable:
    return lambda site, kind, slug, data, lang: [M.label(site, vocab, v, lang) for v in as_list(data.get(name))]


def _sdgs(site, kind, slug, data, lang):
    return [int(v) for v in as_list(data.get("sdgs"))]


def _name(site, kind, slug, data, lang):
    return M.text(data[S.KINDS[kind].title_field], lang)


def _partners(site, kind, slug, data, lang):
    return [f'{p["organization"]}:{p["role"]}' for p in as_list(data.get("partners"))]


def _partner_names(site, kind, slug, data, lang):
    orgs = site.records_unwatched()["organization"]  # (see rows())
    return [f'{M.text(orgs[p["organization"]].data["name"], lang)} ({M.label(site, "partner-roles", p["role"], lang)})'
            for p in as_list(data.get("partners"))]


def _source_entries(site, data, lang):
    """(title, url) of each source: a web page as written, a document from data/vocabularies/documents.yml."""
    docs = site.cat.vocab.get("documents", {})
    for s in as_list(data.get("sources")):
        if not isinstance(s, dict):
            continue
        doc = docs.get(s.get("document")) if s.get("document") else None
        if doc is not None:
            yield M.text(doc.get("label"), lang), doc.get("url") or ""
        else:
            yield str(s.get("title") or ""), s.get("url") or ""


def _sources(site, kind, slug, data, lang):
    return [url for _, url in _source_entries(site, data, lang) if url]


def _source_titles(site, kind, slug, data, lang):
    return [title for title, _ in _source_entries(site, data, lang) if title]


def _updated(site, kind, slug, data, lang):
    return history.record_dates(site).updated.get((kind, slug), "")[:10]


def _page(site, kind, slug, data, lang):
    # The folder's address once per table, then the slug: a slug ([a-z0-9-]) is no "." or ".."
    # that urljoin would resolve, so this is urljoin(base, "<lang>/<folder>/<slug>/").
    folders = M.model(site).folders
    folder = folders.get((kind, lang))
    if folder is None:
        folder = folders[(kind, lang)] = M.absolute(site, f"{M.lang_prefix(lang)}{S.KINDS[kind].folder}/")
    return f"{folder}{slug}/"


def _record_name(name: str, kind: str) -> Callable:
    """The name of the record a field refers to (a project's programme, a programme's managing body)."""
    def get(site, k, slug, data, lang):
        other = data.get(name)
        records = site.records_unwatched()[kind]  # (see rows())
        return M.text(records[other].data[S.KINDS[kind].title_field], lang) if other else ""
    return get


def _label(name: str, vocab: str) -> Callable:
    return lambda site, kind, slug, data, lang: (M.label(site, vocab, data[name], lang)
                                                 if data.get(name) is not None else "")


ID = Column("id", "string", get=lambda site, kind, slug, data, lang: slug)
NAME = Column("name", "string", get=_name)
SUMMARY = Column("summary", "string", get=_field("summary", text=True))
THEMES = [Column("themes", "string", True, get=_ids("themes")),
          Column("theme_names", "string", True, get=_labels("themes", "themes")),
          Column("sdgs", "integer", True, get=_sdgs)]
PLACES = [Column("regions", "string", True, get=_ids("regions")),
          Column("region_names", "string", True, get=_labels("regions", "regions")),
          Column("countries", "string", True, get=_ids("countries")),
          Column("country_names", "string", True, get=_labels("countries", "countries"))]
TAIL = [Column("sources", "string", True, get=_sources),
        Column("source_titles", "string", True, get=_source_titles),
        Column("updated", "string", date=True, get=_updated),
        Column("page", "string", get=_page)]

COLUMNS: dict[str, list[Column]] = {
    "project": [ID, NAME, Column("acronym", "string", get=_field("acronym")), SUMMARY,
                Column("programme", "string", get=_field("programme")),
                Column("programme_name", "string", get=_record_name("programme", "programme")),
                Column("programme_period", "string", get=_field("programme_period")),
                Column("status", "string", get=_field("status")),
                Column("status_name", "string", get=_label("status", "statuses")),
                Column("start", "string", date=True, get=_field("start")),
                Column("end", "string", date=True, get=_field("end")),
                Column("partners", "string", True, get=_partners),
                Column("partner_names", "string", True, get=_partner_names),
                Column("part_of", "string", get=_field("part_of")),
                *THEMES, *PLACES, Column("website", "string", get=_field("website")), *TAIL],
    "playbook": [ID, NAME, SUMMARY,
                 Column("business_model", "string", get=_field("business_model")),
                 Column("business_model_name", "string", get=_label("business_model", "business-models")),
                 *THEMES,
                 Column("example_projects", "string", True, get=_ids("example_projects")),
                 Column("example_organizations", "string", True, get=_ids("example_organizations")),
                 *TAIL],
    "organization": [ID, NAME, Column("short_name", "string", get=_field("short_name")),
                     Column("type", "string", get=_field("type")),
                     Column("type_name", "string", get=_label("type", "organization-types")),
                     Column("country", "string", get=_field("country")),
                     Column("country_name", "string", get=_label("country", "countries")),
                     Column("city", "string", get=_field("city", text=True)),
                     Column("region", "string", get=_field("region")),
                     Column("region_name", "string", get=_label("region", "regions")),
                     Column("parent", "string", get=_field("parent")),
                     Column("member_of", "string", True, get=_ids("member_of")),
                     Column("website", "string", get=_field("website")), *TAIL],
    "event": [ID, NAME, SUMMARY,
              Column("start", "string", date=True, get=_field("date")),
              Column("end", "string", date=True, get=_field("end_date")),
              Column("format", "string", get=_field("format")),
              Column("format_name", "string", get=_label("format", "event-formats")),
              Column("place", "string", get=_field("place", text=True)),
              *PLACES,
              Column("organizers", "string", True, get=_ids("organizers")),
              Column("part_of", "string", get=_field("part_of")),
              Column("related_projects", "string", True, get=_ids("related_projects")),
              Column("related_organizations", "string", True, get=_ids("related_organizations")),
              *THEMES, *TAIL],
    "programme": [ID, NAME, Column("acronym", "string", get=_field("acronym")), SUMMARY,
                  Column("programme_type", "string", get=_field("type")),
                  Column("programme_type_name", "string", get=_label("type", "programme-types")),
                  Column("programme_period", "string", get=_field("period")),
                  Column("status", "string", get=_field("status")),
                  Column("status_name", "string", get=_label("status", "statuses")),
                  Column("start", "string", date=True, get=_field("start")),
                  Column("end", "string", date=True, get=_field("end")),
                  Column("managing_body", "string", get=_field("managing_body")),
                  Column("managing_body_name", "string", get=_record_name("managing_body", "organization")),
                  Column("countries", "string", True, get=_ids("countries")),
                  Column("country_names", "string", True, get=_labels("countries", "countries")),
                  Column("regions", "string", True, get=_ids("regions")),
                  Column("region_names", "string", True, get=_labels("regions", "regions")),
                  Column("eligible_area", "string", get=_field("eligible_area", text=True)),
                  Column("open_to", "string", get=_field("open_to", text=True)),
                  Column("website", "string", get=_field("website")),
                  Column("follows", "string", True, get=_ids("follows")),
                  Column("notice", "string", get=_field("notice", text=True)),
                  *TAIL],
}


def file_name(kind: str, lang: str, fmt: str) -> str:
    return f"{S.KINDS[kind].folder}.{lang}.{fmt}"


def rows(site, kind: str, lang: str) -> list[dict[str, Any]]:
    """Every record of a kind as a row in this language, by id; computed once per build. The records
    are read past the dependency model's views (Site.records_unwatched): the rows are made outside
    any page's render, and the data files they make are keyed by the rows themselves."""
    cache = M.model(site).rows
    if (kind, lang) not in cache:
        records = site.records_unwatched()[kind]
        cache[(kind, lang)] = [{c.name: c.get(site, kind, slug, records[slug].data, lang) for c in COLUMNS[kind]}
                               for slug in sorted(records)]
    return cache[(kind, lang)]


def cell(column: Column, row: dict[str, Any]) -> str:
    """A row's value as one cell's text: a list joined by LIST_SEPARATOR."""
    value = row[column.name]
    return LIST_SEPARATOR.join(str(v) for v in value) if column.many else str(value)


def cells(kind: str, table: list[dict[str, Any]]) -> list[list[str]]:
    """Every row as its cells' texts, in COLUMNS order: made once for the CSV and the XLSX file."""
    columns = COLUMNS[kind]
    return [[cell(c, row) for c in columns] for row in table]


def header(ui, column: Column) -> str:
    """The column's header in a language (the XLSX header row, the field's title in datapackage.json)."""
    return str(ui[f"data.headers.{column.name}"])


def to_csv(kind: str, texts: list[list[str]]) -> str:
    """texts: cells() of the table."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow([c.name for c in COLUMNS[kind]])
    writer.writerows([csv_cell(text) for text in row] for row in texts)
    return out.getvalue()


def to_xlsx(kind: str, texts: list[list[str]], ui, sheet: str, updated: str) -> bytes:
    """The same rows as an XLSX workbook: one sheet, the header row in the file's language, frozen and
    with a filter; every cell written as text (write_string), so no text is read as a formula, number,
    date or link and the cells hold exactly what the CSV does (without its formula apostrophe).
    Byte for byte the same for the same rows: XlsxWriter stamps the zip entries with a fixed date, and
    the document's creation date is the newest `updated` of the rows (else a fixed one)."""
    import xlsxwriter  # requirements.txt; imported here so that the rest of the exports need it not

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    when = datetime.datetime.fromisoformat(updated) if updated else datetime.datetime(2026, 1, 1)
    book.set_properties({"title": sheet, "created": when.replace(tzinfo=None)})
    # A sheet name: at most 31 characters, none of []:*?/\
    sheet_name = "".join(ch for ch in sheet if ch not in "[]:*?/\\")[:31] or kind
    page = book.add_worksheet(sheet_name)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    columns = COLUMNS[kind]
    for x, column in enumerate(columns):
        page.write_string(0, x, header(ui, column), bold)
        page.set_column(x, x, 40 if column.name in ("summary", "partner_names", "source_titles") else 18)
    for y, row in enumerate(texts, start=1):
        for x, text in enumerate(row):
            if text:
                page.write_string(y, x, text[:32767])  # the most an XLSX cell holds
    page.freeze_panes(1, 0)
    page.autofilter(0, 0, len(texts), len(columns) - 1)
    book.close()
    return out.getvalue()


def to_json(table: list[dict[str, Any]]) -> str:
    """An array with one record per line: readable in a diff, and each line encoded by the json
    module's C encoder (indent= would use its pure-Python one, 5 times slower at 10,000 records)."""
    if not table:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in table) + "\n]\n"


def data_files(site, lang: str) -> Iterable[Page]:
    """docs/en/data/<folder>.<lang>.csv, .json and .xlsx for every record kind (served at /data/).

    The rows are made every time (they read every record, its date, the names it refers to); a
    file is written only when what it is made of changed (site.file_page: its key, the digest of
    the rows and of the headers, else the file under docs/ is kept): an edit of one project makes
    the project tables again, not the organizations' (the XLSX files were half of a generation)."""
    ui = site.ui[lang]
    for kind in S.KINDS:
        table = rows(site, kind, lang)
        made = _Texts(kind, table)
        rows_key = hashlib.sha256(repr(table).encode("utf-8", "surrogatepass")).hexdigest()
        yield site.file_page(f"{DATA_DIR}/{file_name(kind, lang, 'csv')}", ("csv", kind, rows_key),
                             lambda: to_csv(kind, made.texts()))
        yield site.file_page(f"{DATA_DIR}/{file_name(kind, lang, 'json')}", ("json", rows_key),
                             lambda: to_json(table))
        newest = max((r["updated"] for r in table if r["updated"]), default="")
        sheet = str(ui[f"catalogue.{S.KINDS[kind].folder}.title"])
        headers = [header(ui, c) for c in COLUMNS[kind]]
        yield site.file_page(f"{DATA_DIR}/{file_name(kind, lang, 'xlsx')}",
                             ("xlsx", kind, rows_key, headers, sheet, newest, _xlsx_libraries()),
                             lambda: to_xlsx(kind, made.texts(), ui, sheet, newest))


class _Texts:
    """cells() of a table, made when the first file that needs them is (none when all are kept)."""

    def __init__(self, kind: str, table: list[dict[str, Any]]):
        self.kind, self.table, self._texts = kind, table, None

    def texts(self) -> list[list[str]]:
        if self._texts is None:
            self._texts = cells(self.kind, self.table)
        return self._texts


def _xlsx_libraries() -> str:
    """What an XLSX file's bytes depend on beyond its cells: XlsxWriter's XML and zlib's deflate."""
    import zlib

    import xlsxwriter
    return f"{xlsxwriter.__version__} {zlib.ZLIB_RUNTIME_VERSION}"
