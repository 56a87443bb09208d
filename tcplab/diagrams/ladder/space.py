"""Geometry for placing labels: what is already drawn, and what a new label would cover."""

from __future__ import annotations

import math
from bisect import insort
from dataclasses import dataclass


def _rect(cx: float, cy: float, w: float, h: float, angle: float = 0.0) -> list[tuple]:
    """Corners of a w×h rectangle centred on (cx, cy), turned by ``angle`` degrees."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ux, uy, vx, vy = c * w / 2, s * w / 2, -s * h / 2, c * h / 2
    return [(cx - ux - vx, cy - uy - vy), (cx + ux - vx, cy + uy - vy),
            (cx + ux + vx, cy + uy + vy), (cx - ux + vx, cy - uy + vy)]


def _bbox(poly) -> tuple[float, float, float, float]:
    if len(poly) == 4:                # a rectangle: the same numbers, without lists
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = poly
        return min(x0, x1, x2, x3), min(y0, y1, y2, y3), max(x0, x1, x2, x3), max(y0, y1, y2, y3)
    xs = [p[0] for p in poly]
    ys = [p[1] for p in poly]
    return min(xs), min(ys), max(xs), max(ys)


def _axes(poly):
    """The directions to project on: edge normals (two suffice for a rectangle)."""
    n = len(poly)
    if n == 4:                        # the same numbers, without the loop
        (x0, y0), (x1, y1), (x2, y2) = poly[0], poly[1], poly[2]
        out = []
        if x0 != x1 or y0 != y1:
            out.append((y0 - y1, x1 - x0))
        if x1 != x2 or y1 != y2:
            out.append((y1 - y2, x2 - x1))
        return out
    count = 1 if n == 2 else (2 if n == 4 else n)
    out = []
    for i in range(count):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (x1, y1) != (x2, y2):
            out.append((y1 - y2, x2 - x1))
    return out


def _separated(ax, ay, p, q) -> bool:
    pmin = pmax = p[0][0] * ax + p[0][1] * ay
    for x, y in p[1:]:
        v = x * ax + y * ay
        if v < pmin:
            pmin = v
        elif v > pmax:
            pmax = v
    qmin = qmax = q[0][0] * ax + q[0][1] * ay
    for x, y in q[1:]:
        v = x * ax + y * ay
        if v < qmin:
            qmin = v
        elif v > qmax:
            qmax = v
    return pmax <= qmin + 1e-9 or qmax <= pmin + 1e-9


def _overlap(p, q) -> bool:
    """Do two convex polygons (or segments, as two points) overlap? (separating axes)"""
    for ax, ay in _axes(p):
        if _separated(ax, ay, p, q):
            return False
    for ax, ay in _axes(q):
        if _separated(ax, ay, p, q):
            return False
    return True


@dataclass
class _Obstacle:
    poly: list
    bbox: tuple
    weight: float
    owner: object = None
    axes: list = None            # its edge normals, computed once
    ranges: list = None          # (ax, ay, lo, hi): its projection on each of its axes


def _ranges(poly, axes) -> list[tuple]:
    """A polygon's projection on each of ``axes``: (ax, ay, min, max)."""
    out = []
    for ax, ay in axes:
        vs = [x * ax + y * ay for x, y in poly]
        out.append((ax, ay, min(vs), max(vs)))
    return out


def _rect_projections(p) -> list[tuple]:
    """:func:`_ranges` of a rectangle on its :func:`_axes`: the same numbers, without
    lists or loops (a label tries dozens of rectangles)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p
    out = []
    if x0 != x1 or y0 != y1:
        ax, ay = y0 - y1, x1 - x0
        a, b, c, d = x0 * ax + y0 * ay, x1 * ax + y1 * ay, x2 * ax + y2 * ay, x3 * ax + y3 * ay
        out.append((ax, ay, min(a, b, c, d), max(a, b, c, d)))
    if x1 != x2 or y1 != y2:
        ax, ay = y1 - y2, x2 - x1
        a, b, c, d = x0 * ax + y0 * ay, x1 * ax + y1 * ay, x2 * ax + y2 * ay, x3 * ax + y3 * ay
        out.append((ax, ay, min(a, b, c, d), max(a, b, c, d)))
    return out


def _hits(p, p_ranges, o: _Obstacle) -> bool:
    """:func:`_overlap_axes` of the rectangle ``p`` and ``o``, each one's projections
    on its own axes computed once (the same products and comparisons, so the same
    answer, in less than half the time).  The polygons overlap unless one axis
    separates them, whichever is tried first: ``o``'s own axes come first, as their
    projections are known and, for a long line, its own axis is the one that usually
    separates."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p
    for ax, ay, qmin, qmax in o.ranges:
        a, b, c, d = x0 * ax + y0 * ay, x1 * ax + y1 * ay, x2 * ax + y2 * ay, x3 * ax + y3 * ay
        hi = a if a > b else b
        if c > hi:
            hi = c
        if d > hi:
            hi = d
        if hi <= qmin + 1e-9:
            return False
        lo = a if a < b else b
        if c < lo:
            lo = c
        if d < lo:
            lo = d
        if qmax <= lo + 1e-9:
            return False
    q = o.poly
    if len(q) == 2:                   # a line: its two ends, without the loop
        (qx0, qy0), (qx1, qy1) = q
        for ax, ay, pmin, pmax in p_ranges:
            a, b = qx0 * ax + qy0 * ay, qx1 * ax + qy1 * ay
            lo, hi = (a, b) if a <= b else (b, a)
            if pmax <= lo + 1e-9 or hi <= pmin + 1e-9:
                return False
        return True
    for ax, ay, pmin, pmax in p_ranges:
        lo = hi = None
        for x, y in q:
            v = x * ax + y * ay
            if lo is None:
                lo = hi = v
            elif v < lo:
                lo = v
            elif v > hi:
                hi = v
        if pmax <= lo + 1e-9 or hi <= pmin + 1e-9:
            return False
    return True


def _overlap_axes(p, p_axes, q, q_axes) -> bool:
    """:func:`_overlap` with both polygons' axes already known."""
    for ax, ay in p_axes:
        if _separated(ax, ay, p, q):
            return False
    for ax, ay in q_axes:
        if _separated(ax, ay, p, q):
            return False
    return True


def _heaviest_first(entry: tuple) -> float:
    return -entry[4].weight


class _Space:
    """What is already drawn, for placing labels where they hide nothing."""

    BAND = 48.0   # items are filed in horizontal bands, so a query looks only nearby

    def __init__(self, width: float, height: float):
        self.items: list[_Obstacle] = []
        self.bands: dict[int, list[tuple]] = {}     # (x0, y0, x1, y1, item) each
        self.width, self.height = width, height

    def _bands(self, y0: float, y1: float) -> range:
        return range(int(y0 // self.BAND), int(y1 // self.BAND) + 1)

    def add(self, poly, weight: float, owner=None) -> None:
        axes = _axes(poly)
        self.file(_Obstacle(poly, _bbox(poly), weight, owner, axes, _ranges(poly, axes)))

    def file(self, o: _Obstacle) -> None:
        """Add the item ``o`` (never changed afterwards: spaces may share it).

        Each band lists its items heaviest first: most counts stop at a limit (the
        best place so far), and a heavy item met first reaches it in fewer tests.
        The order changes no cost under the limit (whole weights add up exactly in
        any order), only where a count past it stops, which no caller reads."""
        self.items.append(o)
        for band in self._bands(o.bbox[1], o.bbox[3]):
            insort(self.bands.setdefault(band, []), (*o.bbox, o), key=_heaviest_first)

    def near(self, box) -> list[_Obstacle]:
        """Every item whose bounding box meets ``box`` (x0, y0, x1, y1): all that
        :meth:`cost` could count for a polygon inside it."""
        x0, y0, x1, y1 = box
        seen: set[int] = set()
        out = []
        for band in self._bands(y0, y1):
            for bx0, by0, bx1, by1, o in self.bands.get(band, ()):
                if bx0 > x1 or bx1 < x0 or by0 > y1 or by1 < y0 or id(o) in seen:
                    continue
                seen.add(id(o))
                out.append(o)
        return out

    def cost(self, poly, owner=None, limit: float = float("inf"), box=None) -> float:
        """What placing ``poly`` would cover; stops counting once ``limit`` is reached.
        (``box``: its bounding box, if known.)"""
        x0, y0, x1, y1 = _bbox(poly) if box is None else box
        total = 0.0
        if x0 < 2 or y0 < 2 or x1 > self.width - 2 or y1 > self.height - 2:
            total += 50
            if total >= limit:
                return total
        rect = len(poly) == 4
        axes = p_ranges = None          # worked out at the first item in reach
        bands = self._bands(y0, y1)
        seen: set[int] | None = set() if len(bands) > 1 else None
        for band in bands:
            for bx0, by0, bx1, by1, o in self.bands.get(band, ()):
                if bx0 > x1 or bx1 < x0 or by0 > y1 or by1 < y0:
                    continue
                if o.owner is not None and o.owner is owner:
                    continue
                if seen is not None:          # an item filed in several bands counts once
                    if id(o) in seen:
                        continue
                    seen.add(id(o))
                if rect:
                    if p_ranges is None:
                        p_ranges = _rect_projections(poly)
                    hit = _hits(poly, p_ranges, o)
                else:
                    if axes is None:
                        axes = _axes(poly)
                    hit = _overlap_axes(poly, axes, o.poly, o.axes)
                if hit:
                    total += o.weight
                    if total >= limit:
                        return total
        return total


def _bezier(p0, c, p1, t):
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0],
            u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1])
