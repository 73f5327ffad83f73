"""The one schema of every record kind and vocabulary.

Validation (validate.py), the JSON Schema files for editors (`make schemas`), the new-record
template (`make new`) and the translation report all read these definitions; nothing else
describes the fields. Each field carries a one-line `help` shown to editors.
"""
from __future__ import annotations

import calendar
import difflib
import re
import unicodedata
from urllib.parse import urlsplit
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..languages import LANGS, SOURCE_LANG  # noqa: E402,F401  (scripts/locales/languages.yml)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL_RE = re.compile(r"^https?://")  # where a web address starts; url_problem() checks the rest
MAX_TEXT = 5000  # characters in one language of one text; a record is not a book
# Records describe today's cooperation: a year outside this range is a typo (and years 0 or above
# 9999 cannot be formatted as dates at all).
YEARS = (1900, 2100)

Path = tuple  # ('partners', 1, 'role')


@dataclass
class Context:
    """What a check needs to know beyond the value: vocabularies and which records exist."""

    vocab: dict[str, dict[Any, dict]] = field(default_factory=dict)  # name -> id -> term
    slugs: dict[str, set[str]] = field(default_factory=dict)  # record kind -> slugs
    # Vocabularies whose file could not be read: their values are not checked (one error, not twenty).
    unreadable: set[str] = field(default_factory=set)
    # record kind -> former slug -> the live slug that took it over (`former_slugs` of merged records)
    former: dict[str, dict[str, str]] = field(default_factory=dict)


def closest(value: Any, allowed) -> str:
    """"did you mean 'x'? " when value looks like a typo of one allowed value, else ""."""
    if len(str(value)) > 100:  # not a typo of a name; and difflib's time grows with the length
        return ""
    options = [str(a) for a in allowed]
    match = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    if not match:  # a shortened slug such as 'itmo' for 'itmo-university'
        match = [o for o in options if str(value) and o.startswith(str(value))][:1]
    return f"did you mean '{match[0]}'? " if match else ""


def shown(value: Any, limit: int = 60) -> str:
    """A value quoted in a message: long ones are cut, so a message stays one readable line."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def suggest_slug(text: str) -> str:
    """A slug made from any name: 'EKOLEND' -> 'ekolend', 'Eko_Lend' -> 'eko-lend'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return slug or "my-record"


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text '{value}'" if len(str(value)) < 40 else "a text"


class Type:
    """A kind of value. check() yields (path, message) for each thing wrong with value."""

    expected = ""  # what is expected, in words an editor understands

    def check(self, value: Any, path: Path, ctx: Context) -> Iterator[tuple[Path, str]]:
        raise NotImplementedError

    def json_schema(self, ctx: Context) -> dict:
        raise NotImplementedError

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or value == [] or value == {}


class Text(Type):
    """Reader-facing text: {en: ..., ru: ..., fi: ...}; English required."""

    expected = "text in three languages, a mapping like {en: …, ru: …, fi: …}"

    def check(self, value, path, ctx):
        if isinstance(value, str) and value.strip():
            yield path, f"expected {self.expected}; got a single text — put it under `en:`"
            return
        if not isinstance(value, dict):
            yield path, f"expected {self.expected}; got {kind_of(value)}"
            return
        for lang, text in value.items():
            if lang not in LANGS:
                yield path + (lang,), (f"unknown language '{shown(lang)}'; {closest(lang, LANGS)}"
                                       f"languages are: {', '.join(LANGS)}")
            elif text is not None and not isinstance(text, str):
                yield path + (lang,), f"expected plain text; got {kind_of(text)} (quote it)"
            elif isinstance(text, str) and len(text) > MAX_TEXT:
                yield path + (lang,), f"text is {len(text)} characters; at most {MAX_TEXT} are allowed"
        en = value.get(SOURCE_LANG)
        if en is None or isinstance(en, str) and not en.strip():  # another type is reported above
            yield path, "English text is required (`en: …`); Russian and Finnish may follow later"

    def json_schema(self, ctx):
        # As check(): plain text, where a YAML 1.2 reader (an editor's) makes a number or true/false
        # of what the loader keeps as text (`en: 1.5`); a whole number is refused by both (quote it).
        # (`en: 1.0` is the one difference: JSON Schema counts 1.0 as a whole number.)
        text = {"type": ["string", "number", "boolean"], "not": {"type": "integer"}, "maxLength": MAX_TEXT}
        return {"type": "object", "additionalProperties": False, "required": [SOURCE_LANG],
                "properties": {lang: ({**text, "pattern": r"\S"}  # some visible text
                                      if lang == SOURCE_LANG else  # an empty translation is allowed
                                      {**text, "type": text["type"] + ["null"]})
                               for lang in LANGS}}



class String(Type):
    """One line of text that is the same in every language (an acronym, a source title)."""

    def __init__(self, expected="plain text", pattern: re.Pattern | None = None, max_len=300):
        self.expected, self.pattern, self.max_len = expected, pattern, max_len

    def check(self, value, path, ctx):
        if isinstance(value, int) and not isinstance(value, bool) and not self.pattern:
            # The loader only makes an int of digits that read back exactly as written (2030, not
            # 010 or 1e3), so the name shown is still what the editor typed.
            return
        if not isinstance(value, str) or not value.strip():
            yield path, f"expected {self.expected}; got {kind_of(value)}"
        elif self.pattern and not self.pattern.match(value):
            yield path, f"'{shown(value)}' is not {self.expected}"
        elif len(value) > self.max_len:
            yield path, f"at most {self.max_len} characters; this is {len(value)}"
        elif "\n" in value.strip() or "\r" in value:
            yield path, "a line break in a one-line text; write it on one line (`>-` joins the lines)"

    def json_schema(self, ctx):
        if self.pattern:
            return {"type": "string", "maxLength": self.max_len, "pattern": self.pattern.pattern}
        # As check(): some visible text on one line (blank lines around it are trimmed), digits the
        # loader keeps as a whole number (`acronym: 2030`), or what a YAML 1.2 reader (an editor's)
        # makes a number or true/false of and the loader keeps as text (`acronym: 1.5`).
        return {"type": ["string", "number", "boolean"], "maxLength": self.max_len,
                "pattern": r"^[ \t\n]*[^\r\n]*\S[^\r\n]*[ \t\n]*$"}


class Slug(String):
    def __init__(self):
        super().__init__("a slug: lowercase ASCII letters, digits and single hyphens, "
                         "like 'startup-connect'", SLUG_RE, 80)

    def check(self, value, path, ctx):
        for where, message in super().check(value, path, ctx):
            if isinstance(value, str) and value.strip() and not self.pattern.match(value):
                # The fix, not an example: 'EKOLEND' -> 'ekolend'.
                message = (f"'{shown(value)}' is not a slug (lowercase ASCII letters, digits and single "
                           f"hyphens); write '{suggest_slug(value)}'")
            yield where, message


class Url(String):
    """A public web address, checked as a whole: nothing after a valid start can close a link or
    an attribute, carry a password or point to another scheme."""

    def __init__(self):
        super().__init__("a web address starting with https:// or http://", URL_RE, 500)

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not value.strip():
            yield path, f"expected {self.expected}; got {kind_of(value)}"
            return
        shown = value if len(value) <= 80 else value[:77] + "…"
        if not value.startswith(("https://", "http://")):
            yield path, f"'{shown}' is not {self.expected}"
        elif len(value) > self.max_len:
            yield path, f"at most {self.max_len} characters; this is {len(value)}"
        elif why := url_problem(value):
            yield path, f"'{shown}' is not a usable web address: {why}"

    def json_schema(self, ctx):
        return {"type": "string", "maxLength": self.max_len, "pattern": URL_SCHEMA_PATTERN}


# Characters of a URL as RFC 3986 allows them outside the host (gen-delims without brackets,
# sub-delims, unreserved, percent); letters and digits of any script are also accepted (IRIs such as
# Wikipedia's Cyrillic addresses). Quotes, <, >, backslash, braces, spaces and controls are not.
_URL_ASCII = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'()*+,;=%")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9\u00a1-\uffff-]{1,63}(?<!-)$", re.IGNORECASE)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def url_problem(url: str) -> str | None:
    """Why url is not a usable public http(s) address, or None."""
    if not url.startswith(("https://", "http://")):
        return "it must start with https:// or http://"
    for char in url:
        if char not in _URL_ASCII and not (ord(char) > 127 and unicodedata.category(char)[0] in "LMN"):
            if char == " ":
                return "a space cannot stand in an address; write it as %20"
            return f"the character {char!r} cannot stand in an address; percent-encode it or remove it"
    if _PERCENT.search(url):
        return "'%' must be followed by two hexadecimal digits (%20 for a space)"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when it is not a number
    except ValueError:
        return "the host or port cannot be read; check the part after //"
    if "@" in parts.netloc:
        return "it contains a user name or password (before '@'); give the public address without it"
    host = parts.hostname or ""
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels) \
            or labels[-1].isdigit():
        return f"'{host}' is not a public host name such as www.example.org"
    if port is not None and not 0 < port < 65536:
        return "the port is out of range"
    return None


def _url_pattern() -> str:
    """url_problem() as one regular expression for the JSON Schema, from the same pieces: the
    characters of _URL_ASCII, host labels as _HOST_LABEL, a last label not all digits, a port in
    range, no user name, every '%' followed by two hex digits. The one approximation: letters of other
    scripts are a range of code points here (punctuation ranges left out), where url_problem asks
    each character's Unicode category."""
    ascii_chars = "".join(sorted(_URL_ASCII))
    ascii_class = re.sub(r"[\\\]\[^-]", lambda m: "\\" + m.group(), ascii_chars)
    letters = (r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\u218f\u2c00-\u2dff\u2e80-\u2fff"
               r"\u3040-\ud7ff\uf900-\ufdcf\ufe70-\ufefe\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff66-\uffef")
    label = rf"(?!-)[A-Za-z0-9{letters}-]{{1,63}}(?<!-)"
    port = r"0*(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
    return (rf"^(?!.*%(?![0-9A-Fa-f]{{2}}))https?://(?:{label}\.)+(?![0-9]+(?:[:/?#]|$)){label}"
            rf"(?::(?:{port})?)?(?:[/?#][{ascii_class}{letters}]*)?$")


def _date_pattern() -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD with YEARS[0] <= YYYY <= YEARS[1] = 1900..2100 and a day that
    exists (29 February only in leap years), as one regular expression for the JSON Schema."""
    assert YEARS == (1900, 2100), "the year part below is written for 1900–2100"
    year = r"(19\d\d|20\d\d|2100)"
    leap = r"(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26]))"  # 1900, 2100 are not
    days = (r"(0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
            r"|02-(0[1-9]|1\d|2[0-8])")
    return rf"^({year}(-(0[1-9]|1[0-2])|-({days}))?|{leap}-02-29)$"


DATE_SCHEMA_PATTERN = _date_pattern()
URL_SCHEMA_PATTERN = _url_pattern()


class Date(Type):
    expected = "a date as YYYY, YYYY-MM or YYYY-MM-DD"

    def check(self, value, path, ctx):
        if parse_date(value) is not None:
            return
        match = DATE_RE.match(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) \
            else None
        if match and not YEARS[0] <= int(match.group(1)) <= YEARS[1]:
            yield path, (f"the year {match.group(1)} is outside {YEARS[0]}–{YEARS[1]}; "
                         "check the date against the source")
        else:
            yield path, f"expected {self.expected}; got {kind_of(value)}"

    def json_schema(self, ctx):
        # The same dates as check(): a year in YEARS, a real month, a real day of that month.
        return {"type": ["string", "integer"], "pattern": DATE_SCHEMA_PATTERN,
                "minimum": YEARS[0], "maximum": YEARS[1]}


def parse_date(value) -> tuple[int, ...] | None:
    """'2019-05' -> (2019, 5); None when it is not a real date (or its year is out of YEARS)."""
    match = DATE_RE.match(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) \
        else None
    if not match:
        return None
    parts = tuple(int(p) for p in match.groups() if p is not None)
    if not YEARS[0] <= parts[0] <= YEARS[1]:
        return None
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        return None
    return parts


class VocabRef(Type):
    """An id from data/vocabularies/<vocab>.yml."""

    def __init__(self, vocab: str, noun: str):
        self.vocab, self.noun = vocab, noun
        self.expected = f"a {noun} id from data/vocabularies/{vocab}.yml"

    def check(self, value, path, ctx):
        terms = ctx.vocab.get(self.vocab, {})
        if self.vocab in ctx.unreadable:
            return
        if isinstance(value, (dict, list)) or value is None:
            yield path, f"expected {self.expected}; got {kind_of(value)}"
            return
        if isinstance(value, bool) or value not in terms:
            numbers = terms and all(isinstance(t, int) for t in terms)
            if numbers and not isinstance(value, int):
                # `sdgs: ["5"]`, `[05]` or `[5.0]`: the ids are numbers, written as plain digits.
                yield path, (f"expected a number from {min(terms)} to {max(terms)} written as plain "
                             f"digits, without quotes or leading zeros; got {kind_of(value)}")
                return
            if numbers:
                yield path, f"unknown {self.noun} {value}; expected a number from {min(terms)} to {max(terms)}"
                return
            allowed = ", ".join(str(t) for t in terms) or "(the vocabulary is empty)"
            yield path, f"unknown {self.noun} '{shown(value)}'; {closest(value, terms)}allowed: {allowed}"

    def json_schema(self, ctx):
        ids = list(ctx.vocab.get(self.vocab, {}))
        out: dict = {"description": self.expected}
        if ids:
            out["enum"] = ids
        return out


class RecordRef(Type):
    """The slug of another record."""

    def __init__(self, kind: str):
        self.kind = kind
        self.expected = f"the slug of a record in data/{KIND_FOLDERS[kind]}/"

    def check(self, value, path, ctx):
        slugs = ctx.slugs.get(self.kind, set())
        if not isinstance(value, str):
            yield path, f"expected {self.expected}; got {kind_of(value)}"
        elif value not in slugs and value not in ctx.former.get(self.kind, {}):
            # A former slug still resolves (to the record that took it over), so links never break.
            yield path, (f"no {self.kind} with slug '{shown(value)}'; {closest(value, sorted(slugs))}"
                         f"expected the name of a file in data/{KIND_FOLDERS[self.kind]}/ without .yml")

    def json_schema(self, ctx):
        return {"type": "string", "pattern": SLUG_RE.pattern}


class ListOf(Type):
    def __init__(self, item: Type, unique=True, min_items=0):
        self.item, self.unique, self.min_items = item, unique, min_items
        self.expected = f"a list of {item.expected or 'items'}"

    def check(self, value, path, ctx):
        if not isinstance(value, list):
            hint = " — write it as a list, one `- item` per line" if value is not None else ""
            yield path, f"expected {self.expected}; got {kind_of(value)}{hint}"
            return
        if len(value) < self.min_items:
            yield path, f"at least {self.min_items} item{'s' if self.min_items > 1 else ''} needed"
        seen: set = set()
        for i, item in enumerate(value):
            yield from self.item.check(item, path + (i,), ctx)
            key = _hashable(item)  # a set, not a list: a long list is checked in linear time
            if self.unique and key in seen:
                yield path + (i,), "this item repeats an earlier one; remove the duplicate"
            seen.add(key)

    def json_schema(self, ctx):
        out: dict = {"type": "array", "items": self.item.json_schema(ctx)}
        if self.unique:
            out["uniqueItems"] = True
        if self.min_items:
            out["minItems"] = self.min_items
        return out


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return ("map", tuple((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", tuple(_hashable(v) for v in value))
    return (type(value).__name__, value)  # 1 and "1" are different items


@dataclass
class Field:
    type: Type
    required: bool = False
    help: str = ""


class Object(Type):
    """A mapping of fields; `rules` relate its fields to each other (each rule checks itself and
    says itself as JSON Schema, so the two cannot drift apart)."""

    def __init__(self, fields: dict[str, Field], noun: str, rules: tuple = ()):
        self.fields, self.noun, self.rules = fields, noun, rules
        self.expected = f"a mapping with the fields of {noun}"

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            yield path, f"expected {self.expected} ({', '.join(self.fields)}); got {kind_of(value)}"
            return
        for key in value:
            if key not in self.fields:
                yield path + (key,), (f"unknown field '{shown(key)}'; {closest(key, self.fields)}"
                                      f"fields of {self.noun}: {', '.join(self.fields)}")
        for name, spec in self.fields.items():
            if name not in value or spec.type.is_empty(value[name]):
                if spec.required:
                    yield path + (name,), f"required field is empty or missing: {spec.help}"
                continue
            yield from spec.type.check(value[name], path + (name,), ctx)
        for rule in self.rules:
            yield from rule.check(value, path)

    def json_schema(self, ctx):
        out = {
            "type": "object",
            "additionalProperties": False,
            "required": [n for n, f in self.fields.items() if f.required],
            "properties": {n: {**self._property(f, ctx), "description": f.help}
                           for n, f in self.fields.items()},
        }
        if self.rules:
            out["allOf"] = [rule.json_schema() for rule in self.rules]
        return out

    @staticmethod
    def _property(spec: Field, ctx) -> dict:
        # As check(): an optional field written empty (`themes:`, `acronym: ''`) counts as missing.
        schema = spec.type.json_schema(ctx)
        return schema if spec.required else {"anyOf": [schema, {"enum": [None, "", [], {}]}]}


# Rules across the fields of one mapping. JSON Schema's "empty" is the loader's: a field written
# empty (`url: ''`, `url:`) counts as missing (Object._property).
EMPTY = {"enum": [None, "", [], {}]}


def _given(*names: str) -> dict:
    """JSON Schema: each of these fields is there and not empty."""
    return {"required": list(names), "properties": {n: {"not": EMPTY} for n in names}}


class SourceRule:
    """A source is a document of the documents vocabulary, or a web page with title and address."""

    MOVED = ("title", "url", "publisher", "date", "retrieved")

    def check(self, source, path):
        if not isinstance(source, dict):
            return
        if not _empty(source.get("document")):
            for key in self.MOVED:
                if not _empty(source.get(key)):
                    yield path + (key,), (f"`{key}` belongs to the document's entry in "
                                          "data/vocabularies/documents.yml; remove it here")
            return
        if _empty(source.get("url")):
            yield path, ("name the source: give `document: <id from data/vocabularies/documents.yml>` "
                         "or a web page with `title:`, `url: https://…` and `retrieved:`")
            return
        if _empty(source.get("title")):
            yield path + ("url",), "add `title:`: the web page's own title"
        if _empty(source.get("retrieved")):
            yield path + ("url",), "add `retrieved: YYYY-MM-DD`: when the address was read"

    def json_schema(self) -> dict:
        return {"if": _given("document"),
                "then": {"properties": {key: EMPTY for key in self.MOVED}},
                "else": _given("url", "title", "retrieved")}


class Requires:
    """When `field` is given, `needed` must be too (a document's address and the day it was read)."""

    def __init__(self, field: str, needed: str, message: str):
        self.field, self.needed, self.message = field, needed, message

    def check(self, value, path):
        if isinstance(value, dict) and not _empty(value.get(self.field)) and _empty(value.get(self.needed)):
            yield path + (self.field,), self.message

    def json_schema(self) -> dict:
        return {"if": _given(self.field), "then": _given(self.needed)}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class FieldName(String):
    """A field of the record kind a source belongs to (`covers:`): the page names each one."""

    def __init__(self, kind: str):
        super().__init__("a field name of this record")
        self.kind = kind

    @property
    def names(self) -> list[str]:
        return list(KINDS[self.kind].schema.fields)

    def check(self, value, path, ctx):
        wrong = list(super().check(value, path, ctx))
        if wrong:
            yield from wrong
        elif value not in self.names:
            hint = closest(value, self.names)
            yield path, f"'{shown(value)}' is not a field of this record" + (f"; {hint.strip()}" if hint else "")

    def json_schema(self, ctx):
        return {"enum": self.names}


# ---------------------------------------------------------------------------------------------
# Record kinds
# ---------------------------------------------------------------------------------------------

KIND_FOLDERS = {"project": "projects", "playbook": "playbooks",
                "organization": "organizations", "event": "events", "programme": "programmes"}


def source_schema(kind: str | None = None) -> Object:
    """A source of a record of `kind` (its `covers:` names that kind's fields), or of a vocabulary
    term (kind None)."""
    covers = ListOf(FieldName(kind)) if kind else ListOf(String("a field name of this record"))
    fields = dict(SOURCE.fields)
    fields["covers"] = Field(covers, False, fields["covers"].help)
    return Object(fields, "a source", SOURCE.rules)


SOURCE = Object({
    # Either a document described once in data/vocabularies/documents.yml ...
    "document": Field(VocabRef("documents", "document"), False,
                      "a document id from data/vocabularies/documents.yml"),
    "section": Field(String(max_len=120), False, "the part of the document used: pages or a section"),
    # ... or a web page, cited with its own title and address.
    "title": Field(String(max_len=300), False, "the web page's own title, as published"),
    "url": Field(Url(), False, "the public address of the web page"),
    "publisher": Field(String(max_len=200), False, "who published the page, as it names itself"),
    "date": Field(Date(), False, "when the page was published, if it says so"),
    "retrieved": Field(Date(), False, "when the page was read (YYYY-MM-DD); required with url"),
    "covers": Field(ListOf(String("a field name of this record")), False,
                    "the fields of this record that this source supports"),
}, "a source", (SourceRule(),))

PARTNER = Object({
    "organization": Field(RecordRef("organization"), True, "the partner's organization slug"),
    "role": Field(VocabRef("partner-roles", "partner role"), True, "the partner's role"),
}, "a partner")

SPEAKER = Object({
    "name": Field(Text(), True, "the speaker's name as the source gives it, in each script"),
    "organization": Field(RecordRef("organization"), False, "the speaker's organization slug"),
    "role": Field(Text(), False, "the speaker's position, as the source gives it"),
}, "a speaker")


def _common_head() -> dict[str, Field]:
    return {"slug": Field(Slug(), True, "the file name without .yml; lowercase, hyphens")}


def _common_tail(kind: str) -> dict[str, Field]:
    return {"former_slugs": Field(ListOf(Slug()), False,
                                  "slugs of records merged into this one; their old addresses lead here"),
            "sources": Field(ListOf(source_schema(kind), min_items=1), True,
                             "where each fact comes from: a document of data/vocabularies/documents.yml or a web page")}


THEMES = Field(ListOf(VocabRef("themes", "theme")), False, "themes from data/vocabularies/themes.yml")
SDGS = Field(ListOf(VocabRef("sdgs", "UN Sustainable Development Goal")), False,
             "UN Sustainable Development Goals, numbers 1–17")
REGIONS = Field(ListOf(VocabRef("regions", "region")), False, "regions the record concerns")
COUNTRIES = Field(ListOf(VocabRef("countries", "country")), False, "countries the record concerns")
TEXT_LIST = ListOf(Text())

PROJECT = Object({
    **_common_head(),
    "title": Field(Text(), True, "full name of the project in each language"),
    "acronym": Field(String(max_len=80), False, "short name exactly as the project uses it"),
    "summary": Field(Text(), True, "one to three sentences for catalogues and search"),
    "description": Field(Text(), False, "longer text; a blank line starts a new paragraph"),
    "programme": Field(RecordRef("programme"), False,
                       "the funding programme: the slug of a record in data/programmes/"),
    "programme_period": Field(VocabRef("programme-periods", "programme period"), False,
                              "programme period such as 2014-2020"),
    "status": Field(VocabRef("statuses", "status"), False, "planned, ongoing or closed"),
    "start": Field(Date(), False, "start date: YYYY, YYYY-MM or YYYY-MM-DD"),
    "end": Field(Date(), False, "end date, not before the start"),
    "partners": Field(ListOf(PARTNER), False, "organizations and their roles; one lead-partner at most"),
    "part_of": Field(RecordRef("project"), False, "the platform or initiative this project belongs to"),
    "target_groups": Field(TEXT_LIST, False, "who the project serves"),
    "activities": Field(TEXT_LIST, False, "what the project does"),
    "outputs": Field(TEXT_LIST, False, "what the project produces"),
    "results": Field(TEXT_LIST, False, "what changes because of it"),
    "themes": THEMES, "sdgs": SDGS, "regions": REGIONS, "countries": COUNTRIES,
    "website": Field(Url(), False, "the project's own web address"),
    **_common_tail("project"),
}, "a project")

PLAYBOOK = Object({
    **_common_head(),
    "title": Field(Text(), True, "title of the playbook entry in each language"),
    "summary": Field(Text(), True, "one to three sentences for catalogues and search"),
    "business_model": Field(VocabRef("business-models", "business model"), False,
                            "one of the five circular business models"),
    "problem": Field(Text(), True, "the problem a small firm faces"),
    "solution": Field(Text(), True, "what the firm does about it"),
    "revenue_model": Field(Text(), True, "how the firm earns money with it"),
    "benefits": Field(Text(), True, "what the firm and its region gain"),
    "steps": Field(ListOf(Text(), min_items=1), True, "steps or a checklist, in order"),
    "risks": Field(TEXT_LIST, False, "what can go wrong"),
    "themes": THEMES, "sdgs": SDGS,
    "example_projects": Field(ListOf(RecordRef("project")), False, "projects that show it at work"),
    "example_organizations": Field(ListOf(RecordRef("organization")), False,
                                   "organizations that show it at work"),
    **_common_tail("playbook"),
}, "a playbook entry")

ORGANIZATION = Object({
    **_common_head(),
    "name": Field(Text(), True, "official name in each language"),
    "short_name": Field(String(max_len=80), False, "acronym as the organization uses it"),
    "type": Field(VocabRef("organization-types", "organization type"), True, "kind of organization"),
    "country": Field(VocabRef("countries", "country"), False, "country of its seat"),
    "city": Field(Text(), False, "city of its seat, in each language"),
    "region": Field(VocabRef("regions", "region"), False,
                    "the portal region its city lies in (data/vocabularies/regions.yml), if any"),
    "description": Field(Text(), False, "what it is and does; a blank line starts a new paragraph"),
    "member_of": Field(ListOf(RecordRef("organization")), False, "networks it is a member of"),
    "parent": Field(RecordRef("organization"), False, "the organization it is part of"),
    "aliases": Field(ListOf(String(max_len=120)), False, "other spellings readers may search for"),
    "website": Field(Url(), False, "its web address"),
    **_common_tail("organization"),
}, "an organization")

EVENT = Object({
    **_common_head(),
    "title": Field(Text(), True, "title of the event in each language"),
    "summary": Field(Text(), True, "one to three sentences for catalogues and search"),
    "date": Field(Date(), True, "first day: YYYY-MM-DD (or YYYY-MM when the day is unknown)"),
    "end_date": Field(Date(), False, "last day, not before the first"),
    "place": Field(Text(), False, "venue and city as the source gives them"),
    "regions": REGIONS, "countries": COUNTRIES,
    "format": Field(VocabRef("event-formats", "event format"), True, "panel, conference, meeting …"),
    "organizers": Field(ListOf(RecordRef("organization")), False, "organizing organizations"),
    "part_of": Field(RecordRef("event"), False, "the conference or forum it was held within"),
    "presented": Field(TEXT_LIST, False, "what was presented or decided"),
    "speakers": Field(ListOf(SPEAKER), False, "speakers as the source names them"),
    "related_projects": Field(ListOf(RecordRef("project")), False, "projects presented or discussed"),
    "related_organizations": Field(ListOf(RecordRef("organization")), False,
                                   "other organizations taking part"),
    "themes": THEMES, "sdgs": SDGS,
    **_common_tail("event"),
}, "an event")


PROGRAMME = Object({
    **_common_head(),
    "title": Field(Text(), True, "the programme's official name in each language"),
    "acronym": Field(String(max_len=80), False, "short name as the programme uses it"),
    "summary": Field(Text(), True, "one to three sentences for lists and search"),
    "description": Field(Text(), False, "longer text; a blank line starts a new paragraph"),
    "type": Field(VocabRef("programme-types", "programme type"), False,
                  "cross-border, transnational, interregional, EU fund or national"),
    "period": Field(VocabRef("programme-periods", "programme period"), True,
                    "programme period such as 2021-2027"),
    "start": Field(Date(), False, "start date, only as a source states it"),
    "end": Field(Date(), False, "end date, not before the start"),
    "status": Field(VocabRef("statuses", "status"), False,
                    "planned, ongoing, closed or not-launched"),
    "managing_body": Field(RecordRef("organization"), False,
                           "the managing authority: the slug of a record in data/organizations/"),
    "countries": Field(ListOf(VocabRef("countries", "country")), False,
                       "the countries whose organizations may take part"),
    "regions": Field(ListOf(VocabRef("regions", "region")), False,
                     "the portal's regions that lie in the programme area"),
    "eligible_area": Field(Text(), False, "the programme area exactly as the source states it"),
    "open_to": Field(Text(), False, "who may apply or take part today, as the source says"),
    "website": Field(Url(), False, "the programme's official web address"),
    "follows": Field(ListOf(RecordRef("programme")), False, "the programmes it succeeds (their slugs)"),
    "notice": Field(Text(), False, "what a reader must know, shown prominently: what changed in March 2022"),
    "aliases": Field(ListOf(String(max_len=120)), False, "other spellings readers may search for"),
    **_common_tail("programme"),
}, "a programme")


# What `make validate` checks and the JSON Schema cannot express (it sees one file, and cannot compare
# two values): named in every exported record schema's description, and each has a variant in the
# agreement test's corpus (tests/pipeline/test_schema_agreement.py) stating that the schema misses it.
BEYOND_JSON_SCHEMA = {
    "references": "a slug a field refers to (partners, part_of, parent, organizers …) names an existing record",
    "file name": "the file name is the slug: `slug:` equals it, and no two records share one",
    "former slugs": "a former slug is no live record's slug and belongs to one record only",
    "pages": "no record's page takes the address of another page (a catalogue, a hand-written page)",
    "loops": "part_of and parent make no loop; no record is part, parent or member of itself",
    "date order": "an end date is not before its start (end after start, end_date after date)",
    "partners": "one lead partner at most, and each organization listed once among the partners",
    "file": "the file is plain YAML: no anchors, tags, duplicate keys or invisible characters, at most 256 KB",
    "scripts": "other scripts' characters in a web address are letters (the schema allows their ranges)",
}


@dataclass(frozen=True)
class Kind:
    name: str  # project
    folder: str  # projects
    schema: Object
    title_field: str  # the Text field that names a record


KINDS = {
    "project": Kind("project", "projects", PROJECT, "title"),
    "playbook": Kind("playbook", "playbooks", PLAYBOOK, "title"),
    "organization": Kind("organization", "organizations", ORGANIZATION, "name"),
    "event": Kind("event", "events", EVENT, "title"),
    "programme": Kind("programme", "programmes", PROGRAMME, "title"),
}

# ---------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------

VOCABULARIES = {
    # name: (noun, extra fields of its terms)
    "programme-periods": ("programme period", {}),
    "programme-types": ("programme type", {}),
    "themes": ("theme", {}),
    "business-models": ("business model", {}),
    "countries": ("country", {}),
    "regions": ("region", {
        "country": Field(VocabRef("countries", "country"), False, "the region's country"),
    }),
    "sdgs": ("UN Sustainable Development Goal", {}),
    "organization-types": ("organization type", {}),
    "statuses": ("status", {}),
    "partner-roles": ("partner role", {}),
    "event-formats": ("event format", {}),
    # Notices the pages show where records alone cannot say it (label: the heading, description: the
    # text, sources: where it is stated); the pages name them by id (NOTICES below).
    "notices": ("notice", {}),
    # The source documents, described once; records cite them with `document: <id>`.
    "documents": ("document", {
        "original_title": Field(String(max_len=300), False, "the title as printed in the document"),
        "language": Field(String("one of en, ru, fi", re.compile(r"^(en|ru|fi)$"), 2), True,
                          "the document's language: en, ru or fi"),
        "publisher": Field(String(max_len=200), False, "who published it, as it names itself"),
        "publisher_organization": Field(RecordRef("organization"), False,
                                        "the publisher's organization slug, when it has a record"),
        "date": Field(Date(), False, "publication date, only if the document gives it"),
        "url": Field(Url(), False, "the original public address, only where verified"),
        "retrieved": Field(Date(), False, "when the address was read (YYYY-MM-DD); required with url"),
        "file": Field(String("a seed file such as seeds/000_bd626ee34b74528d.txt",
                             re.compile(r"^seeds/[A-Za-z0-9._-]+$")), False,
                      "the editors' copy in shared/seeds (provenance; never shown as a link)"),
    }),
}

# Vocabularies that became something else: the file gets this message instead of "unknown vocabulary".
RETIRED_VOCABULARIES = {
    "programmes": "programmes are records now (issue 19): one file per programme, "
                  "data/programmes/<slug>.yml with the slug of its old id; delete this file "
                  "(data/README.md, Programmes)",
}

# The notices the pages need: a project with Russian partners or regions and no programme shows this one.
RUSSIA_SUSPENSION = "russia-cooperation-suspended-2022"
NOTICES = (RUSSIA_SUSPENSION,)

# The vocabularies that readers browse by: each term gets a landing page listing its records.
FACETS = ("programme-types", "themes", "sdgs", "countries", "regions", "business-models", "statuses",
          "organization-types")


class SdgNumber(Type):
    expected = "a number from 1 to 17"

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 17:
            how = " written as plain digits, without quotes or leading zeros" \
                if isinstance(value, str) else ""
            yield path, f"expected {self.expected}{how}; got {kind_of(value)}"

    def json_schema(self, ctx):
        return {"type": "integer", "minimum": 1, "maximum": 17}


# Rules across the fields of a vocabulary's terms.
TERM_RULES = {"documents": (Requires("url", "retrieved", "add `retrieved: YYYY-MM-DD`: when the address "
                                                        "was read"),)}


def term_schema(vocab: str) -> Object:
    noun, extra = VOCABULARIES[vocab]
    id_type: Type = SdgNumber() if vocab == "sdgs" else Slug()
    return Object({
        "id": Field(id_type, True, "the value records use; never change it once published"),
        "label": Field(Text(), True, "the name readers see, in each language"),
        "description": Field(Text(), False, "one or two sentences for the term's page"),
        **extra,
        "aliases": Field(ListOf(String(max_len=120)), False, "other spellings readers may search for"),
        "sources": Field(ListOf(SOURCE), False, "where the label and description come from"),
    }, f"a {noun}", TERM_RULES.get(vocab, ()))


def vocabulary_schema(vocab: str) -> Object:
    return Object({"terms": Field(ListOf(term_schema(vocab), min_items=1), True,
                                  "the terms, in the order readers see them")}, "a vocabulary")


def text_fields(obj: Object, path: Path = ()) -> Iterator[Path]:
    """Schema paths of every reader-facing text (lists marked with '*'), for translation reports."""
    for name, spec in obj.fields.items():
        t = spec.type
        if isinstance(t, Text):
            yield path + (name,)
        elif isinstance(t, ListOf) and isinstance(t.item, Text):
            yield path + (name, "*")
        elif isinstance(t, ListOf) and isinstance(t.item, Object):
            yield from text_fields(t.item, path + (name, "*"))
