"""One language's search index written from the indexes of its shards, so a build re-indexes only
the shards whose pages changed.

Why: Pagefind has no incremental mode; it indexes every page it is given from scratch. At 10,000
records a one-record build re-indexed 11,500 pages per language, 43 s of its 72. So the pages of a
language are split into fixed shards (site/search.py: by a hash of the page's path), Pagefind indexes
each shard on its own, the build state keeps each shard's index (read_shard: decoded, its pages in
address order) with a digest of its pages, and write_language() writes the language's index from
its shards': a build runs Pagefind only on the shards whose pages changed.

The index written is the one Pagefind writes for all the pages in one run, with three differences
that change no search result: the pages are numbered in a fixed order (shard, then address) where
Pagefind numbers them in the order the file system lists them, which differs between file systems
and between a fresh folder and one updated in place; filter values are in name order (Pagefind
writes them in the order of a Rust HashMap, whose seed is random per run); and the word list is cut
into chunks of CHUNK_SIZE. tests/site/test_search_merge.py holds it to Pagefind's own index of the
same pages, posting by posting, and the browser tests search it.

Pagefind 1.5's files, as read from its output (KNOWN_VERSIONS: any other version stops the build):
gzip of b"pagefind_dcd" + CBOR. The `.pf_meta` file is [version, pages: [[fragment hash, word
count]], chunks: [[from, to, hash]], filters: [[name, hash]], sorts: [], metadata field names]; an
index chunk is [[word, postings, variants]], a posting [page number, positions, metadata
positions] with the page numbers as differences from the previous posting's, the variants
[[accented form, postings]]; a filter file is [name, [[value, [page number, …]]]]. Files are named
"<lang>_" + the start of Pagefind's hash of their CBOR (full_hash), one digit longer on a clash.
Fragments (one per page, JSON) do not depend on page numbers and are kept as Pagefind wrote them,
under shorter names (FRAGMENT_DIGITS).

CBOR is read and written with cbor2 (PyPI, pinned; its C extension): the postings of a language
are a few million small integers, too many for a CBOR codec in Python. Every file Pagefind wrote is
checked to read back to its own bytes (the postings of the index chunks: to be integers and arrays
of them) before it is used, so a format this module would write otherwise fails the build
instead of being changed.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..staging import link_or_copy

SIGNATURE = b"pagefind_dcd"
KNOWN_VERSIONS = ("1.5.2",)  # the formats this module has been checked against (requirements.txt)
CHUNK_SIZE = 20000  # Pagefind's: a chunk ends once its postings' positions add up to this
HASH_DIGITS = 7  # en_1345589.pf_index, .pf_filter: Pagefind's length
# Fragments are named shorter than Pagefind names them (en_13455.pf_fragment): every search first
# loads the meta file, whose page list is one name per page; at 10,000 records (10,053 pages a
# language in the index) two hex digits less are 11 KB of gzip less before the first result. Names
# stay content hashes, unique within the language (a clash takes one digit more: 36 to 59 names a
# language at 10,000); Pagefind's script fetches the name the meta file gives, whatever its length.
FRAGMENT_DIGITS = 5
FORMAT = 1  # of the kept shard indexes (ShardIndex); a new one makes every shard be indexed again


class UnknownFormat(Exception):
    """A Pagefind file this module does not understand: the build stops rather than guess."""


@dataclass
class ShardIndex:
    """The index of one language's pages in one shard, numbered by address: page i is pages[i].

    words: [word, size, postings, variants [[form, postings], …]], in word order; size is Pagefind's
    measure of the postings for cutting chunks; postings (see _part) hold the CBOR Pagefind wrote,
    so that write_language() joins the shards' postings of a word without decoding them again.
    filters: {name: {value: [page number, …]}}."""

    language: str
    version: str
    wasm: str | None
    include_characters: list
    fields: list[str]
    pages: list[list]  # [address, Pagefind's full hash of the fragment, word count]
    words: list[list]
    filters: dict[str, dict[str, list[int]]]
    digest: str = ""  # of the pages it was made from (site/search.py)
    format: int = field(default=FORMAT)


_FIELDS = [name for name in ShardIndex.__dataclass_fields__]


def full_hash(data: bytes) -> str:
    """Pagefind's hash of a file's content: the SHA-1 digest's bytes in hex, each without its
    leading zero (Pagefind formats every byte with {:x})."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _body(path: Path) -> bytes:
    """What a Pagefind file holds after its gzip and signature."""
    try:
        body = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as exc:
        raise UnknownFormat(f"{path.name}: not gzip ({exc})") from None
    if not body.startswith(SIGNATURE):
        raise UnknownFormat(f"{path.name}: no Pagefind signature")
    return body[len(SIGNATURE):]


def _read(path: Path, check: bool = True):
    """The CBOR value of a Pagefind file; `check`: and that cbor2 writes it back to the same bytes
    (the meta and filter files, and one index chunk per shard: _part checks the others' postings)."""
    import cbor2
    body = _body(path)
    try:
        value = cbor2.loads(body)
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise UnknownFormat(f"{path.name}: {exc}") from None
    if check and cbor2.dumps(value) != body:
        raise UnknownFormat(f"{path.name}: its CBOR does not read back to the same bytes")
    return value


def _packed(value) -> tuple[bytes, str]:
    """(the file's bytes, the full hash it is named by) of a CBOR value."""
    import cbor2
    body = cbor2.dumps(value)
    return _gzip(body), full_hash(body)


def _gzip(body: bytes) -> bytes:
    """A Pagefind file: gzip without a date, so the same content is the same bytes on every build."""
    return gzip.compress(SIGNATURE + body, compresslevel=6, mtime=0)


def _fragment(path: Path) -> tuple[str, str, int]:
    """(address, full hash, word count) of a fragment file."""
    body = _body(path)
    try:
        data = json.loads(body)
        return data["url"], full_hash(body), int(data["word_count"])
    except (ValueError, KeyError, TypeError) as exc:
        raise UnknownFormat(f"{path.name}: a fragment without url and word_count ({exc})") from None


def _meta(value) -> tuple[str, list, list, list, list]:
    if not (isinstance(value, list) and len(value) == 6 and isinstance(value[0], str)
            and all(isinstance(part, list) for part in value[1:])):
        raise UnknownFormat("a .pf_meta file that is not [version, pages, chunks, filters, sorts, fields]")
    version, pages, chunks, filters, sorts, fields = value
    if sorts:
        raise UnknownFormat("a sort in the index (data-pagefind-sort): not supported here")
    return version, pages, chunks, filters, fields


def _size(postings: list) -> int:
    return sum(len(posting[1]) + len(posting[2]) + 1 for posting in postings)


def _part(postings: list, number: list[int] | None) -> list | None:
    """A word's postings in one shard as write_language() joins them, their pages numbered anew
    (number[old] = new; None: as they are): (how many, the first's page, the last's page, the CBOR
    of the first's positions and metadata positions, the CBOR of the postings after the first, one
    after the other). None when there are none.

    Encoded here rather than by cbor2: a language's 1.7 million postings took cbor2.dumps 8 s (a
    type check per item); the items are small integers and arrays of them, whose CBOR is a table
    lookup (_INT) each."""
    if not postings:
        return None
    items, page = [], 0
    for posting in postings:
        page += posting[0]
        items.append((number[page] if number is not None else page, posting[1], posting[2]))
    if number is not None:
        items.sort(key=_first)
    out: list[bytes] = []
    append, extend, code = out.append, out.extend, _INT.__getitem__
    previous = items[0][0]
    try:
        for page, locs, meta_locs in items[1:]:
            append(b"\x83")
            append(code(page - previous))
            append(_ARRAY[len(locs)] if len(locs) < 24 else _head(4, len(locs)))
            extend(map(code, locs))
            if meta_locs:
                append(_ARRAY[len(meta_locs)] if len(meta_locs) < 24 else _head(4, len(meta_locs)))
                extend(map(code, meta_locs))
            else:
                append(b"\x80")
            previous = page
        first = [_ARRAY[len(items[0][1])] if len(items[0][1]) < 24 else _head(4, len(items[0][1]))]
        first += map(code, items[0][1])
        first.append(_ARRAY[len(items[0][2])] if len(items[0][2]) < 24 else _head(4, len(items[0][2])))
        first += map(code, items[0][2])
    except (KeyError, TypeError):
        raise UnknownFormat("a posting that is not [page, [integers], [integers]] with integers "
                            f"of at most {_SMALL} either way") from None
    return [len(items), items[0][0], previous, b"".join(first), b"".join(out)]


def _first(item) -> int:
    return item[0]


_SMALL = 1 << 16  # positions in a page and page differences; larger ones are refused (UnknownFormat)
_INT = {n: bytes([n]) if n < 24 else bytes([24, n]) if n < 256 else bytes([25]) + n.to_bytes(2, "big")
        for n in range(_SMALL)}
_INT.update({-1 - n: bytes([0x20 | n]) if n < 24 else bytes([0x38, n]) if n < 256
             else bytes([0x39]) + n.to_bytes(2, "big") for n in range(_SMALL)})
_ARRAY = [bytes([0x80 | n]) for n in range(24)]


def _head(major: int, n: int) -> bytes:
    """The head of a CBOR item, in its shortest form (as Pagefind's minicbor and cbor2 write it)."""
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise UnknownFormat("a number too large for CBOR")


def _text(value: str) -> bytes:
    raw = value.encode("utf-8")
    return _head(3, len(raw)) + raw


def read_shard(bundle: Path, language: str) -> tuple[ShardIndex, dict[str, Path]]:
    """The index of `language` in a Pagefind bundle, its pages numbered by address; and its
    fragment files by their full hash."""
    entry, info = _entry(bundle, language)
    version, pages, chunks, filters, fields = _meta(_read(bundle / f"pagefind.{info['hash']}.pf_meta"))
    found = [list(_fragment(bundle / "fragment" / f"{page[0]}.pf_fragment")) for page in pages]
    order = sorted(range(len(found)), key=lambda i: found[i][0])
    number: list[int] | None = [0] * len(found)  # Pagefind's page number -> the page's by address
    for new, old in enumerate(order):
        number[old] = new
    if order == list(range(len(found))):
        number = None  # Pagefind numbered them by address already
    shard = ShardIndex(language=language, version=version, wasm=info.get("wasm"),
                       include_characters=list(entry.get("include_characters") or []),
                       fields=sorted(fields), pages=[found[i] for i in order],
                       words=_words(bundle, chunks, number), filters=_filters(bundle, filters, number))
    files = {found[i][1]: bundle / "fragment" / f"{pages[i][0]}.pf_fragment" for i in range(len(found))}
    return shard, files


def _entry(bundle: Path, language: str) -> tuple[dict, dict]:
    """pagefind-entry.json and its entry of `language`, of a Pagefind version this code knows."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        info = entry["languages"][language]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnknownFormat(f"{bundle}: no index of {language} in pagefind-entry.json ({exc})") from None
    version = entry.get("version")
    if version not in KNOWN_VERSIONS:
        raise UnknownFormat(f"Pagefind {version}: this code knows the index format of "
                            f"{', '.join(KNOWN_VERSIONS)} only (site/search_merge.py)")
    return entry, info


def _words(bundle: Path, chunks: list, number: list[int] | None) -> list[list]:
    """Every word of the index chunks, with its postings as _part makes them."""
    words = []
    for i, chunk in enumerate(chunks):
        value = _read(bundle / "index" / f"{chunk[2]}.pf_index", check=i == 0)
        if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], list)):
            raise UnknownFormat(f"{chunk[2]}.pf_index: not [[word, postings, variants], …]")
        for word, postings, variants in value[0]:
            forms = [[form, _part(more, number)] for form, more in sorted(variants, key=_first)]
            words.append([word, _size(postings), _part(postings, number), forms])
    return words


def _filters(bundle: Path, filters: list, number: list[int] | None) -> dict[str, dict[str, list[int]]]:
    """{filter: {value: [page, …]}}, names and values in name order (Pagefind's is a HashMap's,
    random per run), pages numbered anew."""
    out: dict[str, dict[str, list[int]]] = {}
    for name, hash_ in sorted(filters, key=_first):
        value = _read(bundle / "filter" / f"{hash_}.pf_filter")
        if not (isinstance(value, list) and len(value) == 2 and value[0] == name):
            raise UnknownFormat(f"{hash_}.pf_filter: not [name, [[value, pages], …]]")
        out[name] = {str(v): sorted(number[p] for p in pages) if number else list(pages)
                     for v, pages in sorted(value[1], key=_first)}
    return out


def save(shard: ShardIndex, path: Path) -> None:
    """The shard's index into `path`, as CBOR: the same index is the same bytes (a pickle's are not:
    they follow which objects happen to be shared), and the build state is compared file by file."""
    import cbor2
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(cbor2.dumps({name: getattr(shard, name) for name in _FIELDS}))
    os.replace(tmp, path)


def load(path: Path) -> ShardIndex | None:
    """A kept shard index, or None when there is none, it cannot be read or is of another format."""
    import cbor2
    try:
        value = cbor2.loads(path.read_bytes())
        shard = ShardIndex(**{name: value[name] for name in _FIELDS})
    except (OSError, ValueError, KeyError, TypeError, cbor2.CBORDecodeError):
        return None
    return shard if shard.format == FORMAT else None


def _name(full: str, language: str, digits: int, taken: set[str]) -> str:
    """`<lang>_` + the first `digits` of the full hash, one more while another file has the name."""
    for end in range(digits, len(full) + 1):
        name = f"{language}_{full[:end]}"
        if name not in taken:
            taken.add(name)
            return name
    raise UnknownFormat(f"two files of {language} with the same hash {full}")


def _joined(parts: list[tuple[int, tuple | None]]) -> bytes:
    """The CBOR of a word's postings in several shards as one array: (offset of the shard's pages,
    its part), in shard order. The postings are numbered by differences: only the first of each
    shard's is written anew, its difference now from the previous shard's last page."""
    chunks, count, previous = [], 0, 0
    for offset, part in parts:
        if part is None:
            continue
        n, first, last, first_rest, rest = part
        chunks += [b"\x83", _head(0, offset + first - previous), first_rest, rest]
        count += n
        previous = offset + last
    return _head(4, count) + b"".join(chunks)


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The chunk bounds between a chunk ending with `a` and the next starting with `b`: as Pagefind
    cuts them, one character past their common prefix."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


def write_language(shards: list[ShardIndex], fragments: list[dict[str, Path]], bundle: Path,
                   chunk_size: int = CHUNK_SIZE, compressed: Path | None = None,
                   used: set[str] | None = None) -> dict:
    """Write one language's index from its shards' (in shard order; `fragments`: each shard's
    fragment files by full hash) into `bundle`; returns its entry for pagefind-entry.json.
    `compressed`: a folder of index chunks compressed before, by the full hash of their content
    (a build that changed a few pages changes a few chunks: the others are not compressed again,
    1 s a language at 10,000 records); the names of those this index uses are added to `used`."""
    language = shards[0].language
    versions = {shard.version for shard in shards}
    if len(versions) != 1 or len({shard.wasm for shard in shards}) != 1:
        raise UnknownFormat(f"the shards of {language} come from different Pagefind versions")
    offsets, total = [], 0
    for shard in shards:
        offsets.append(total)
        total += len(shard.pages)
    for sub in ("fragment", "index", "filter"):
        (bundle / sub).mkdir(parents=True, exist_ok=True)
    pages = _write_fragments(shards, fragments, bundle / "fragment")
    chunks = _chunks(shards, offsets, chunk_size)
    chunk_list = []
    taken: set[str] = set()
    for (first, last), body in zip(_bounds(chunks), _bodies(chunks)):
        chunk_list.append([first, last, _write_chunk(body, language, taken, bundle / "index", compressed, used)])
    filter_list = _write_filters(shards, offsets, bundle / "filter")
    fields = sorted({name for shard in shards for name in shard.fields})
    data, full = _packed([versions.pop(), pages, chunk_list, filter_list, [], fields])
    meta = f"{language}_{full[:len(language) + 8]}"  # pagefind.en_1fd0dbe472.pf_meta: as Pagefind cuts it
    (bundle / f"pagefind.{meta}.pf_meta").write_bytes(data)
    return {"hash": meta, "wasm": shards[0].wasm, "page_count": total}


def _write_fragments(shards: list[ShardIndex], fragments: list[dict[str, Path]], folder: Path) -> list:
    """Every page's fragment into `folder`, named in page order (a clash makes the later name one
    digit longer, as Pagefind does); returns the meta file's page list [[name, word count], …]."""
    taken: set[str] = set()
    pages = []
    for shard, files in zip(shards, fragments):
        for _url, full, count in shard.pages:
            name = _name(full, shard.language, FRAGMENT_DIGITS, taken)
            link_or_copy(files[full], folder / f"{name}.pf_fragment")
            pages.append([name, count])
    return pages


def _chunks(shards: list[ShardIndex], offsets: list[int], chunk_size: int) -> list[list[tuple[str, bytes]]]:
    """The words of every shard in word order, each as (word, its CBOR with every shard's postings),
    cut into chunks as Pagefind cuts them: a chunk ends once its size reaches chunk_size."""
    by_word: dict[str, list] = {}
    for offset, shard in zip(offsets, shards):
        for word in shard.words:
            by_word.setdefault(word[0], []).append((offset, word))
    chunks, chunk, size = [], [], 0
    for text in sorted(by_word):  # (code point order: UTF-8's byte order, which Pagefind sorts by)
        parts = by_word[text]
        forms: dict[str, list] = {}
        for offset, word in parts:
            for form, part in word[3]:
                forms.setdefault(form, []).append((offset, part))
        variants = b"".join(b"\x82" + _text(form) + _joined(forms[form]) for form in sorted(forms))
        chunk.append((text, b"\x83" + _text(text) + _joined([(offset, word[2]) for offset, word in parts])
                      + _head(4, len(forms)) + variants))
        size += sum(word[1] for _offset, word in parts)
        if size >= chunk_size:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _bounds(chunks: list[list[tuple[str, bytes]]]) -> list[list[str]]:
    """[from, to] of each chunk, as the meta file names them."""
    bounds: list[list[str]] = []
    for i, words in enumerate(chunks):
        bounds.append([words[0][0], words[-1][0]])
        if i:
            bounds[i - 1][1], bounds[i][0] = _prefixes(bounds[i - 1][1], bounds[i][0])
    return bounds


def _bodies(chunks: list[list[tuple[str, bytes]]]):
    for words in chunks:
        yield b"\x81" + _head(4, len(words)) + b"".join(encoded for _word, encoded in words)


def _write_chunk(body: bytes, language: str, taken: set[str], folder: Path, compressed: Path | None,
                 used: set[str] | None) -> str:
    """One index chunk into `folder` (compressed once: see write_language); returns its name."""
    full = full_hash(body)
    name = _name(full, language, HASH_DIGITS, taken)
    target = folder / f"{name}.pf_index"
    if compressed is None:
        target.write_bytes(_gzip(body))
        return name
    kept = compressed / f"{language}_{full}.pf_index"
    if not kept.is_file():
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
        tmp.write_bytes(_gzip(body))
        os.replace(tmp, kept)
    link_or_copy(kept, target)
    if used is not None:
        used.add(kept.name)
    return name


def _write_filters(shards: list[ShardIndex], offsets: list[int], folder: Path) -> list:
    """Every filter into `folder`, its values in name order and their pages in page order; returns
    the meta file's filter list [[name, file name], …]."""
    filters: dict[str, dict[str, list[int]]] = {}
    for offset, shard in zip(offsets, shards):
        for name, values in shard.filters.items():
            merged = filters.setdefault(name, {})
            for value, numbers in values.items():
                merged.setdefault(value, []).extend(offset + n for n in numbers)
    taken: set[str] = set()
    out = []
    for name in sorted(filters):
        values = filters[name]
        data, full = _packed([name, [[value, values[value]] for value in sorted(values)]])
        hash_ = _name(full, shards[0].language, HASH_DIGITS, taken)
        (folder / f"{hash_}.pf_filter").write_bytes(data)
        out.append([name, hash_])
    return out
