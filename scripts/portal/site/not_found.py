"""404 pages per language that work on GitHub Pages.

GitHub Pages answers every missing path with the site's one root 404.html. That page
(overrides/404.html) holds the message in every language and picks the reader's by the URL path, so a
missing /fi/… answers in Finnish. For hosts that look for a 404 page per folder, and for readers who
open /ru/404.html directly, we also write <lang>/404.html: the same page with `<html lang>` preset.
"""
from __future__ import annotations

import re
from pathlib import Path


def write_language_404s(site_dir: str | Path, languages: list[str], default: str) -> list[Path]:
    """Copy site/404.html to site/<lang>/404.html for every non-default language."""
    site = Path(site_dir)
    root = site / "404.html"
    if not root.is_file():
        return []
    html = root.read_text(encoding="utf-8")
    written = []
    for lang in languages:
        if lang == default:
            continue
        page = re.sub(r'<html lang="[^"]*"', f'<html lang="{lang}"', html, count=1)
        target = site / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written
