"""datapackage.json (Frictionless Data Package) describing every data file, and the Data page.

The package is derived from tables.COLUMNS alone (names, types, list and date columns), so it is the
same whatever the records say and never disagrees with the files. The licence is the portal's
content licence (LICENCE below, also in the footer; a proposal the maintainers confirm, see README).
"""
from __future__ import annotations

import json
import posixpath
from typing import Iterable

from babel import Locale, UnknownLocaleError

from .. import languages
from ..model import schema as S
from ..write import Page
from . import tables as T

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
PACKAGE_NAME = "baltic-circular-economy-portal"
# How the machine-stable ids relate to the headers people read (the Data page says the same).
PACKAGE_NOTE = ("Each field's name is the column id: the CSV header row and the JSON keys, the same in every "
                "language. Its title is the column's header in the resource's language, the header row of "
                "the spreadsheet (<folder>.<lang>.xlsx) beside each CSV file, which holds the same rows and "
                "columns. CSV files begin with a UTF-8 byte order mark; page addresses are absolute.")


def language_name(code: str) -> str:
    """The language's English name for the package's titles (Babel's CLDR data: any registry code)."""
    try:
        return Locale.parse(languages.registry()[code].locale).get_language_name("en")
    except (StopIteration, ValueError, UnknownLocaleError):
        return code


def _field(column: T.Column, fmt: str, description: str, title: str) -> dict:
    """`name` is the column id (the CSV header, the JSON key, the same in every language); `title`
    is the column's header in the resource's language, as the XLSX file of that language shows it."""
    out: dict = {"name": column.name, "title": title, "description": description}
    if column.many:
        if fmt == "json":
            out["type"] = "array"
        else:
            out["type"] = "string"
            out["description"] += f' In CSV: the items separated by "{T.LIST_SEPARATOR}".'
    else:
        out["type"] = column.type
        if column.date:
            out["constraints"] = {"pattern": T.DATE_PATTERN}
    if column.name == "id":
        out.setdefault("constraints", {})["required"] = True
        out["constraints"]["unique"] = True
    return out


def datapackage(site) -> dict:
    ui = site.ui[S.SOURCE_LANG]
    resources = []
    for kind in S.KINDS:
        folder = S.KINDS[kind].folder
        for lang in S.LANGS:
            for fmt in ("csv", "json"):
                fields = [_field(c, fmt, str(ui[f"data.columns.{c.name}"]), T.header(site.ui[lang], c))
                          for c in T.COLUMNS[kind]]
                resource = {
                    "name": f"{folder}-{lang}-{fmt}", "path": T.file_name(kind, lang, fmt),
                    "title": f'{ui[f"catalogue.{folder}.title"]} ({language_name(lang)}, {fmt.upper()})',
                    "profile": "tabular-data-resource", "format": fmt,
                    "mediatype": "text/csv" if fmt == "csv" else "application/json",
                    "encoding": "utf-8", "licenses": [LICENCE],
                    "schema": {"fields": fields, "primaryKey": ["id"]},
                }
                if fmt == "csv":
                    resource["dialect"] = {"delimiter": ",", "quoteChar": '"', "lineTerminator": "\r\n",
                                           "header": True}
                resources.append(resource)
    return {"profile": "tabular-data-package", "name": PACKAGE_NAME, "title": str(ui["site_name"]),
            "description": f'{ui["data.package_description"]} {PACKAGE_NOTE}', "licenses": [LICENCE],
            "resources": resources}


def data_pages(site, lang: str) -> Iterable[Page]:
    """The Data page of a language; with the source language also /data/datapackage.json."""
    if lang == S.SOURCE_LANG:
        yield Page(f"{T.DATA_DIR}/datapackage.json",
                   json.dumps(datapackage(site), ensure_ascii=False, indent=1) + "\n")
    here = "data/index.md"

    def href(name: str) -> str:  # from this page's URL (<lang>/data/) to /data/<name>
        return posixpath.relpath(f"data/{name}", posixpath.dirname(f"{lang}/{here}") if lang != S.SOURCE_LANG
                                 else "data")

    files = [{"kind": kind, "folder": S.KINDS[kind].folder, "rows": len(site.cat.records[kind]),
              "csv": href(T.file_name(kind, lang, "csv")), "json": href(T.file_name(kind, lang, "json")),
              "xlsx": href(T.file_name(kind, lang, "xlsx")),
              "headers": {c.name: T.header(site.ui[lang], c) for c in T.COLUMNS[kind]},
              "columns": T.COLUMNS[kind]} for kind in S.KINDS]

    def meta(ctx):
        return {"title": ctx.ui["data.title"], "description": ctx.ui["data.description"],
                "portal": {"kind": "data"}}
    yield site.render("data.md.j2", lang, here, "data/", meta, files=files,
                      package=href("datapackage.json"), licence=LICENCE,
                      separator=T.LIST_SEPARATOR)
