"""Trace exercises that shuffle a story: its segments as cards to put back in order.

The cards show who sends to whom, the control bits, seq, ack and data bytes, but
neither the time nor the state: the order is read from the numbers, as one reads a
capture.  Each student's cards are shuffled by their own variant::

    @exercise("order-close", N_("… put the cards in the order they are sent …"), LESSON,
              kind="order", vary=dict(x=…, shuffle=Choice(range(10**6), demo=…)),
              figure=lambda v: Cards(_rows(v), v["shuffle"]))
    def order_close(v, /, order=None, **other):
        return Cards(_rows(v), v["shuffle"]).judge(order, other)

Two segments sent at the same moment by the two hosts (a simultaneous close) may be
given in either order.
"""

from __future__ import annotations

import re
from math import factorial
from typing import Any

from ..text import _
from .framework import Feedback, Judged, judge
from .segment_rows import Row, table_html, table_text

__all__ = ["Cards", "permutation"]

#: what a card shows: no time and no state, which would give the order away
CARD_FIELDS = ("flags", "seq", "ack", "len")


def permutation(number: int, n: int) -> list[int]:
    """The ``number``-th ordering of 0 … n-1 (Lehmer code), never the identity for n > 1."""
    pool, order = list(range(n)), []
    k = number % factorial(n)
    for size in range(n, 0, -1):
        index, k = divmod(k, factorial(size - 1))
        order.append(pool.pop(index))
    if n > 1 and order == sorted(order):
        order.reverse()          # cards already in order would ask nothing
    return order


def _read(order: Any) -> list[int] | None:
    """The card numbers of an answer: [3, 1, 2], (3, 1, 2) or "3 1 2" / "3,1,2"."""
    if isinstance(order, str):
        words = [w for w in re.split(r"[\s,;>\-→]+", order.strip()) if w]
        return [int(w) for w in words] if all(w.isdigit() for w in words) else None
    if isinstance(order, (list, tuple)) and all(
            isinstance(c, int) and not isinstance(c, bool) for c in order):
        return list(order)
    return None


def _acknowledges(later: Row, earlier: Row) -> bool:
    return (later.src == earlier.dst and later.ack is not None
            and earlier.occupies() > 0 and later.ack >= earlier.seq + earlier.occupies())


class Cards:
    """A story's segments as cards: card i shows row ``order[i-1]``."""

    def __init__(self, rows: list[Row], shuffle: int, caption: str = ""):
        self.rows, self.caption = rows, caption
        self.shown = [rows[i] for i in permutation(shuffle, len(rows))]

    def label(self, row: Row) -> int:
        return next(i for i, r in enumerate(self.shown, 1) if r is row)

    def right(self) -> list[int]:
        """The cards in the order they were sent."""
        return [self.label(r) for r in self.rows]

    def _reason(self, placed: Row, first: Row) -> str:
        """Why ``first`` comes before ``placed``, from the numbers on the cards."""
        p, f = self.label(placed), self.label(first)
        if _acknowledges(placed, first):
            return _("card {p} acknowledges card {f} (its ack counts what {f} carries as "
                     "received), so card {f} was sent first").format(p=p, f=f)
        if placed.src == first.src and placed.seq != first.seq:
            return _("cards {f} and {p} are both sent by {src}, and {f}'s seq is lower: a host "
                     "numbers its segments in the order it sends them").format(
                         f=f, p=p, src=placed.src)
        if placed.src == first.src and first.occupies() == 0 < placed.occupies():
            return _("cards {f} and {p} are both sent by {src} with the same seq: card {f} "
                     "takes no number, but card {p} does, so anything {src} sends after card "
                     "{p} has a higher seq: card {f} came first").format(f=f, p=p, src=placed.src)
        if placed.src == first.src and (placed.ack or 0) > (first.ack or 0):
            return _("cards {f} and {p} are both sent by {src} with the same seq, and card {p} "
                     "acknowledges more: it was sent later").format(f=f, p=p, src=placed.src)
        return _("card {f} is sent before card {p}: look at what each one acknowledges").format(
            f=f, p=p)

    def judge(self, order: Any, other: dict[str, Any] | None = None) -> Feedback:
        n = len(self.rows)
        cards = _read(order)
        if order is None:
            verdict = Judged("order", None, False)
        elif cards is None:
            verdict = Judged("order", order, False, line=_(
                "order is the card numbers in the order they are sent, like order=[3, 1, 2], "
                "not {given!r}").format(given=order))
        elif sorted(cards) != list(range(1, n + 1)):
            verdict = Judged("order", order, False, line=_(
                "order should name each card 1 … {n} once; you gave {given}").format(
                    n=n, given=cards))
        else:
            verdict = self._judge_order(cards)
        return judge([verdict], set(other or {}), praise=_(
            "the cards are in the order TCP sent them"))

    def _judge_order(self, cards: list[int]) -> Judged:
        placed = [self.shown[c - 1] for c in cards]
        for i, row in enumerate(placed):
            before = [r for r in placed[i + 1:] if r.time < row.time]
            if before:
                first = min(before, key=lambda r: r.time)
                return Judged("order", cards, False, line=_(
                    "order={given}: card {p} cannot come at place {i}. {why}").format(
                        given=cards, p=cards[i], i=i + 1, why=self._reason(row, first)))
        return Judged("order", cards, True)

    def figure(self) -> "Cards":
        return self

    def _repr_html_(self) -> str:
        return table_html(self.shown, with_time=False, caption=self.caption,
                          labels=self._labels(), fields=CARD_FIELDS)

    def __str__(self) -> str:
        return table_text(self.shown, with_time=False, labels=self._labels(),
                          fields=CARD_FIELDS)

    def _labels(self) -> list[str]:
        return [str(i) for i in range(1, len(self.shown) + 1)]

    __repr__ = __str__
