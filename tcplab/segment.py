"""TCP segments and the lecture's notation for them.

A :class:`Segment` is an immutable value: who sent it, to whom, which control
flags, the sequence and acknowledgment numbers and the data.  Hosts are named
by strings ("A", "B").  Ports are optional: a host's single connection (the
workbook's first lessons) carries none (``sport`` and ``dport`` are None), and
a connection made with ports (``b.listen(port=80)``, ``a.connect("B", port=80)``)
carries its socket pair's two ports, shown as ``A:49152→B:80``.

Two ways to write a segment in one line, as the lecture does:

numeric   ``SYN+ACK seq=300 ack=101``
symbolic  ``SYN+ACK, seq=y, ack=x+1``: every number is written relative to a
          named point of the story (x and y, the initial sequence numbers; u,
          the sequence number of the first FIN; v, the other side's sequence
          number when it acknowledges that FIN; w, the other side's FIN).
          Which numbers carry which letters is a :class:`Notation`, usually
          built from a trace by :meth:`Notation.from_segments`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from . import seqnum

__all__ = ["Flag", "Segment", "Notation", "DEFAULT_WINDOW"]

DEFAULT_WINDOW = 4096


class Flag(enum.Flag):
    """The control bits that connection management uses."""

    SYN = enum.auto()
    ACK = enum.auto()
    FIN = enum.auto()
    RST = enum.auto()
    PSH = enum.auto()

    def __contains__(self, other) -> bool:
        # `Flag.ACK in seg.flags` is asked a few times per segment: enum.Flag's own test
        # (isinstance, then the same comparison) costs twice this one
        if other.__class__ is Flag:
            value = other._value_
            return self._value_ & value == value
        return enum.Flag.__contains__(self, other)

    # `Flag.SYN | Flag.ACK` and `flags & Flag.ACK` are asked on every segment: enum.Flag's
    # own operators (a call of the class, by value) cost several times a look-up in the
    # table of the 32 combinations, which holds the very members enum.Flag would return
    def __or__(self, other):
        if other.__class__ is Flag:
            return _COMBINATIONS[self._value_ | other._value_]
        return enum.Flag.__or__(self, other)

    def __and__(self, other):
        if other.__class__ is Flag:
            return _COMBINATIONS[self._value_ & other._value_]
        return enum.Flag.__and__(self, other)

    __ror__ = __or__
    __rand__ = __and__

    def __str__(self) -> str:
        """``SYN+ACK``, ``FIN+ACK``, ``RST``; ``-`` for no flag at all."""
        names = [f.name for f in _FLAG_ORDER if f in self]
        return "+".join(names) if names else "-"


_FLAG_ORDER = (Flag.SYN, Flag.FIN, Flag.RST, Flag.PSH, Flag.ACK)
#: every combination of the flags, by value (enum.Flag's own members: Flag(3) is Flag(3))
_COMBINATIONS = tuple(Flag(value) for value in range(2 ** len(Flag)))
NO_FLAGS = Flag(0)
_SYN, _FIN = Flag.SYN._value_, Flag.FIN._value_


@dataclass(frozen=True)
class Segment:
    """One TCP segment.

    ``seq`` and ``ack`` are 32-bit unsigned integers; ``ack`` is 0 whenever the
    ACK flag is clear.  ``window`` is the receive window the sender
    advertises.  The segment occupies ``len`` sequence numbers: one for SYN,
    one for FIN, one per data byte.
    """

    src: str
    dst: str
    flags: Flag = NO_FLAGS
    seq: int = 0
    ack: int = 0
    data: bytes = b""
    window: int = field(default=DEFAULT_WINDOW, compare=True)
    #: source and destination ports; None on a host's single, port-less connection
    sport: int | None = None
    dport: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.src, str) or not isinstance(self.dst, str):
            raise TypeError("Segment src and dst are host names (strings), "
                            f"got {self.src!r} and {self.dst!r}")
        if not isinstance(self.flags, Flag):
            raise TypeError(f"Segment flags must be a tcplab.Flag such as Flag.SYN | Flag.ACK, "
                            f"got {self.flags!r}")
        for name in ("seq", "ack", "window"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Segment {name} must be an int, got {value!r}")
        if not 0 <= self.seq < seqnum.MOD:
            raise ValueError(f"Segment seq must be in [0, 2**32), got {self.seq}")
        if not 0 <= self.ack < seqnum.MOD:
            raise ValueError(f"Segment ack must be in [0, 2**32), got {self.ack}")
        if Flag.ACK not in self.flags and self.ack != 0:
            raise ValueError(f"Segment ack must be 0 when the ACK flag is clear, got ack={self.ack}")
        if not 0 <= self.window < 2**16:
            raise ValueError(f"Segment window must be in [0, 65536), got {self.window}")
        for name in ("sport", "dport"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 <= value < 2**16):
                raise ValueError(f"Segment {name} must be None or a port number in "
                                 f"[0, 65536), got {value!r}")
        if isinstance(self.data, (bytearray, memoryview)):
            object.__setattr__(self, "data", bytes(self.data))
        if not isinstance(self.data, bytes):
            raise TypeError(f"Segment data must be bytes, got {type(self.data).__name__}")

    @property
    def len(self) -> int:
        """Sequence space the segment occupies (SEG.LEN)."""
        # the flags' plain int: `Flag.SYN in flags` is an enum method call, on every segment
        flags = self.flags._value_
        return len(self.data) + ((flags & _SYN) != 0) + ((flags & _FIN) != 0)

    @property
    def end(self) -> int:
        """The sequence number just after this segment."""
        return seqnum.add(self.seq, self.len)

    def has(self, flags: Flag) -> bool:
        """All of ``flags`` are set."""
        return (self.flags & flags) == flags

    def describe(self, notation: "Notation | None" = None, *, when: float = float("inf"),
                 data: bool = True) -> str:
        """One line in the lecture's notation.

        Numeric: ``SYN+ACK seq=300 ack=101``.  With a :class:`Notation`:
        ``SYN+ACK, seq=y, ack=x+1`` (``when`` is the virtual time the
        segment was sent, which decides the letters in force).  Data is shown as its length
        (``len=5``) after the numbers.
        """
        if notation is None:
            parts = [str(self.flags), f"seq={self.seq}"]
            if Flag.ACK in self.flags:
                parts.append(f"ack={self.ack}")
            if data and self.data:
                parts.append(f"len={len(self.data)}")
            return " ".join(parts)
        parts = [str(self.flags), "seq=" + notation.name(self.src, self.seq, when)]
        if Flag.ACK in self.flags:
            parts.append("ack=" + notation.name(self.dst, self.ack, when))
        if data and self.data:
            parts.append(f"len={len(self.data)}")
        return ", ".join(parts)

    @property
    def ports(self) -> bool:
        """True if the segment carries ports (a connection made with ports)."""
        return self.sport is not None or self.dport is not None

    def __str__(self) -> str:
        if self.ports:
            return f"{self.src}:{self.sport}→{self.dst}:{self.dport} {self.describe()}"
        return f"{self.src}→{self.dst} {self.describe()}"

    def __repr__(self) -> str:
        # the ports only when there are some: a port-less segment reads as it always has
        fields = [f"src={self.src!r}", f"dst={self.dst!r}", f"flags={self.flags!r}",
                  f"seq={self.seq!r}", f"ack={self.ack!r}", f"data={self.data!r}",
                  f"window={self.window!r}"]
        if self.ports:
            fields += [f"sport={self.sport!r}", f"dport={self.dport!r}"]
        return f"Segment({', '.join(fields)})"


_new = object.__new__
_set = object.__setattr__


def trusted_segment(src: str, dst: str, flags: Flag, seq: int, ack: int, data: bytes,
                    window: int, sport: int | None = None, dport: int | None = None
                    ) -> Segment:
    """A :class:`Segment` of values already known valid (an endpoint's own, from its TCB),
    made without the checks: a frozen dataclass sets its fields one by one through
    object.__setattr__ and then checks each, several times the cost of the segment's
    whole journey through a simulation.  Anything from outside goes through Segment()."""
    seg = _new(Segment)
    _set(seg, "__dict__", {"src": src, "dst": dst, "flags": flags, "seq": seq, "ack": ack,
                           "data": data, "window": window, "sport": sport, "dport": dport})
    return seg


class Notation:
    """Names for sequence numbers, as the lecture writes them.

    ``anchors`` maps a host name (whose sequence space is meant) to a list of
    ``(letter, value, since[, until])`` entries: from virtual time ``since``
    until (not including) ``until``, ``value`` is called ``letter``.  A number is written relative to the
    latest anchor in force at or before it (``x+1``, ``u``, ``w+1``); a number
    before every anchor of its space is written as it is.  ``since`` matters
    because the lecture calls the same number ``x+1`` in the handshake and
    ``u`` once A has sent its FIN.
    """

    def __init__(self, anchors: Mapping[str, Sequence[tuple]] | None = None):
        inf = float("inf")
        self.anchors: dict[str, list[tuple[str, int, float, float]]] = {}
        for host, entries in (anchors or {}).items():
            self.anchors[host] = [
                (e[0], e[1], e[2] if len(e) > 2 else -inf, e[3] if len(e) > 3 else inf)
                for e in entries
            ]

    def name(self, host: str, value: int, when: float = float("inf")) -> str:
        """``value`` in ``host``'s sequence space at time ``when``, written symbolically."""
        # an anchor with no end (until=inf) is in force for ever, also at when=inf
        entries = [e for e in self.anchors.get(host, [])
                   if e[2] <= when and (when < e[3] or e[3] == float("inf"))]
        if not entries:
            return str(value)
        origin = entries[0][1]
        best: tuple[int, str, int] | None = None
        for letter, anchor, _since, _until in entries:
            if seqnum.le(anchor, value) and seqnum.ge(anchor, origin):
                key = seqnum.sub(anchor, origin)
                if best is None or key >= best[0]:
                    best = (key, letter, anchor)
        if best is None:
            return str(value)
        offset = seqnum.sub(value, best[2])
        return best[1] if offset == 0 else f"{best[1]}+{offset}"

    @classmethod
    def from_segments(cls, sent: Iterable) -> "Notation":
        """The lecture's letters for a story told by these segments, in order.

        ``sent`` holds segments or ``(time, segment)`` pairs (``net.sent``).
        x: ISN of the host that sent the first SYN; y: ISN of the other host
        (its SYN+ACK, or its own SYN).  u: sequence number of the first FIN;
        v: the sequence number the other host uses when it first acknowledges
        that FIN; w: the other host's FIN.  Only the first connection between
        the two hosts is named; letters for numbers that never occur are
        omitted.
        """
        anchors: dict[str, list[tuple[str, int, float, float]]] = {}
        first_fin: Segment | None = None
        v_done = w_done = False
        inf = float("inf")
        for index, item in enumerate(sent):
            when, seg = (item if isinstance(item, tuple) else (float(index), item))
            if Flag.RST in seg.flags:
                continue
            if Flag.SYN in seg.flags:
                if seg.src not in anchors and len(anchors) < 2:
                    letter = "x" if not anchors else "y"
                    anchors[seg.src] = [(letter, seg.seq, -inf, inf)]
                elif first_fin is not None:
                    # a new connection attempt after the close: u, v and w are over
                    for host, entries in anchors.items():
                        anchors[host] = [e if e[0] in "xy" or e[3] < inf else
                                         (e[0], e[1], e[2], when) for e in entries]
                continue
            if seg.src not in anchors:
                continue
            if first_fin is None and Flag.FIN in seg.flags:
                first_fin = seg
                anchors[seg.src].append(("u", seg.seq, when, inf))
                continue
            if first_fin is not None and seg.src == first_fin.dst:
                if (not v_done and not w_done and Flag.ACK in seg.flags
                        and seqnum.ge(seg.ack, first_fin.end)):
                    v_done = True
                    if Flag.FIN not in seg.flags:
                        anchors[seg.src].append(("v", seg.seq, when, inf))
                if not w_done and Flag.FIN in seg.flags:
                    anchors[seg.src].append(("w", seg.seq, when, inf))
                    w_done = True
        return cls(anchors)

    def __repr__(self) -> str:
        return f"Notation({self.anchors!r})"
