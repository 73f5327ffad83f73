"""How pages and exports read a validated record's values (render/ and export/ alike, which do not
import each other)."""
from __future__ import annotations


def as_list(value) -> list:
    """A field that holds a list, or a single value, or nothing, as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
