"""The network's fault rules: what a lesson asks of the wire for matching segments.

``net.drop(match)``, ``net.duplicate(match)``, ``net.hold(match)`` and
``net.postpone(match, by=...)`` (:class:`~tcplab.network.Network`) each add a
:class:`Rule` to the network; a segment put on the wire meets the rules in order.  A
:class:`Hold` keeps its segments off the wire until it is released; a
:class:`Postpone` gives them extra time on the wire (MSL still applies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from .segment import Segment
from .text import N_
from .trace import Kind, words

if TYPE_CHECKING:
    from .network import Network

__all__ = ["Rule", "Hold", "Postpone"]


def _seconds(name: str, value, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value < 0 or (positive and value == 0) or value != value:
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'} seconds, "
                         f"got {value!r}")
    return float(value)


def _check_match(match) -> None:
    if not callable(match):
        raise TypeError("match must be a function of a Segment, for example "
                        "lambda s: s.flags == Flag.SYN")


def _check_count(count) -> None:
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                              or count < 1):
        raise ValueError(f"count must be None (all matching segments) or a whole number "
                         f">= 1, got {count!r}")


@dataclass(eq=False)
class Rule:
    """A fault rule: segments for which ``match`` is true get ``action``.

    ``count`` limits how many segments it takes (None: all); ``taken`` counts
    them.  A rule whose count is used up does nothing more.  ``cancel()``
    removes it.
    """

    action: str
    match: Callable[[Segment], bool]
    count: int | None
    network: "Network" = field(repr=False)
    taken: int = 0

    @property
    def active(self) -> bool:
        return self in self.network._rules and (self.count is None or self.taken < self.count)

    def cancel(self) -> None:
        if self in self.network._rules:
            self.network._rules.remove(self)


@dataclass(eq=False)
class Hold(Rule):
    """A hold rule; ``segments`` lists the segments it holds off the wire now."""

    segments: list[Segment] = field(default_factory=list)
    journeys: list[int] = field(default_factory=list, repr=False)   # one per segment

    def release(self) -> list[Segment]:
        """Put every held segment back on the wire now; the usual delay applies."""
        released, self.segments = self.segments, []
        journeys, self.journeys = self.journeys, []
        for seg, journey in zip(released, journeys):
            self.network._record(Kind.RELEASE, seg.src, seg,
                                 words(N_("held segment put back on the wire")), journey=journey)
            self.network._transmit(seg, journey, apply_faults=False)
        return released


@dataclass(eq=False)
class Postpone(Rule):
    """A postpone rule: matching segments spend ``by`` extra seconds on the wire.

    ``by`` is a number of seconds or a function of the segment giving one.
    Unlike a hold, a postponed segment still obeys MSL: if the usual delay
    plus ``by`` exceeds ``msl``, it expires on the wire at ``msl``.
    """

    by: float | Callable[[Segment], float] = 0.0

    def extra(self, seg: Segment) -> float:
        """The extra delay for ``seg``, in seconds."""
        return _seconds("the extra delay of a postpone rule",
                        self.by(seg) if callable(self.by) else self.by)
