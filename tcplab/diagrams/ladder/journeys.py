"""A segment's journeys, read from the trace: where each arrow starts and ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...segment import Segment
from ...trace import Cause
from .style import HOLD_AT, JUST_SENT


@dataclass(eq=False)
class _Flight:
    """One arrow: a segment's journey over the wire (a copy's journey is its own; a
    held segment's journey is two arrows, up to the held box and on from its release)."""

    seg: Segment
    t0: float                    # when it left (its sender, or the hold box if released)
    when: float                  # the time that decides the lecture's letters
    kind: str = "arrive"         # arrive lost drop hold inflight expire unroutable
    t1: float | None = None      # when it arrived / was lost / expired
    copy: bool = False
    retransmission: bool = False
    injected: bool = False
    released: "_Flight | None" = None   # a release: the held journey it continues
    release_time: float | None = None   # a hold: when it was released (None: still held)
    ignored: bool = False
    index: int = 0
    label: str = ""
    pieces: list = field(default_factory=list)

    @property
    def src(self) -> str:
        return self.seg.src

    @property
    def dst(self) -> str:
        return self.seg.dst


class _Reader:
    """The journeys of segments and the state changes a trace records, read as the
    trace grows: :meth:`feed` takes the records added since, :meth:`journeys` says
    what is drawn now (marking those still on the wire).

    Records of one segment on the wire share its journey number (tcplab.trace).
    ``delay`` is the network's one-way delay when the records were read: a lost or
    held segment is drawn stopping part of that way.
    """

    def __init__(self, delay: float):
        self.delay = delay
        self.flights: list[_Flight] = []
        self.states: list[tuple] = []
        self.sockets: list[tuple] = []      # each state's (port, remote), in order
        self.read = 0                       # how many records were fed
        self._on_wire: dict[int, _Flight] = {}   # journey → its flight, until it ends
        self._held: dict[int, _Flight] = {}
        self._arrived: dict[int, _Flight] = {}

    def _start(self, seg, t0, journey, **kw) -> _Flight:
        f = _Flight(seg, t0, index=len(self.flights), **kw)
        self.flights.append(f)
        self._on_wire[journey] = f
        return f

    def feed(self, records) -> "_Reader":
        on_wire, held, arrived, delay = self._on_wire, self._held, self._arrived, self.delay
        for r in records:
            self.read += 1
            k, seg = r.kind, r.segment
            if seg is None:
                if k == "state" and r.state is not None:
                    self.states.append((r.time, r.host, r.state))
                    self.sockets.append((r.port, r.remote))
            elif k in ("send", "inject"):
                self._start(seg, r.time, r.journey, when=r.time, injected=(k == "inject"),
                            retransmission=(r.cause is Cause.RETRANSMISSION))
            elif k == "duplicate":
                f = on_wire.get(r.copy_of)
                if f is not None:
                    c = self._start(seg, f.t0, r.journey, when=f.when, copy=True,
                                    injected=f.injected, retransmission=f.retransmission)
                    c.released = f.released
            elif k in ("drop", "lost", "hold"):
                f = on_wire.pop(r.journey, None)
                if f is not None:
                    _stop(f, k, delay)
                    if k == "hold":
                        held[r.journey] = f
            elif k == "release":
                h = held.pop(r.journey, None)
                if h is not None:
                    h.release_time = r.time
                self._start(seg, r.time, r.journey, when=h.when if h else r.time, released=h)
            elif k in ("arrive", "unroutable", "expire"):
                f = on_wire.pop(r.journey, None)
                if f is None:                # a journey whose start the trace does not show
                    sent_at = r.sent_at if r.sent_at is not None else r.time - delay
                    f = _Flight(seg, sent_at, when=sent_at, index=len(self.flights))
                    self.flights.append(f)
                f.kind, f.t1 = k, r.time
                arrived[r.journey] = f
            elif k == "ignore" and r.journey in arrived:
                arrived[r.journey].ignored = True
        return self

    def journeys(self, in_flight) -> tuple[list[_Flight], list[tuple]]:
        """Every journey and state change so far; ``in_flight`` (``net.in_flight()``)
        says when those still on the wire arrive (until a record ends them, they are
        drawn in flight)."""
        arrives = {w.journey: w.arrives for w in in_flight if w.arrives is not None}
        for journey, f in self._on_wire.items():
            f.kind = "inflight"
            f.t1 = arrives.get(journey, f.t0 + self.delay)
        return self.flights, self.states


def _read(records, delay: float, in_flight) -> tuple[list[_Flight], list[tuple]]:
    """The journeys of segments and the state changes a whole trace records."""
    return _Reader(delay).feed(records).journeys(in_flight)


def _stop(f: _Flight, kind: str, delay: float) -> None:
    """``f`` leaves the wire part of the way: lost or dropped half-way, held further on."""
    f.kind = kind
    f.t1 = f.t0 + (HOLD_AT * delay if kind == "hold" else delay / 2)


def _cut(f: _Flight, start: float, end: float, end_open: bool, now: float) -> list[list]:
    """The pieces of ``f`` to draw in the window from ``start`` to ``end``.

    Each piece is [role, a0, s0, a1, s1, cut_top, cut_bottom]: role "main",
    "held" (up to the held box) or "wait" (below it, until the release), from
    ``a0`` to ``a1`` of the way between the two lines, from time ``s0`` to
    ``s1``, and whether the window's top or bottom edge cuts it.
    """
    pieces = []
    if f.kind == "hold":
        stop = f.release_time if f.release_time is not None else now
        pieces.append(["held", 0.0, f.t0, HOLD_AT, f.t1])
        pieces.append(["wait", HOLD_AT, f.t1, HOLD_AT, max(stop, f.t1)])
    elif f.released is not None:
        pieces.append(["main", HOLD_AT, f.t0, 1.0, f.t1])
    elif f.kind in ("lost", "drop", "expire"):
        pieces.append(["main", 0.0, f.t0, 0.5, f.t1])
    else:
        pieces.append(["main", 0.0, f.t0, 1.0, f.t1])
    kept = []
    for role, a0, s0, a1, s1 in pieces:
        if s1 < start or s0 > end or (end_open and s0 >= end):
            continue
        cut_top = s0 < start
        cut_bottom = s1 > end or (end_open and s1 >= end and s1 > s0)
        if cut_top:
            a0 = a0 + (a1 - a0) * (start - s0) / (s1 - s0)
            s0 = start
        if cut_bottom:
            # a segment that has only just left is still drawn a little way
            # out, so that it and its label can be seen (JUST_SENT)
            a1 = (a0 + (a1 - a0) * max((end - s0) / (s1 - s0), JUST_SENT)
                  if s1 > s0 else a1)
            s1 = end
        kept.append([role, a0, s0, a1, s1, cut_top, cut_bottom])
    return kept
