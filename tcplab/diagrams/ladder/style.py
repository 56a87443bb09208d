"""The ladder's look: colours, type sizes, spacing, and text widths."""

from __future__ import annotations

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1a1a1a"          # arrows, host names
GREY = "#6b6b6b"         # notes, axis
LIGHT = "#b4b4b4"        # lifelines of names with no host, breaks
ACCENT = "#c62828"       # the cross of a lost segment
STATE_INK = "#3f5f7f"    # state names (muted blue-grey)
STATE_FILL = "#f1f5f9"
STATE_LINE = "#a8bccf"

LABEL_SIZE = 12.0
NOTE_SIZE = 10.0
STATE_SIZE = 11.0
HOST_SIZE = 15.0
AXIS_SIZE = 10.0

DELAY_PX = 44.0          # one one-way delay, vertically
GAP_PX = 56.0            # a quiet stretch, however long
HOLD_AT = 0.7            # where along the way a held segment waits (fraction)
BOW = 14.0               # how far the arrow of a copy bows out, at its middle
MAX_ROTATION = 40.0      # steeper arrows get horizontal labels
JUST_SENT = 0.25         # least part of the way drawn for a segment cut by the bottom line

# Advance widths of DejaVu Sans, in em (the widest font of the stack, so the
# estimates are safe for Helvetica and Arial).
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


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in px of ``text`` at ``size`` px (DejaVu Sans metrics)."""
    w = sum(_WIDTH.get(ch, .636 if ch.isdigit() else .7) for ch in text) * size
    return w * (1.08 if bold else 1.0)
