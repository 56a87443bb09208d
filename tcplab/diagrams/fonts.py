"""Fonts of the pictures: the font lists written into the SVG, and how wide text is.

Chinese text needs a font that has Chinese glyphs, and no one font is on every
machine: the list names the usual one of each platform (Noto Sans CJK SC on Linux,
from Debian's ``fonts-noto-cjk``, and Source Han Sans SC, its Adobe name; Microsoft
YaHei on Windows; PingFang SC on macOS and iOS), then ``sans-serif``.  It comes after
the Latin fonts, so Latin letters keep the fonts their widths were estimated for and
only the Chinese characters fall through to it.  An English picture names no CJK font:
its bytes stay what they were.

Widths are estimated, not measured (the browser edition has no font files): DejaVu
Sans's advance widths for Latin text (the widest font of the lists, so the estimates
are safe for Helvetica and Arial), and one em for a wide East Asian character (every
CJK font draws an ideograph or a full-width punctuation mark one em wide).
"""

from __future__ import annotations

import unicodedata

from ..text import language

__all__ = ["CJK_FONTS", "family", "text_width", "is_wide"]

#: The fonts with Chinese glyphs every platform has one of, in CSS font-family syntax.
CJK_FONTS = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC"

# Advance widths of DejaVu Sans, in em.
_WIDTH = {
    " ": .318, "!": .400, '"': .460, "'": .275, "(": .390, ")": .390, "*": .500,
    "+": .838, ",": .318, "-": .361, ".": .318, "/": .337, ":": .337, ";": .337,
    "<": .838, "=": .838, ">": .838, "?": .531, "[": .390, "]": .390, "_": .500,
    "≈": .838, "…": 1.0, "×": .838, "→": .838, "µ": .636,
    "A": .684, "B": .686, "C": .698, "D": .770, "E": .632, "F": .575, "G": .775,
    "H": .752, "I": .295, "J": .295, "K": .656, "L": .557, "M": .863, "N": .748,
    "O": .787, "P": .603, "Q": .787, "R": .695, "S": .635, "T": .611, "U": .732,
    "V": .684, "W": .989, "X": .685, "Y": .611, "Z": .685,
    "a": .613, "b": .635, "c": .550, "d": .635, "e": .615, "f": .352, "g": .635,
    "h": .634, "i": .278, "j": .278, "k": .579, "l": .278, "m": .974, "n": .634,
    "o": .612, "p": .635, "q": .635, "r": .411, "s": .521, "t": .392, "u": .634,
    "v": .592, "w": .818, "x": .592, "y": .592, "z": .525,
}


def is_wide(ch: str) -> bool:
    """Is ``ch`` a wide East Asian character (an ideograph, a full-width mark)?"""
    return unicodedata.east_asian_width(ch) in "WF"


def _em(ch: str) -> float:
    if ch in _WIDTH:
        return _WIDTH[ch]
    if ch.isdigit():
        return .636
    return 1.0 if is_wide(ch) else .7


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``text`` at ``size`` (px, or pt in Graphviz's units)."""
    w = sum(_em(ch) for ch in text) * size
    return w * (1.08 if bold else 1.0)


def family(latin: str) -> str:
    """The font list for a picture whose Latin fonts are ``latin`` (ending in a generic
    family such as ``sans-serif``): the CJK fonts go before the generic one when the
    language spoken is Chinese; in English the list is ``latin`` itself."""
    if language() != "zh":
        return latin
    head, sep, generic = latin.rpartition(", ")
    return f"{head}, {CJK_FONTS}, {generic}" if sep else f"{latin}, {CJK_FONTS}"
