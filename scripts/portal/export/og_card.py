"""Maintainer's tool: the portal's sharing card per language (og:image), 1200 x 630 PNG.

The cards are committed (overrides/assets/portal/og/card-<lang>.png), so the build needs neither
Pillow nor a font. Re-run after changing the site name or description in scripts/locales/*.yml:

    PYTHONPATH=scripts .venv/bin/python -m portal.export.og_card

Needs Pillow (pinned in requirements-test.txt) and the DejaVu fonts of Debian's fonts-dejavu-core
(Latin and Cyrillic; /usr/share/fonts/truetype/dejavu). The base map is geodata/baltic.json.
"""
from __future__ import annotations

import sys
from pathlib import Path


from .. import languages
from .map import Projection, basemap

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "overrides" / "assets" / "portal" / "og"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SIZE = (1200, 630)
BACKGROUND, SEA, LAND, REGION, TEXT = "#003d33", "#00574b", "#00796b", "#80cbc4", "#ffffff"


def wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return lines + ([line] if line else [])


def card(lang: str, path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont
    ui = languages.strings(lang)
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    geo = basemap()
    project = Projection(geo["bbox"])
    scale = 0.6  # the map in a frame on the right; the frame cuts the land at the map's edges
    frame = Image.new("RGB", (round(1000 * scale), round(project.height * scale)), SEA)
    frame_draw = ImageDraw.Draw(frame)
    for layer, colour in ((geo["countries"], LAND), (geo["regions"], REGION)):
        for shape in layer:
            for ring in shape["rings"]:
                frame_draw.polygon([(x * scale, y * scale) for x, y in (project(*p) for p in ring)], fill=colour)
    image.paste(frame, (SIZE[0] - frame.width - 30, (SIZE[1] - frame.height) // 2))
    for size in range(58, 30, -2):  # the largest title that leaves room for the description
        title = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), size)
        body = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), max(22, size // 2))
        head_lines = wrap(draw, ui["site_name"], title, 500)
        body_lines = wrap(draw, ui["site_description"], body, 500)
        height = len(head_lines) * size * 1.2 + 24 + len(body_lines) * body.size * 1.35
        widest = max(draw.textlength(line, font=title) for line in head_lines)
        if height <= SIZE[1] - 170 and widest <= 500:
            break
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 24)
    y = 60
    for line in head_lines:
        draw.text((60, y), line, font=title, fill=TEXT)
        y += size * 1.2
    y += 24
    for line in body_lines:
        draw.text((60, y), line, font=body, fill=TEXT)
        y += body.size * 1.35
    codes = " · ".join(code.upper() for code in languages.registry().codes)
    draw.text((60, SIZE[1] - 70), f"{codes}   ·   CC BY 4.0", font=small, fill=TEXT)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)


def main() -> None:
    for lang in languages.registry().codes:
        target = OUT / f"card-{lang}.png"
        card(lang, target)
        print(target.relative_to(ROOT), file=sys.stderr)


if __name__ == "__main__":
    main()
