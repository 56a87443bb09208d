"""Placing again only what changed: a memo of the ladder's placements.

Placing a word beside an arrow (a label, a mark, a state box) tries places one after
the other and keeps the one that hides least; that is what takes the time of a ladder.
Each placement is a pure function of its arguments and of what the space
(:class:`~.space._Space`) holds where it tries: ``_Space.cost`` counts only the items
whose bounding box meets the polygon it tries, plus a penalty at the picture's border.
So the memo keeps, for each placement, the region it tried (the bounding box of every
polygon it tried), the items of the space in that region, and what it wrote and added.
The next picture that makes the same placement, with the same arguments and the same
border around it, gets what it wrote and added again without trying a single place if
the items in that region are the same, or if those that changed cost nothing more or
less anywhere it tried.  If they do, the placement is made again, but each place it
tried last time costs what it cost then plus what the changed items add or take away,
so only new places are counted in the space.  A placement with new arguments is made
anew.  Every picture is made the same way, in the same order, with or without a memo:
a memo only skips work whose outcome is known, so the SVG is the same as the full
draw's.

Items are compared by their geometry, weight and owner, exactly, but for one thing: a
vertical line (a host's time line, a held segment's wait) grows at the bottom as time
runs, so only whether it reaches past the region counts.  The projections that decide
whether a rectangle touches such a line depend on its length only through a 1e-9 px
tolerance, so a longer line gives the same answer unless a place tried touches the
line within a billionth of a pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

from .space import (_axes, _bbox, _hits, _Obstacle, _overlap, _ranges, _rect_projections,
                    _Space)

__all__ = ["PlacementMemo"]


@dataclass
class _Placement:
    """What one placement saw (``region``, ``border``, ``items``) and did."""

    region: tuple | None         # x0, y0, x1, y1 of every polygon it tried (None: none)
    tried: list                  # (polygon, its bounding box, tried for the owner)
    border: object               # "in": the region is clear of the border; else the size
    items: dict                  # each item's key in the region → how many
    parts: list                  # the SVG elements it wrote
    adds: list                   # the items it added (the owner's: (polygon, weight, True))
    result: object               # what it returned
    costs: dict                  # (polygon, own adds before, for the owner) → its whole
                                 # cost, where it was under the limit
    add_keys: list               # (polygon, weight, owned) of each item it added, in order


class _Recorder:
    """A space seen through a placement: passes every call on, remembers where it looked
    and what it added."""

    def __init__(self, space: _Space, owner):
        self.space, self.owner = space, owner
        self.region: list | None = None
        self.tried: list = []
        self.adds: list = []
        self.add_keys: list = []
        self.costs: dict = {}

    def cost(self, poly, owner=None, limit: float = float("inf")) -> float:
        """The space's cost; one under ``limit`` is the whole cost (the space stops
        counting at the limit), remembered to work on when the space changes
        (:class:`_Replay`)."""
        if owner is not None and owner is not self.owner:
            raise ValueError("a placement tries places for its own owner only")
        box = _bbox(poly)
        for_owner = owner is not None
        self.tried.append((poly, box, for_owner))
        x0, y0, x1, y1 = box
        r = self.region
        if r is None:
            self.region = [x0, y0, x1, y1]
        else:
            r[0], r[1], r[2], r[3] = min(r[0], x0), min(r[1], y0), max(r[2], x1), max(r[3], y1)
        key = (tuple(poly), len(self.adds), for_owner)
        c = self._cost(key, poly, box, owner, limit)
        if c < limit:
            self.costs[key] = c
        return c

    def _cost(self, key, poly, box, owner, limit) -> float:
        return self.space.cost(poly, owner, limit, box)

    def add(self, poly, weight: float, owner=None) -> None:
        self.space.add(poly, weight, owner)
        owned = owner is not None and owner is self.owner
        self.add_keys.append((tuple(poly), weight, owned))
        # an item of no one is filed again as it is; one of the owner's is made anew
        self.adds.append((poly, weight, True) if owned else self.space.items[-1])


class _Replay(_Recorder):
    """A placement made again where some items changed: a polygon it tried last time,
    after the same own additions, costs what it cost then plus what the changed items
    add or take away (:class:`_Delta`); any other is counted in the space."""

    def __init__(self, space: _Space, owner, before: "_Placement", delta: "_Delta"):
        super().__init__(space, owner)
        self.before, self.delta = before, delta
        self.following = True            # the own additions are those of last time

    def _cost(self, key, poly, box, owner, limit) -> float:
        """(Past ``limit``, a whole cost answers as the space's stopped count would:
        a placement only compares a cost that reached its limit with a better one.)"""
        if self.following:
            c = self.before.costs.get(key)
            if c is not None:
                return c + self.delta.of(poly, box, owner is not None)
        return self.space.cost(poly, owner, limit, box)

    def add(self, poly, weight: float, owner=None) -> None:
        super().add(poly, weight, owner)
        n = len(self.add_keys)
        if (self.following and (n > len(self.before.add_keys)
                                or self.before.add_keys[n - 1] != self.add_keys[-1])):
            self.following = False


def _item_key(o, region, owner) -> tuple:
    """What of item ``o`` a placement in ``region`` (for ``owner``) can see."""
    poly = o.poly
    if len(poly) == 2 and poly[0][0] == poly[1][0]:
        (x, ya), (_x, yb) = poly          # a vertical line: where it ends, if in sight
        lo, hi = (ya, yb) if ya <= yb else (yb, ya)
        return ("|", x, ya <= yb, lo if lo >= region[1] else None,
                hi if hi <= region[3] else None, o.weight,
                o.owner is not None and o.owner is owner)
    return (tuple(poly), o.weight, o.owner is not None and o.owner is owner)


def _items(space: _Space, region, owner, skip=frozenset()) -> dict:
    out: dict = {}
    for o in space.near(region):
        if id(o) in skip:
            continue
        k = _item_key(o, region, owner)
        out[k] = out.get(k, 0) + 1
    return out


def _key_box(key, region) -> tuple:
    """The bounding box of the item ``key`` names (of its part in ``region``)."""
    if key[0] == "|":
        _bar, x, _down, lo, hi = key[:5]
        return (x, region[1] if lo is None else lo, x, region[3] if hi is None else hi)
    return _bbox(key[0])


def _key_item(key, region) -> _Obstacle:
    """The item ``key`` names (its part in ``region``), as the space files it."""
    if key[0] == "|":
        _bar, x, down, lo, hi = key[:5]
        poly = [(x, region[1] if lo is None else lo), (x, region[3] if hi is None else hi)]
        if not down:
            poly.reverse()
    else:
        poly = list(key[0])
    axes = _axes(poly)
    return _Obstacle(poly, _bbox(poly), key[-2], None, axes, _ranges(poly, axes))


class _Delta:
    """What the ``changed`` items (key → how many more, or fewer, than before) add to
    the cost of a polygon: ``_Space.cost`` adds the weight of each item whose polygon
    overlaps, past an item its bounding box misses, and past the owner's own items
    when the polygon is tried for the owner."""

    def __init__(self, changed: dict, region):
        self.changed, self.region = changed, region
        self.boxes = [(key, _key_box(key, region)) for key in changed]
        self.items: dict = {}

    def of(self, poly, box, for_owner: bool) -> float:
        x0, y0, x1, y1 = box
        delta = 0.0
        ranges = None
        for key, b in self.boxes:
            if b[0] > x1 or b[2] < x0 or b[1] > y1 or b[3] < y0 or (for_owner and key[-1]):
                continue
            item = self.items.get(key)
            if item is None:
                item = self.items[key] = _key_item(key, self.region)
            if len(poly) != 4:                    # as _Space.cost tries it
                hit = _overlap(poly, item.poly)
            else:
                if ranges is None:
                    ranges = _rect_projections(poly)
                hit = _hits(poly, ranges, item)
            if hit:
                delta += self.changed[key] * key[-2]
        return delta

    def none(self, tried) -> bool:
        """Does every polygon ``tried`` cost what it did?"""
        return not any(self.of(poly, box, for_owner) for poly, box, for_owner in tried)


def _compare(p: "_Placement", space: _Space, owner):
    """True if the placement ``p`` made would find the same cost everywhere it tried
    (``p`` then holds the items as they are: the next picture compares with these);
    else the :class:`_Delta` of the items changed in its region, or None when the
    border it saw changed."""
    if p.border != _border(space, p.region):
        return None
    if p.region is None:
        return True
    now = _items(space, p.region, owner)
    if now == p.items:
        return True
    changed = {k: now.get(k, 0) - p.items.get(k, 0) for k in now.keys() | p.items.keys()
               if now.get(k, 0) != p.items.get(k, 0)}
    delta = _Delta(changed, p.region)
    if not delta.none(p.tried):
        return delta
    p.items = now
    return True


def _border(space: _Space, region):
    """Whether the border penalty can apply to a polygon in ``region``."""
    if (region is None or (region[0] >= 2 and region[1] >= 2 and region[2] <= space.width - 2
                           and region[3] <= space.height - 2)):
        return "in"
    return (space.width, space.height)


class PlacementMemo:
    """The placements of the latest picture (and of the one being drawn), by arguments.

    ``place(key, owner, svg, space, fn, *args)`` does ``fn(svg, space, *args)`` — or
    writes and adds what it did the last time, if ``key`` (the arguments) and what the
    space holds where it looked are the same.  ``owner`` is the item whose own lines the
    placement may cover (a label's arrow).  :meth:`drawn` ends a picture: placements it
    did not use are forgotten, so the memo holds one picture's worth.
    """

    def __init__(self):
        self._kept: dict = {}
        self._used: dict = {}
        self.hits = self.misses = 0

    def place(self, key, owner, svg, space: _Space, fn, *args):
        p = self._kept.get(key) or self._used.get(key)
        seen = None if p is None else _compare(p, space, owner)
        if seen is True:
            self.hits += 1
            svg.parts += p.parts
            for item in p.adds:
                if isinstance(item, tuple):
                    space.add(item[0], item[1], owner)
                else:
                    space.file(item)
            self._used[key] = p
            return p.result
        self.misses += 1
        # some items changed where it looked: made again, from last time's costs
        rec = _Recorder(space, owner) if seen is None else _Replay(space, owner, p, seen)
        first_part, first_item = len(svg.parts), len(space.items)
        result = fn(svg, rec, *args)
        region = None if rec.region is None else tuple(rec.region)
        added = {id(o) for o in space.items[first_item:]}
        items = {} if region is None else _items(space, region, owner, added)
        self._used[key] = _Placement(region, rec.tried, _border(space, region), items,
                                     svg.parts[first_part:], rec.adds, result, rec.costs,
                                     rec.add_keys)
        return result

    def drawn(self) -> None:
        """The picture is done: keep what it used, forget the rest."""
        self._kept, self._used = self._used, {}
