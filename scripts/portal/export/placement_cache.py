"""The map's name placements kept between generations (export/map_labels.py::place).

A placement is a pure function of the names, their dots and areas, the frame and the font size;
the key is a digest of those (the features' repr: every field but the `seen` memo) and of the
placement code itself (map_labels.py and text_width.py as they are on disk), so a changed
algorithm never reads an old answer. Kept twice: in the process (the preview generates on every
save in one long-lived process) and on disk beside the other per-machine caches
(~/.cache/portal/map-labels/, or $XDG_CACHE_HOME), as JSON of plain numbers and strings. A file
that does not read back whole, or does not fit the features it is for, is ignored and replaced:
the cache can make a generation faster, never different.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

VERSION = 1
_MEMORY: dict[str, list] = {}  # key -> placements as plain data (see _plain)
_MEMORY_LIMIT = 64


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "portal" / "map-labels"


def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in ("map_labels.py", "text_width.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def key(features: list, frame, size: float) -> str:
    text = repr((VERSION, _code_digest(), [repr(f) for f in features], repr(frame), repr(size)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(features: list, placed: list) -> list:
    index = {id(f): i for i, f in enumerate(features)}
    return [[index[id(p.feature)], list(p.lines), [p.box.x0, p.box.y0, p.box.x1, p.box.y1],
             [list(p.leader[0]), list(p.leader[1])] if p.leader else None] for p in placed]


def _objects(features: list, plain: list) -> list:
    from .map_labels import Box, Placed
    out = []
    for i, lines, box, leader in plain:
        if not (isinstance(i, int) and 0 <= i < len(features)):
            raise ValueError("a placement names a feature that is not there")
        out.append(Placed(features[i], [str(line) for line in lines], Box(*map(float, box)),
                          (tuple(map(float, leader[0])), tuple(map(float, leader[1]))) if leader else None))
    return out


def remembered(features: list, frame, size: float, search: Callable) -> list:
    """search(features, frame, size), or the answer it gave for the same arguments before."""
    k = key(features, frame, size)
    for plain in (_MEMORY.get(k), _read(k)):
        if plain is None:
            continue
        try:
            return _objects(features, plain)
        except (TypeError, ValueError, IndexError):
            continue  # not whole, or not for these features: searched again below
    placed = search(features, frame, size)
    plain = _plain(features, placed)
    _remember(k, plain)
    return placed


def _remember(k: str, plain: list) -> None:
    if len(_MEMORY) >= _MEMORY_LIMIT:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[k] = plain
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{k}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(plain, fh)
        os.replace(tmp, folder / f"{k}.json")
    except OSError:
        pass  # a cache that cannot be written is no cache: the answer stands


def _read(k: str):
    try:
        return json.loads((cache_dir() / f"{k}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
