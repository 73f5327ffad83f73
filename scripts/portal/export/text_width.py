"""How wide a map label will be, before any browser draws it: the map places its labels at build time
(map_labels.py), so it needs each name's width in em.

The widths are the advance widths of DejaVu Sans Bold, rounded up to 0.05 em: the widest of the common
sans-serif faces a reader's browser falls back to (the site loads no web font, mkdocs.yml `font: false`),
so a name measured here is never narrower on screen. Made once with Pillow:
ImageFont.truetype("DejaVuSans-Bold.ttf", 1000).getlength(ch) for Basic Latin, Latin-1, Latin
Extended-A and Cyrillic. A character outside the table counts as WIDEST.
"""
from __future__ import annotations

from functools import lru_cache

WIDEST = 1.25

_WIDTHS = {
    0.35: " 'ijlìíîïĩīĭįıĵĺļіїј",
    0.4: ',./:;IJ\\|ÌÍÎÏĨĪĬĮİĴłІЇЈ’·',
    0.45: '-fſ',
    0.5: '!()[]_`rtľŕŗřţťŧ–',
    0.55: '"*гѓ',
    0.6: '?cszçćĉċčŀśŝşšźżžзстэєѕ',
    0.65: 'LxĹĻĽĿŁЃГвхья',
    0.7: '$0123456789EFTaekovyÈÉÊËàáâãäåèéêëðòóôõöøýÿāăąĒēĔĕĖėĘęĚěĳķĸōŏőŢŤŦŷЀЁЕТабекнопучѐёќўџ',
    0.75: 'CPSYZbdghnpqu{}ÇÝÞßñùúûüþĆĈĊČďđĝğġģĥĲńņňŋŚŜŞŠũūŭůűųŶŸŹŻŽЄЅЗРСЭийлрцђћѝ',
    0.8: 'ABKRVXÀÁÂÃÄÅĀĂĄħĶŔŖŘЎАБВУХЬЯъ',
    0.85: '#+<=>DGHNU^~ÐÑ×ÙÚÛÜ÷ĎĐĜĞĠĢĤŃŅŇŊŨŪŬŮŰŲЌЍЏИЙКЛНПЧдм',
    0.9: '&OQÒÓÔÕÖØŌŎŐЂЋДО',
    0.95: 'wŵЦЪы',
    1.0: '@MĦŉМФжфюљњ—',
    1.05: '%mæЫ',
    1.1: 'Æœш',
    1.15: 'WŴЊщ',
    1.2: 'ŒЉЮ',
    1.25: 'ЖШ',
    1.35: 'Щ',
}
_EM = {ch: width for width, chars in _WIDTHS.items() for ch in chars}


@lru_cache(maxsize=4096)
def em_width(text: str) -> float:
    """The width of `text` in em (multiply by the font size)."""
    return sum(_EM.get(ch, WIDEST) for ch in text)
