"""Placing words beside arrows and marks where they hide as little as possible."""

from __future__ import annotations

import math
from functools import lru_cache

from .space import _bezier, _rect
from .style import GREY, INK, LABEL_SIZE, MAX_ROTATION, NOTE_SIZE, text_width
from .svg import _plate, _text


@lru_cache(maxsize=8192)       # a lab places the labels near a new arrow again: same places
def _along(x1, y1, x2, y2, curve, frac, side, w, h, away=0.0):
    """A w×h label beside the arrow at ``frac`` of its length; side -1 above, +1 below."""
    if curve is None:
        px, py = x1 + (x2 - x1) * frac, y1 + (y2 - y1) * frac
        dx, dy = x2 - x1, y2 - y1
    else:
        px, py = _bezier((x1, y1), curve, (x2, y2), frac)
        dx = 2 * (1 - frac) * (curve[0] - x1) + 2 * frac * (x2 - curve[0])
        dy = 2 * (1 - frac) * (curve[1] - y1) + 2 * frac * (y2 - curve[1])
    if dx < 0:
        dx, dy = -dx, -dy
    L = math.hypot(dx, dy) or 1.0
    angle = math.degrees(math.atan2(dy, dx))
    if abs(angle) > MAX_ROTATION:
        angle = 0.0
    nx, ny = dy / L, -dx / L          # the upper side of the arrow
    if ny > 0 or (ny == 0 and nx > 0):
        nx, ny = -nx, -ny
    if side > 0:
        nx, ny = -nx, -ny
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    support = abs(w / 2 * (c * nx + s * ny)) + abs(h / 2 * (-s * nx + c * ny))
    cx, cy = px + nx * (support + 2.5 + away), py + ny * (support + 2.5 + away)
    return cx, cy, angle, _rect(cx, cy, w, h, angle)


def _place_label(svg, space, f, text, main, note, bowed=0.0) -> None:
    x1, y1, x2, y2, curve = main
    w, h = text_width(text, LABEL_SIZE) + 4, LABEL_SIZE * 1.2
    nw, nh = text_width(note, NOTE_SIZE) + 4, NOTE_SIZE * 1.2
    fracs = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
    sides = (1, -1) if bowed > 0 else (-1, 1)     # -1: above the arrow
    best = None
    cost = space.cost
    # beside the arrow first; a row further out only if every place beside it
    # would cover another label
    for row in (0, 1, 2):
        for side in sides:
            for frac in fracs:
                cand = _along(x1, y1, x2, y2, curve, frac, side, w, h, row * h)
                limit = best[0] - 6 * row if best is not None else float("inf")
                raw = cost(cand[3], f, limit)
                c = raw + 6 * row
                if best is None or c < best[0]:
                    best = (c, cand, frac, side, raw)
                if c == 0:
                    break
            if best[0] == 0:
                break
        if best[0] < 20:
            break
    _, (cx, cy, angle, poly), frac, side, raw = best
    if raw:
        _plate(svg, cx, cy, w, h, angle)
    _text(svg, text, cx, cy, angle, LABEL_SIZE, INK, "label",
          data_src=f.src, data_dst=f.dst, data_sent=f"{f.t0:.6f}")
    space.add(poly, 20)
    if not note:
        return
    best = None
    for nside in (-side, side):
        for nfrac in (frac,) + fracs:
            cand = _along(x1, y1, x2, y2, curve, nfrac, nside, nw, nh)
            c = cost(cand[3], f, best[0] if best is not None else float("inf"))
            if best is None or c < best[0]:
                best = (c, cand)
            if c == 0:
                break
        if best[0] == 0:
            break
    cx, cy, angle, poly = best[1]
    if best[0]:
        _plate(svg, cx, cy, nw, nh, angle)
    _text(svg, note, cx, cy, angle, NOTE_SIZE, GREY, "note", italic=True)
    space.add(poly, 20)


def _place_mark(svg, space, f, word, x, y, colour) -> None:
    w, h = text_width(word, NOTE_SIZE) + 4, NOTE_SIZE * 1.2
    best = None
    for cx, cy in ((x, y + 8 + h / 2), (x + 8 + w / 2, y + 2), (x - 8 - w / 2, y + 2),
                   (x + 4 + w / 2, y + 8 + h / 2), (x - 4 - w / 2, y + 8 + h / 2),
                   (x, y - 8 - h / 2)):
        poly = _rect(cx, cy, w, h)
        c = space.cost(poly)
        if best is None or c < best[0]:
            best = (c, cx, cy, poly)
        if c == 0:
            break
    _, cx, cy, poly = best
    _text(svg, word, cx, cy, 0.0, NOTE_SIZE, colour, "mark", italic=True)
    space.add(poly, 20)
