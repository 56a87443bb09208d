"""The explorer's world: what it explores (:class:`World`) and within what (:class:`Bounds`,
the hosts' scripts of :class:`Call` s), and the segments on its wire (:class:`Packet`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from ..endpoint import Endpoint
from ..fsm import State
from ..platform import IN_BROWSER
from ..segment import Segment
from ..text import N_
from ..trace import joined, words

HOSTS = ("A", "B")

#: Where an exploration stops by default: about 15 s natively.  In the browser edition
#: Python runs several times slower, so it stops sooner and the page stays responsive
#: (every exploration of lesson 09 needs fewer than 5,000 states).
MAX_STATES = 200_000
BROWSER_MAX_STATES = 40_000
CALLS = ("listen", "connect", "send", "close", "abort")


def _whole(name: str, value, *, none_ok: bool = False, minimum: int = 0) -> None:
    if value is None and none_ok:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        also = " or None (no limit)" if none_ok else ""
        raise TypeError(f"{name} must be a whole number{also}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")



# --------------------------------------------------------------------------- bounds and scripts

@dataclass(frozen=True)
class Bounds:
    """How far the explorer looks: every behaviour that stays within these bounds.

    in_flight        at most this many segments on the wire at once (a behaviour that would
                     put more there is not explored)
    losses           segments the network may lose, in all
    duplicates       copies the network may make, in all (a copy may arrive much later: an
                     old duplicate)
    retransmissions  retransmission-timer expiries, in all (each resends a segment: the
                     sender's own duplicates); time cannot pass a retransmission deadline
                     once they are used up
    reorders         deliveries that overtake an earlier segment between the same two
                     hosts, in all (None: any number)
    depth            longest behaviour explored, in steps (None: no limit)
    max_states       stop (verdict "incomplete") after this many distinct states
    """

    in_flight: int = 3
    losses: int = 0
    duplicates: int = 1
    retransmissions: int = 1
    reorders: int | None = 1
    depth: int | None = None
    max_states: int = field(default_factory=lambda: BROWSER_MAX_STATES if IN_BROWSER
                            else MAX_STATES)

    def __post_init__(self):
        _whole("in_flight", self.in_flight, minimum=1)
        _whole("losses", self.losses)
        _whole("duplicates", self.duplicates)
        _whole("retransmissions", self.retransmissions)
        _whole("reorders", self.reorders, none_ok=True)
        _whole("depth", self.depth, none_ok=True, minimum=1)
        _whole("max_states", self.max_states, minimum=1)

    def describe(self) -> str:
        """The bounds in words (:class:`~tcplab.trace.Words`: English as data, shown in the
        language spoken)."""
        def n(count, one, many):
            return words(one if count == 1 else many, count=count)
        parts = [n(self.in_flight, N_("at most {count} segment in flight"),
                   N_("at most {count} segments in flight")),
                 n(self.losses, N_("{count} loss"), N_("{count} losses")),
                 n(self.duplicates, N_("{count} duplicate"), N_("{count} duplicates")),
                 n(self.retransmissions, N_("{count} retransmission"),
                   N_("{count} retransmissions")),
                 words(N_("any re-ordering")) if self.reorders is None
                 else n(self.reorders, N_("{count} re-ordering"), N_("{count} re-orderings"))]
        if self.depth is not None:
            parts.append(words(N_("at most {count} steps"), count=self.depth))
        return joined(", ", parts)


_STATE_NAMES = {s.value: s for s in State} | {s.name: s for s in State}


@dataclass(frozen=True, init=False)
class Call:
    """One application call of a host's script, with the states it may be made in.

    ``Call("close", "ESTABLISHED", "CLOSE-WAIT")``: close() once the host is in one of
    those states; ``Call("listen")`` (or just ``"listen"`` in a script): whenever the
    transition table allows it.
    """

    name: str
    states: frozenset | None

    def __init__(self, name: str, *states):
        if not isinstance(name, str) or name not in CALLS:
            raise ValueError(f"a script's call must be one of {', '.join(CALLS)}; "
                             f"got {name!r}")
        chosen = set()
        for s in states:
            if isinstance(s, str) and s in _STATE_NAMES:
                s = _STATE_NAMES[s]
            if not isinstance(s, State):
                raise ValueError(f"Call({name!r}, ...) takes state names such as "
                                 f"'ESTABLISHED' or State.CLOSE_WAIT; got {s!r}")
            chosen.add(s)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "states", frozenset(chosen) if chosen else None)

    def __str__(self) -> str:
        if self.states is None:
            return f"{self.name}()"
        order = [s for s in State if s in self.states]
        return f"{self.name}() in {' or '.join(map(str, order))}"

    def __repr__(self) -> str:
        order = [s for s in State if s in (self.states or ())]
        return "Call(" + ", ".join([repr(self.name)] + [repr(str(s)) for s in order]) + ")"


#: A connects and closes once ESTABLISHED; B listens, closes once A has closed (CLOSE-WAIT),
#: and listens again for the next client.
HANDSHAKE_SCRIPTS = {
    "A": ("connect", Call("close", "ESTABLISHED")),
    "B": ("listen", Call("close", "CLOSE-WAIT"), "listen"),
}
#: The same, and A connects again once it is CLOSED: a new incarnation of the connection.
RECONNECT_SCRIPTS = {
    "A": ("connect", Call("close", "ESTABLISHED"), "connect"),
    "B": ("listen", Call("close", "CLOSE-WAIT"), "listen"),
}
#: The bounds lesson 09 uses: three segments in flight, one copy by the network, one
#: retransmission, one segment overtaken, no loss (a segment may still never arrive:
#: a loss would only make room in flight).
LESSON_BOUNDS = Bounds(in_flight=3, losses=0, duplicates=1, retransmissions=1, reorders=1)


def _scripts(scripts) -> tuple[tuple[Call, ...], tuple[Call, ...]]:
    if scripts is None:
        scripts = HANDSHAKE_SCRIPTS
    if not isinstance(scripts, Mapping):
        raise TypeError("scripts must be a dict such as {'A': ['connect', "
                        "Call('close', 'ESTABLISHED')], 'B': ['listen']}; "
                        f"got {type(scripts).__name__}")
    unknown = [h for h in scripts if h not in HOSTS]
    if unknown:
        raise ValueError(f"the explorer's hosts are A and B; the scripts name "
                         f"{', '.join(map(repr, unknown))}")
    out = []
    for h in HOSTS:
        steps = scripts.get(h, ())
        if isinstance(steps, (str, Call)):
            steps = (steps,)
        if not isinstance(steps, (list, tuple)):
            raise TypeError(f"the script of {h} must be a list of calls, got {steps!r}")
        out.append(tuple(s if isinstance(s, Call) else Call(s) for s in steps))
    return out[0], out[1]


# --------------------------------------------------------------------------- the world

@dataclass(frozen=True)
class Packet:
    """A segment in flight: the segment, when it was sent (model time), and the
    incarnation of the connection that sent it (see :class:`World`)."""

    segment: Segment
    born: float
    incarnation: int
    copy: bool = field(default=False, compare=False)   # made by the network
    id: int = field(default=0, compare=False, repr=False)
    sig: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self):
        if not self.sig:
            object.__setattr__(self, "sig", signature(self.segment))


def signature(s: Segment) -> tuple:
    """What of a segment a world's key holds (its ports aside: the explorer's have none)."""
    return (s.src, s.dst, s.flags.value, s.seq, s.ack, s.data, s.window)


def fast_packet(segment: Segment, born: float, incarnation: int, copy: bool, id: int,
                sig: tuple) -> Packet:
    """``Packet(segment, born, incarnation, copy, id)`` whose ``sig`` is known: the same
    packet, made without the frozen dataclass's checks (the explorer makes thousands)."""
    p = _new(Packet)
    p.__dict__.update(segment=segment, born=born, incarnation=incarnation, copy=copy, id=id,
                      sig=sig)
    return p


_new = object.__new__


@dataclass(frozen=True)
class Delivery:
    """What the last step delivered: ``packet`` to host ``to``.

    old       the receiver was in a connection of a later incarnation than the one that
              sent the packet: the packet is a leftover of an earlier connection
    accepted  the receiver was in a connection (not CLOSED or LISTEN) and the segment
              changed its state or its numbers (rcv_nxt, snd_una)
    """

    packet: Packet
    to: str
    old: bool
    accepted: bool


def fast_delivery(packet: Packet, to: str, old: bool, accepted: bool) -> Delivery:
    """``Delivery(packet, to, old, accepted)``, made as :func:`fast_packet` is."""
    d = _new(Delivery)
    d.__dict__.update(packet=packet, to=to, old=old, accepted=accepted)
    return d


class World:
    """The joint state: what a property sees.  A property must only read it.

    A, B          the endpoints (also ``hosts["A"]``), with ``state``, ``iss``, ``irs``,
                  ``snd_una``, ``snd_nxt``, ``rcv_nxt``, ``timers`` ...
    in_flight     the :class:`Packet` s on the wire
    delivered     a :class:`Delivery` if the last step was an arrival, else None
    now           the model clock (seconds)
    incarnation   how many times both hosts have been without a connection (CLOSED or
                  LISTEN) at once after one of them had one: a connection begun after
                  that is a new *incarnation* (0 for the first)
    connection(h) the incarnation of host h's current connection (None without one): the
                  world's incarnation when h called connect(), or the packet's when a SYN
                  opened it (an old SYN opens a connection of an old incarnation)
    """

    __slots__ = ("eps", "now", "flight", "used", "pos", "incarnation", "busy", "tseq",
                 "tnext", "conns", "inc", "delivered", "_key", "_id")

    def __init__(self, eps, now, flight, used, pos, incarnation, busy, tseq, tnext,
                 conns=(0, 0), inc=(None, None), delivered=None):
        self.eps = eps
        self.now = now
        self.flight = flight
        self.used = used          # (losses, duplicates, retransmissions, reorders)
        self.pos = pos            # how many calls of each script were made
        self.incarnation = incarnation
        self.busy = busy          # a host has had a connection since both were closed
        self.tseq = tseq          # (host index, timer) -> order in which it was started
        self.tnext = tnext
        self.conns = conns        # ISNs each host has chosen (capped: the last one repeats)
        self.inc = inc            # incarnation of each host's connection, or None
        self.delivered = delivered
        self._key = None

    A = property(lambda self: self.eps[0], doc="host A's endpoint")
    B = property(lambda self: self.eps[1], doc="host B's endpoint")
    in_flight = property(lambda self: self.flight, doc="the packets on the wire")

    @property
    def hosts(self) -> dict[str, Endpoint]:
        return {"A": self.eps[0], "B": self.eps[1]}

    def connection(self, host: str) -> int | None:
        """The incarnation of ``host``'s current connection (None: it has none)."""
        if host not in HOSTS:
            raise ValueError(f"the hosts are A and B, not {host!r}")
        return self.inc[HOSTS.index(host)]

    def __repr__(self) -> str:
        return (f"<World t={self.now:g} s A:{self.eps[0].state} B:{self.eps[1].state} "
                f"{len(self.flight)} in flight>")

    # ------------------------------------------------------------------ identity

    @property
    def key(self) -> tuple:
        """Everything that decides what can happen next (not how the world was reached).

        Times are relative to now, incarnations relative to the world's."""
        if self._key is None:
            self._key = self.identity(_endpoint_key)
        return self._key

    def identity(self, endpoint_key) -> tuple:
        """:attr:`key`, with ``endpoint_key(ep, now)`` standing for each ``ep.key(now)``
        (the search numbers the endpoints' keys: a key of small numbers hashes faster)."""
        now = self.now
        e0, e1 = self.eps
        t0, t1 = e0.timers, e1.timers
        if not t0 and len(t1) == 1 or not t1 and len(t0) == 1:     # one timer running
            i, timers = (0, t0) if t0 else (1, t1)
            for name, deadline in timers.items():
                clock = ((i, name, deadline - now),)
        elif t0 or t1:
            tseq = self.tseq
            timers = [(deadline, tseq.get((0, name), 0), 0, name)
                      for name, deadline in t0.items()]
            timers += [(deadline, tseq.get((1, name), 0), 1, name)
                       for name, deadline in t1.items()]
            timers.sort()
            clock = tuple([(i, name, deadline - now) for deadline, _, i, name in timers])
        else:
            clock = ()
        n = self.incarnation
        c0, c1 = self.inc
        return (endpoint_key(e0, now), endpoint_key(e1, now), clock,
                tuple([(p.sig, now - p.born, n - p.incarnation) for p in self.flight]),
                self.used, self.pos, self.busy, self.conns,
                (None if c0 is None else n - c0, None if c1 is None else n - c1))


def _endpoint_key(ep: Endpoint, now: float) -> tuple:
    return ep.key(now)
