"""The portal's own scripts and style sheet, minified in the built site.

Why: every page loads portal.css and portal.js, and a first search search.js; as written (with the
comments that explain them) they were 12.8 KB of gzip on the way to the first search result, 6 KB
of it comments and indentation (issue 21: <= 250 KB before the first result at 10,000 records).
The files in overrides/assets/portal/ stay as they are, to read and to edit; only the copies in
the built site's root assets/portal/ (the one copy every language's pages use, shared_assets.py)
are minified, once per build, after the languages are put together (finish.py). The preview
(`portal serve`) serves them as written.

Why rjsmin and rcssmin (PyPI, pinned, wheels with their C extension): they only remove comments
and whitespace (no renaming, no rewriting), which is all that is needed here and keeps what runs
the code that was reviewed; a minifier is not something to write by hand (regular expression
literals, strings, ASI). Comments starting with /*! are kept (licence notes).
A file is written anew (never changed in place: the site's files may be hard links into the build
state, site/incremental.py) and only if minifying made it smaller.
"""
from __future__ import annotations

import os
from pathlib import Path

FOLDER = "assets/portal"


def minify_text(text: str, suffix: str) -> str:
    import rcssmin
    import rjsmin
    if suffix == ".css":
        return rcssmin.cssmin(text, keep_bang_comments=True)
    return rjsmin.jsmin(text, keep_bang_comments=True)


def minify_site(site: Path) -> tuple[int, int]:
    """Minify the root's assets/portal/*.js and *.css of a built site; (bytes before, after)."""
    before = after = 0
    folder = site / FOLDER
    for path in sorted([*folder.glob("*.js"), *folder.glob("*.css")]):
        text = path.read_text(encoding="utf-8")
        small = minify_text(text, path.suffix).encode("utf-8")
        size = len(text.encode("utf-8"))
        before += size
        if len(small) < size:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(small)
            os.replace(tmp, path)  # a new file: a hard link into the build state is left as it was
            size = len(small)
        after += size
    return before, after
