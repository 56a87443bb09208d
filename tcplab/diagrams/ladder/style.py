"""The ladder's look: colours, type sizes, spacing, and text widths."""

from __future__ import annotations

from functools import lru_cache

from .. import fonts

#: widths of text: DejaVu Sans's advances for Latin, one em for a Chinese character
#: (remembered: a lab's ladder measures the same labels after every click)
text_width = lru_cache(maxsize=4096)(fonts.text_width)

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1a1a1a"          # arrows, host names
GREY = "#6b6b6b"         # notes, axis
LIGHT = "#8a8a8a"        # lifelines of names with no host, breaks (3.4:1: AA for graphics)
ACCENT = "#c62828"       # the cross of a lost segment
STATE_INK = "#3f5f7f"    # state names (muted blue-grey)
STATE_FILL = "#f1f5f9"
STATE_LINE = "#7b8fa3"   # (3.3:1 on white)

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
