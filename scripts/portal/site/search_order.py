"""The Pagefind bundle made byte-identical from one build of a commit to the next.

Why: Pagefind 1.5 writes each filter's values in the order of a Rust HashMap, whose seed is random
per run, so every build wrote its `filter/<lang>_<hash>.pf_filter` files with the values in another
order, hence other bytes and other names; the `.pf_meta` file names those files (and lists the
filters in HashMap order too), and `pagefind-entry.json` names the `.pf_meta` file. The index chunks
and fragments are already stable (Pagefind 1.3 made them so). Nothing the search shows depends on
that order: a filter is looked up by name and value.

So after every index, each filter file's values are put in the order of their names, the meta file's
list of filters likewise, and every file is named again as Pagefind names it (the first hex digits of
the SHA-1 of its CBOR body), gzip-compressed with no timestamp.

The files are CBOR (RFC 8949) behind Pagefind's "pagefind_dcd" signature; this module reads and
writes only the part of CBOR they use (unsigned integers, text, byte strings, arrays, maps) and
refuses anything else, and checks that reading and writing a file gives its bytes back before it
changes anything, so a future Pagefind format fails the build loudly instead of being mangled.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
FILTER_HASH_DIGITS = 7  # en_1345589.pf_filter
META_HASH_DIGITS = 10   # pagefind.en_1fd0dbe472.pf_meta


class UnknownFormat(Exception):
    """A Pagefind file this module does not understand: the build stops rather than guess."""


# ------------------------------------------------------------------ CBOR, the subset Pagefind writes


def decode(data: bytes):
    value, end = _decode(data, 0)
    if end != len(data):
        raise UnknownFormat(f"{len(data) - end} bytes after the CBOR value")
    return value


def _decode(data: bytes, i: int):
    try:
        initial = data[i]
    except IndexError:
        raise UnknownFormat("truncated CBOR") from None
    major, info = initial >> 5, initial & 31
    i += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise UnknownFormat(f"CBOR item 0x{initial:02x} (indefinite length or simple value)")
    if major == 0:
        return n, i
    if major in (2, 3):
        chunk = data[i:i + n]
        if len(chunk) != n:
            raise UnknownFormat("truncated CBOR string")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        pairs = []
        for _ in range(n):
            key, i = _decode(data, i)
            value, i = _decode(data, i)
            pairs.append((key, value))
        return _Map(pairs), i
    raise UnknownFormat(f"CBOR major type {major}")


class _Map(list):
    """A CBOR map as its (key, value) pairs in file order (a dict would not keep duplicate keys)."""


def encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise UnknownFormat(f"cannot write {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise UnknownFormat("negative integer")
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(item) for item in value)
    raise UnknownFormat(f"cannot write {type(value).__name__}")


def _head(major: int, n: int) -> bytes:
    """The shortest head, as Pagefind's encoder (minicbor) writes it."""
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise UnknownFormat("integer too large")


# ------------------------------------------------------------------ the bundle


def read(path: Path):
    """The CBOR value of a Pagefind file, after checking that writing it back gives the same bytes."""
    body = gzip.decompress(path.read_bytes())
    if not body.startswith(SIGNATURE):
        raise UnknownFormat(f"{path.name}: no Pagefind signature")
    body = body[len(SIGNATURE):]
    value = decode(body)
    if encode(value) != body:
        raise UnknownFormat(f"{path.name}: its CBOR does not read back to the same bytes")
    return value


def packed(value) -> tuple[bytes, str]:
    """(the file's bytes, the full hex SHA-1 Pagefind names it by) for a CBOR value."""
    body = encode(value)
    # mtime=0: the gzip header holds no date, so the same content is the same bytes on every build.
    return gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0), hashlib.sha1(body).hexdigest()


def sort_filter(value) -> list:
    """A filter file's value, [name, [[value, [page, …]], …]], with its values in name order."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)
            and all(isinstance(entry, list) and entry and isinstance(entry[0], str) for entry in value[1])):
        raise UnknownFormat("a filter file that is not [name, [[value, pages], …]]")
    return [value[0], sorted(value[1], key=lambda entry: entry[0].encode("utf-8"))]


def _filter_list(meta) -> list:
    """The meta file's list of filters, [[name, hash], …] (the only list of [str, str] pairs whose
    hashes name filter files)."""
    if not isinstance(meta, list) or len(meta) < 4 or not isinstance(meta[3], list) or not all(
            isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry)
            for entry in meta[3]):
        raise UnknownFormat("a meta file whose fourth item is not the list of filters")
    return meta[3]


def canonical_bundle(bundle: Path) -> int:
    """Rewrite the bundle's filter and meta files in a fixed order and name; returns how many files
    were renamed. pagefind-entry.json is written again with the new meta names."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed = 0
    for lang, info in (entry.get("languages") or {}).items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_path)
        names = {}
        for pair in _filter_list(meta):
            old = bundle / "filter" / f"{pair[1]}.pf_filter"
            data, digest = packed(sort_filter(read(old)))
            new_hash = f"{lang}_{digest[:FILTER_HASH_DIGITS]}"
            new = old.with_name(f"{new_hash}.pf_filter")
            if new != old:
                if new.exists() and new.read_bytes() != data:
                    raise UnknownFormat(f"two filters of {lang} would both be named {new.name}")
                old.unlink()
                renamed += 1
            new.write_bytes(data)
            names[pair[0]] = new_hash
        meta[3] = [[name, names[name]] for name in sorted(names, key=lambda n: n.encode("utf-8"))]
        data, digest = packed(meta)
        new_hash = f"{lang}_{digest[:META_HASH_DIGITS]}"
        new_meta = bundle / f"pagefind.{new_hash}.pf_meta"
        meta_path.unlink()
        new_meta.write_bytes(data)
        renamed += new_meta != meta_path
        info["hash"] = new_hash
    entry_path.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
    return renamed
