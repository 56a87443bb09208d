"""A model checker for connection management: every behaviour within bounds (lesson 08).

``explore(prop, handshake=..., bounds=...)`` visits, breadth-first, every behaviour of two
real endpoints (:class:`tcplab.endpoint.Endpoint`, the same code the lessons run) and an
adversarial network, within stated bounds, and checks a property in every state it
reaches.  A property is a plain Python predicate over the joint state (a :class:`World`)
that returns True while all is well::

    def no_unasked_connection(w):
        "B is never ESTABLISHED for a connection A never asked for."
        if w.B.state is not State.ESTABLISHED:
            return True
        return w.A.state not in (State.CLOSED, State.LISTEN) and w.A.iss == w.B.irs

The answer is a :class:`Result`: either a *shortest* counterexample (breadth-first search
finds the violation with the fewest steps), which replays step for step on a
:class:`~tcplab.network.Network`, is drawn as a ladder diagram and opens in a
:class:`~tcplab.widgets.ConnectionLab`; or "no violation within these bounds", with the
number of distinct states explored.

The model
---------
A *world* is: the two endpoints; the segments in flight, each with its age; the model
clock; the faults used so far; how far each host's script has gone; and a little ghost
state for properties (below).  From a world the explorer tries, in this order:

``call``       the next call of a host's script (:class:`Call`), if the transition table
               allows it now (and the script's guard, e.g. ``close()`` only in ESTABLISHED)
``time``       time passes until the earliest running timer, which fires (a
               retransmission, or the end of TIME-WAIT); a segment older than MSL dies on
               the way
``deliver``    any segment in flight arrives: in any order, after any delay up to MSL
               (re-ordering and "a segment stuck in a router" are the network's choice)
``duplicate``  the network copies a segment in flight (bounded).  The copy is as old as
               the original and may arrive at once or much later: an old duplicate
``lose``       the network loses a segment in flight (bounded)

Calls and deliveries take no time; only timers move the clock, in the order of their
deadlines, as on a real network whose one-way delay is small.  A world is identified
(de-duplicated) by everything that decides what can happen next: the endpoints' states and
TCB numbers, their running timers (relative to now), the segments in flight (with their
ages), the faults left and the scripts' progress — not by how it was reached.  ISNs are
fixed per host (x=100, y=300, as in the labs), or fixed per connection (``iss=((100,
9100), (300, 9300))``: the first connection of A uses 100, the next ones 9100), which keeps
the space finite.

Ghost state: the *incarnation*.  Each time both hosts are without a connection (CLOSED or
LISTEN) after one of them had one, the connection between A and B is over; one begun
after that is a new incarnation.  A host's connection belongs to the incarnation in which
its application called connect(), or to the incarnation of the SYN that opened it; every
segment belongs to the connection that sent it.  ``w.delivered`` describes the last step's
arrival, if it was one: the packet, the receiver, whether it was *old* (the receiver's
connection is of a later incarnation than the packet) and whether it was *accepted* (the
receiver was in a connection, and the segment changed its state or its numbers).

Replay: :meth:`Counterexample.session` plays a counterexample on a lab session (a real
:class:`~tcplab.network.Network` with a one-way delay of 10 ms) with the lab's own
actions: application calls, ``("step",)`` for the next event, ``("set", "delay", s)`` so
that each segment arrives exactly when the counterexample delivers it (a slow path, at
most MSL), ``("arm", "drop")`` for a lost one, ``("arm", "hold")`` / ``("release", i)``
for one that must wait longer; a copy made by the network is a held segment injected
again (``("copy", i)``, an action of the explorer's own session).  Replaying checks, step
by step, that the real endpoints go through the explorer's states with its numbers.
"""

from __future__ import annotations

import copy
import html
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from .endpoint import RETRANSMIT, TIME_WAIT, Endpoint, StartTimer, Transmit
from .fsm import State, table
from .segment import Flag, Notation, Segment

__all__ = [
    "explore", "Bounds", "Call", "World", "Packet", "Delivery", "Result", "Counterexample",
    "Step", "Report", "ReplayError", "no_unasked_connection", "no_old_segment_accepted",
    "HANDSHAKE_SCRIPTS", "RECONNECT_SCRIPTS", "LESSON_BOUNDS", "REPLAY_DELAY",
]

HOSTS = ("A", "B")
#: States in which a host has no connection (no TCB bound to a peer).
NO_CONNECTION = frozenset({State.CLOSED, State.LISTEN})
CALLS = ("listen", "connect", "send", "close", "abort")
#: The one-way delay of the network a counterexample is replayed on (seconds).
REPLAY_DELAY = 0.01


# --------------------------------------------------------------------------- errors

class ReplayError(RuntimeError):
    """A counterexample could not be replayed on a real network as the explorer saw it."""


def _whole(name: str, value, *, none_ok: bool = False, minimum: int = 0) -> None:
    if value is None and none_ok:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        also = " or None (no limit)" if none_ok else ""
        raise TypeError(f"{name} must be a whole number{also}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")


def _seconds(name: str, value, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value != value or value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'} seconds, "
                         f"got {value!r}")
    return float(value)


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
    max_states: int = 200_000

    def __post_init__(self):
        _whole("in_flight", self.in_flight, minimum=1)
        _whole("losses", self.losses)
        _whole("duplicates", self.duplicates)
        _whole("retransmissions", self.retransmissions)
        _whole("reorders", self.reorders, none_ok=True)
        _whole("depth", self.depth, none_ok=True, minimum=1)
        _whole("max_states", self.max_states, minimum=1)

    def describe(self) -> str:
        def n(v, one, many):
            return f"{v} {one if v == 1 else many}"
        parts = [f"at most {n(self.in_flight, 'segment', 'segments')} in flight",
                 n(self.losses, "loss", "losses"),
                 n(self.duplicates, "duplicate", "duplicates"),
                 n(self.retransmissions, "retransmission", "retransmissions"),
                 "any re-ordering" if self.reorders is None
                 else n(self.reorders, "re-ordering", "re-orderings")]
        if self.depth is not None:
            parts.append(f"at most {self.depth} steps")
        return ", ".join(parts)


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
#: The bounds lesson 08 uses: three segments in flight, one copy by the network, one
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
            s = self.segment
            object.__setattr__(self, "sig", (s.src, s.dst, s.flags.value, s.seq, s.ack,
                                             s.data, s.window))


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
                 "tnext", "conns", "inc", "delivered", "_key")

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
            now = self.now
            timers = []
            for i, ep in enumerate(self.eps):
                for name, deadline in ep.timers.items():
                    timers.append((deadline, self.tseq.get((i, name), 0), i, name))
            timers.sort()
            n = self.incarnation
            self._key = (
                _ep_key(self.eps[0], now), _ep_key(self.eps[1], now),
                tuple((i, name, deadline - now) for deadline, _, i, name in timers),
                tuple((p.sig, now - p.born, n - p.incarnation) for p in self.flight),
                self.used, self.pos, self.busy, self.conns,
                tuple(None if c is None else n - c for c in self.inc))
        return self._key


# Endpoint attributes that are configuration or record-keeping: they never differ between
# two worlds of one exploration, or they do not decide what happens next.
_EP_IGNORED = frozenset({
    "name", "handshake", "time_wait_syn", "time_wait", "mss", "window", "rto_initial",
    "rto_max", "max_retries", "user_timeout", "_iss_source", "history", "transitions",
    "_out", "_now", "timers", "_xkey"})
# Attributes holding immutable values (states, numbers, strings, None): taken as they are.
_EP_PLAIN = frozenset({
    "peer", "passive", "reopened", "iss", "irs", "snd_una", "snd_nxt", "snd_wnd",
    "rcv_nxt", "error", "_fin_wanted", "_fin_seq", "_ooo_fin", "_ack_needed", "_srtt",
    "_rttvar", "_rto", "_retries"})
_LAYOUTS: dict = {}


def _freeze(v):
    t = type(v)
    if v is None or t is bool or t is int or t is float or t is str or t is bytes:
        return v
    if t is bytearray:
        return bytes(v)
    if t is list or t is tuple:
        return tuple(_freeze(x) for x in v)
    if t is dict:
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    if hasattr(v, "__dict__") and not isinstance(v, (State, Flag, Segment)):
        return (t.__name__,) + tuple(_freeze(x) for x in vars(v).values())
    return v


def _layout(names: tuple) -> tuple:
    """Which attributes of an endpoint go into its key, and how (computed once)."""
    layout = _LAYOUTS.get(names)
    if layout is None:
        plain = tuple(n for n in names if n in _EP_PLAIN)
        other = tuple(n for n in names if n not in _EP_PLAIN and n not in _EP_IGNORED)
        layout = _LAYOUTS[names] = (plain, other)
    return layout


def _ep_key(ep: Endpoint, now: float) -> tuple:
    """What of ``ep`` decides what happens next, with times relative to ``now``."""
    d = ep.__dict__
    cached = d.get("_xkey")
    if cached is not None and cached[0] == now:
        return cached[1]
    plain, other = _layout(tuple(d))
    parts = [d[n] for n in plain]
    parts.append(d["state"].value)      # (also in plain) a str hashes faster than an Enum
    for k in other:
        v = d[k]
        if k == "_last_dupack":
            v = (now - v) < ep.DUPACK_INTERVAL
        elif k == "_rtx":
            v = tuple((u.seq, u.flags.value, u.data, u.retransmitted, now - u.sent_at)
                      for u in v)
        elif k == "_ooo" and not v:
            v = ()
        else:
            v = _freeze(v)
        parts.append(v)
    key = tuple(parts)
    d["_xkey"] = (now, key)
    return key


_KNOWN_MUTABLE = ("history", "transitions", "_received", "timers", "_send_buffer", "_rtx",
                  "_ooo", "_before_reopen", "_out")
_MUTABLE_LAYOUTS: dict = {}


def _clone(ep: Endpoint) -> Endpoint:
    """A copy of ``ep`` that shares nothing mutable with it (much faster than deepcopy)."""
    d = ep.__dict__.copy()
    d.pop("_xkey", None)
    names = tuple(d)
    mutable = _MUTABLE_LAYOUTS.get(names)
    if mutable is None:
        mutable = _MUTABLE_LAYOUTS[names] = tuple(
            k for k in names if k in _KNOWN_MUTABLE
            or type(d[k]) in (list, dict, bytearray, set))
    for k in mutable:
        v = d[k]
        t = type(v)
        if t is list:
            if k == "_rtx":
                out = []
                for u in v:
                    c = object.__new__(type(u))
                    c.__dict__.update(u.__dict__)
                    out.append(c)
                d[k] = out
            else:
                d[k] = v.copy()
        elif t is dict:
            d[k] = copy.deepcopy(v) if k == "_before_reopen" else v.copy()
        elif t is bytearray:
            d[k] = bytearray(v)
        elif t is set:
            d[k] = set(v)
    new = object.__new__(type(ep))
    new.__dict__ = d
    return new


# --------------------------------------------------------------------------- the explorer

_LEGAL_CACHE: dict = {}


def _legal(ep: Endpoint) -> frozenset:
    key = (ep.state._name_, ep.handshake, getattr(ep, "time_wait_syn", "challenge-ack"))
    got = _LEGAL_CACHE.get(key)
    if got is None:
        got = frozenset(e.label for e in ep.legal_calls())
        _LEGAL_CACHE[key] = got
    return got


class _Explorer:
    """The model: scripts, bounds and the step function shared by search and replay."""

    def __init__(self, *, handshake, scripts, bounds, msl, time_wait, iss, max_retries,
                 payload):
        self.handshake = handshake
        self.scripts = scripts
        self.bounds = bounds
        self.msl = msl
        self.time_wait = time_wait
        self.iss = iss
        self.max_retries = max_retries
        self.payload = payload
        self.ids = 0

    def initial(self) -> World:
        eps = tuple(Endpoint(h, handshake=self.handshake, iss=self.iss[i][0],
                             time_wait=self.time_wait, max_retries=self.max_retries)
                    for i, h in enumerate(HOSTS))
        return World(eps, 0.0, (), (0, 0, 0, 0), (0, 0), 0, False, {}, 0)

    # ------------------------------------------------------------------ steps

    def actions(self, w: World) -> Iterable[tuple]:
        """The steps possible from ``w``, in the explorer's fixed order."""
        for i in (0, 1):
            script = self.scripts[i]
            pos = w.pos[i]
            if pos < len(script):
                call = script[pos]
                ep = w.eps[i]
                if call.name in _legal(ep) and (call.states is None
                                                or ep.state in call.states):
                    yield ("call", i)
        due = False
        first = self._earliest(w)
        if first is not None:
            deadline, _, i, name = first
            due = deadline <= w.now
            if name != RETRANSMIT or w.used[2] < self.bounds.retransmissions:
                yield ("time",)
        flight = w.flight
        if not due:
            for j, p in enumerate(flight):
                if p not in flight[:j]:
                    yield ("deliver", j)
        if w.used[1] < self.bounds.duplicates and len(flight) < self.bounds.in_flight:
            for j, p in enumerate(flight):
                if p not in flight[:j]:
                    yield ("duplicate", j)
        if w.used[0] < self.bounds.losses:
            for j, p in enumerate(flight):
                if p not in flight[:j]:
                    yield ("lose", j)

    @staticmethod
    def _earliest(w: World):
        best = None
        for i, ep in enumerate(w.eps):
            for name, deadline in ep.timers.items():
                item = (deadline, w.tseq.get((i, name), 0), i, name)
                if best is None or item < best:
                    best = item
        return best

    def apply(self, w: World, action: tuple, info: dict | None = None) -> World | None:
        """The world after ``action``, or None if it would leave the bounds."""
        kind = action[0]
        eps = list(w.eps)
        flight = list(w.flight)
        losses, dups, rtx, reorders = w.used
        pos = w.pos
        now = w.now
        tseq = w.tseq
        delivered = None
        host = None
        isn = None
        if kind == "call":
            i = host = action[1]
            call = self.scripts[i][w.pos[i]]
            ep = eps[i] = _clone(eps[i])
            isn = self._isn(w, i, ep)
            if call.name == "connect":
                outs = ep.connect(HOSTS[1 - i], now=now)
            elif call.name == "send":
                outs = ep.send(self.payload, now=now)
            else:
                outs = getattr(ep, call.name)(now=now)
            pos = (pos[0] + 1, pos[1]) if i == 0 else (pos[0], pos[1] + 1)
        elif kind == "time":
            deadline, _, i, name = self._earliest(w)
            host = i
            now = max(now, deadline)
            if now > w.now:
                alive = [p for p in flight if now - p.born <= self.msl]
                if info is not None:
                    info["expired"] = [p for p in flight if now - p.born > self.msl]
                flight = alive
            ep = eps[i] = _clone(eps[i])
            isn = self._isn(w, i, ep)
            outs = ep.timer_expired(name, now=now)
            if name == RETRANSMIT:
                rtx += 1
            if info is not None:
                info["timer"] = (HOSTS[i], name, deadline)
        elif kind == "deliver":
            j = action[1]
            p = flight.pop(j)
            seg = p.segment
            if any(q.segment.src == seg.src and q.segment.dst == seg.dst for q in flight[:j]):
                reorders += 1
                if self.bounds.reorders is not None and reorders > self.bounds.reorders:
                    return None
            i = host = HOSTS.index(seg.dst)
            ep = eps[i] = _clone(eps[i])
            isn = self._isn(w, i, ep)
            before = (ep.state, ep.rcv_nxt, ep.snd_una)
            connected = ep.state not in NO_CONNECTION
            outs = ep.receive(seg, now=now)
            accepted = connected and before != (ep.state, ep.rcv_nxt, ep.snd_una)
            mine = w.inc[i]
            delivered = Delivery(p, HOSTS[i], mine is not None and p.incarnation < mine,
                                 accepted)
            if info is not None:
                info["packet"] = p
        elif kind == "duplicate":
            j = action[1]
            p = flight[j]
            self.ids += 1
            c = Packet(p.segment, p.born, p.incarnation, True, self.ids)
            flight.insert(j + 1, c)
            dups += 1
            outs = ()
            if info is not None:
                info["packet"], info["copy"] = p, c
        elif kind == "lose":
            p = flight.pop(action[1])
            losses += 1
            outs = ()
            if info is not None:
                info["packet"] = p
        else:  # pragma: no cover
            raise ValueError(f"unknown step {action!r}")

        # which incarnation the acting host's connection belongs to now, and its segments
        inc = w.inc
        tag = w.incarnation
        if host is not None:
            was = inc[host]
            if eps[host].state in NO_CONNECTION:
                now_inc = None
            elif was is None:       # a connection begins: by connect(), or by a SYN
                now_inc = delivered.packet.incarnation if kind == "deliver" else tag
            else:
                now_inc = was
            if now_inc is not None:
                tag = now_inc
            elif was is not None:
                tag = was           # e.g. the RST of an abort belongs to the connection
            if now_inc != was:
                inc = (now_inc, inc[1]) if host == 0 else (inc[0], now_inc)
        emitted = []
        tnext = w.tnext
        if outs:
            for o in outs:
                t = type(o)
                if t is Transmit:
                    self.ids += 1
                    p = Packet(o.segment, now, tag, False, self.ids)
                    flight.append(p)
                    emitted.append(p)
                elif t is StartTimer:
                    if tseq is w.tseq:
                        tseq = dict(tseq)
                    tseq[(host, o.timer)] = tnext
                    tnext += 1
        if len(flight) > self.bounds.in_flight:
            return None
        incarnation, busy = w.incarnation, w.busy
        s0, s1 = eps[0].state, eps[1].state
        if s0 not in NO_CONNECTION or s1 not in NO_CONNECTION:
            busy = True
        elif busy:
            incarnation += 1
            busy = False
        conns = w.conns
        if isn is not None and isn.used:
            n = min(conns[host] + 1, len(self.iss[host]) - 1)
            conns = (n, conns[1]) if host == 0 else (conns[0], n)
        if info is not None:
            info["emitted"] = emitted
            info["host"] = None if host is None else HOSTS[host]
            info["outputs"] = list(outs)
        return World(tuple(eps), now, tuple(flight), (losses, dups, rtx, reorders), pos,
                     incarnation, busy, tseq, tnext, conns, inc, delivered)

    def _isn(self, w: World, i: int, ep: Endpoint) -> "_Isn | None":
        """With several ISNs for host i, the one its next connection takes."""
        values = self.iss[i]
        if len(values) == 1:
            return None
        isn = _Isn(values[w.conns[i]])
        ep._iss_source = isn
        return isn


class _Isn:
    """An ISN source that says whether it was asked (a new connection began)."""

    __slots__ = ("value", "used")

    def __init__(self, value: int):
        self.value = value
        self.used = False

    def __call__(self, now: float) -> int:
        self.used = True
        return self.value


def _isns(iss) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(100, 300)`` or ``((100, 9100), (300, 9300))``: each host's ISN, or its ISNs for
    its first, second ... connection (the last one repeats)."""
    def bad():
        return ValueError(f"iss gives A's and B's initial sequence numbers: two whole numbers "
                          f"in [0, 2**32) such as (100, 300), or two lists of them, one per "
                          f"connection, such as ((100, 9100), (300, 9300)); got {iss!r}")
    if not isinstance(iss, (tuple, list)) or len(iss) != 2:
        raise bad()
    out = []
    for x in iss:
        values = tuple(x) if isinstance(x, (tuple, list)) else (x,)
        if not values or any(isinstance(v, bool) or not isinstance(v, int)
                             or not 0 <= v < 2**32 for v in values):
            raise bad()
        out.append(values)
    return out[0], out[1]


def _name(prop) -> str:
    name = getattr(prop, "__name__", None) or type(prop).__name__
    return "(a lambda)" if name == "<lambda>" else name


def _doc(prop) -> str:
    doc = (getattr(prop, "__doc__", None) or "").strip()
    return doc.splitlines()[0].strip() if doc else ""


def _check(props, w: World):
    """The first property ``w`` violates, or None."""
    for prop in props:
        try:
            ok = prop(w)
        except Exception as exc:
            raise RuntimeError(
                f"the property {_name(prop)} raised {type(exc).__name__}: {exc} — on the "
                f"world A:{w.A.state}, B:{w.B.state}, {len(w.flight)} in flight. A property "
                f"reads the world (w.A, w.B, w.in_flight, w.delivered ...) and returns "
                f"True or False") from exc
        if ok is True or ok is False or type(ok).__name__ == "bool_":
            if not ok:
                return prop
            continue
        raise TypeError(f"the property {_name(prop)} must return True (all is well) or "
                        f"False (violated); it returned {ok!r}"
                        + (" — did you forget `return`?" if ok is None else ""))
    return None


def explore(*properties: Callable[[World], bool], handshake: str = "three-way",
            scripts: Mapping[str, Sequence] | None = None, bounds: Bounds | None = None,
            msl: float = 30.0, time_wait: float | None = None,
            iss: tuple[int, int] = (100, 300), max_retries: int = 6) -> "Result":
    """Check ``properties`` in every state of every behaviour within ``bounds``.

    properties   one or more predicates ``f(world) -> bool`` (True: all is well); see
                 :class:`World`, :func:`no_unasked_connection`, :func:`no_old_segment_accepted`
    handshake    "three-way" (RFC 9293) or "two-way" (the lecture's broken variant)
    scripts      what each application does: ``{"A": [...], "B": [...]}`` of call names or
                 :class:`Call` (default :data:`HANDSHAKE_SCRIPTS`)
    bounds       a :class:`Bounds` (default ``Bounds()``, the lesson's :data:`LESSON_BOUNDS`)
    msl          maximum segment lifetime, seconds
    time_wait    how long TIME-WAIT lasts, seconds (default 2*msl)
    iss          A's and B's initial sequence numbers: ``(100, 300)`` (the same for every
                 connection), or one per connection, ``((100, 9100), (300, 9300))``
    max_retries  retransmissions of one segment before an endpoint gives up

    Every world reached, the first one included, is checked.  Breadth-first: a violation
    found is one with the fewest steps.  Returns a :class:`Result`.
    """
    if not properties:
        raise TypeError("explore() needs at least one property: a function of the world "
                        "that returns True while all is well, e.g. "
                        "explore(no_unasked_connection, handshake='two-way')")
    props = []
    for p in properties:
        if isinstance(p, (list, tuple)):
            props.extend(p)
        else:
            props.append(p)
    for p in props:
        if not callable(p):
            raise TypeError(f"a property must be a function of the world returning True or "
                            f"False, got {p!r}")
    if handshake not in ("three-way", "two-way"):
        raise ValueError(f"handshake must be 'three-way' or 'two-way', got {handshake!r}")
    if bounds is None:
        bounds = Bounds()
    if not isinstance(bounds, Bounds):
        raise TypeError(f"bounds must be a tcplab.explore.Bounds, e.g. Bounds(in_flight=3, "
                        f"losses=1), got {bounds!r}")
    a_script, b_script = _scripts(scripts)
    msl = _seconds("msl", msl, positive=True)
    time_wait = 2 * msl if time_wait is None else _seconds("time_wait", time_wait)
    isns = _isns(iss)
    _whole("max_retries", max_retries)
    table(handshake)

    model = _Explorer(handshake=handshake, scripts=(a_script, b_script), bounds=bounds,
                      msl=msl, time_wait=time_wait, iss=isns, max_retries=max_retries,
                      payload=b"hello")
    t0 = time.perf_counter()
    w0 = model.initial()
    parents: dict[tuple, tuple | None] = {w0.key: None}
    queue = deque([(w0, 0)])
    transitions = 0
    depth = 0
    found = None          # (parent key, action, property)
    bad = _check(props, w0)
    if bad is not None:
        found = (None, None, bad)
    incomplete = False
    max_depth = bounds.depth
    max_states = bounds.max_states
    apply = model.apply
    actions = model.actions
    while queue and found is None:
        w, d = queue.popleft()
        if max_depth is not None and d >= max_depth:
            continue
        wkey = w.key
        for action in actions(w):
            nxt = apply(w, action)
            if nxt is None:
                continue
            transitions += 1
            bad = _check(props, nxt)
            if bad is not None:
                found = (wkey, action, bad)
                depth = max(depth, d + 1)
                break
            k = nxt.key
            if k in parents:
                continue
            parents[k] = (wkey, action)
            if d + 1 > depth:
                depth = d + 1
            queue.append((nxt, d + 1))
            if len(parents) >= max_states:
                incomplete = True
                queue.clear()
                break
    seconds = time.perf_counter() - t0

    counterexample = None
    if found is not None:
        path = []
        if found[1] is not None:
            path.append(found[1])
            k = found[0]
            while parents[k] is not None:
                k, a = parents[k]
                path.append(a)
            path.reverse()
        counterexample = Counterexample(model, path, found[2])
    verdict = "violated" if found else ("incomplete" if incomplete else "holds")
    return Result(properties=tuple(props), verdict=verdict, states=len(parents),
                  transitions=transitions, depth=depth, seconds=seconds,
                  counterexample=counterexample, bounds=bounds, handshake=handshake,
                  scripts={"A": a_script, "B": b_script}, msl=msl, time_wait=time_wait,
                  iss=isns)


# --------------------------------------------------------------------------- properties

def no_unasked_connection(w: World) -> bool:
    """B is never ESTABLISHED for a connection A never asked for."""
    a, b = w.A, w.B
    if b.state is not State.ESTABLISHED:
        return True
    # A asked for it: A is in a connection (not CLOSED, not LISTEN) that began with the
    # very SYN B answered (its ISN is the one B acknowledged)
    return a.state not in (State.CLOSED, State.LISTEN) and a.iss == b.irs


def no_old_segment_accepted(w: World) -> bool:
    """After both hosts have closed, nothing of the old connection is accepted by a new one."""
    d = w.delivered
    return d is None or not (d.old and d.accepted)


# --------------------------------------------------------------------------- results

class Report:
    """A short report that prints as text and displays as an HTML table in Jupyter."""

    def __init__(self, title: str, rows: Sequence[tuple[str, str]], verdict: str):
        self.title = title
        self.rows = list(rows)
        self.verdict = verdict

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.rows)
        return "\n".join([self.title] + [f"  {k:<{width}}  {v}" for k, v in self.rows])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"violated": "#c92a2a", "holds": "#2b8a3e"}.get(self.verdict, "#e67700")
        rows = "".join(
            f'<tr><th style="text-align:left;padding:2px 10px 2px 0;vertical-align:top">'
            f'{html.escape(k)}</th><td style="text-align:left;padding:2px 0">'
            + (f'<b style="color:{colour}">{html.escape(v)}</b>' if k == "verdict"
               else html.escape(v)) + "</td></tr>" for k, v in self.rows)
        return (f'<div class="tcplab-explore" style="font-family:sans-serif;font-size:13px;'
                f'border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(self.title)}'
                f'</div><table style="border-collapse:collapse">{rows}</table></div>')


def _script_text(script) -> str:
    return ", ".join(map(str, script)) or "nothing"


@dataclass
class Result:
    """What :func:`explore` found.

    verdict          "violated" (see ``counterexample``), "holds" (no violation within the
                     bounds: every reachable state was checked) or "incomplete" (stopped at
                     ``bounds.max_states``)
    states           distinct worlds explored; transitions: steps taken between them
    depth            the longest behaviour explored, in steps (the counterexample's length
                     if there is one)
    seconds          how long the search took; ``states_per_second``
    """

    properties: tuple
    verdict: str
    states: int
    transitions: int
    depth: int
    seconds: float
    counterexample: "Counterexample | None"
    bounds: Bounds
    handshake: str
    scripts: dict
    msl: float
    time_wait: float
    iss: tuple

    @property
    def violated(self) -> bool:
        return self.verdict == "violated"

    @property
    def holds(self) -> bool:
        """No violation within the bounds (the search was complete)."""
        return self.verdict == "holds"

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float("inf")

    def report(self, timing: bool = True) -> Report:
        """The short report; ``timing=False`` leaves out the time (it differs per run)."""
        props = "; ".join(f"{_name(p)}: {_doc(p)}" if _doc(p) else _name(p)
                          for p in self.properties)
        rows = [("property", props),
                ("model", f"{self.handshake} handshake; A: {_script_text(self.scripts['A'])}; "
                          f"B: {_script_text(self.scripts['B'])}; ISNs: A "
                          f"{' then '.join(map(str, self.iss[0]))}, B "
                          f"{' then '.join(map(str, self.iss[1]))}; MSL {self.msl:g} s, "
                          f"TIME-WAIT {self.time_wait:g} s"),
                ("bounds", self.bounds.describe())]
        if self.verdict == "violated":
            cx = self.counterexample
            verdict = (f"VIOLATED — shortest counterexample: {len(cx)} steps"
                       if len(cx) else "VIOLATED in the initial state")
            if len(self.properties) > 1:
                verdict += f" (breaks {_name(cx.property)})"
        elif self.verdict == "holds":
            verdict = "no violation within these bounds"
        else:
            verdict = (f"INCOMPLETE — stopped after {self.bounds.max_states} states "
                       f"(raise Bounds.max_states or tighten the bounds)")
        rows.append(("verdict", verdict))
        explored = (f"{self.states:,} states, {self.transitions:,} transitions, "
                    f"depth {self.depth}")
        rows.append(("explored", explored))
        if timing:
            rows.append(("time", f"{self.seconds:.2f} s ({self.states_per_second:,.0f} "
                                 f"states/s)"))
        return Report("tcplab.explore", rows, self.verdict)

    def __str__(self) -> str:
        return str(self.report())

    def __repr__(self) -> str:
        return (f"<Result {self.verdict}: {self.states} states, {self.transitions} "
                f"transitions, depth {self.depth}, {self.seconds:.2f} s>")

    def _repr_html_(self) -> str:
        return self.report()._repr_html_()


# --------------------------------------------------------------------------- counterexamples

@dataclass
class Step:
    """One step of a counterexample: what happened, and the world after it."""

    number: int
    action: tuple
    text: str
    world: World
    info: dict = field(repr=False)

    def __str__(self) -> str:
        return f"{self.number:>3}  {self.text}"


def _seg(seg: Segment, notation: Notation | None, when: float) -> str:
    return f"{seg.src}→{seg.dst} {seg.describe(notation, when=when)}"


class Counterexample:
    """A shortest behaviour that breaks a property: its steps, a replay, a picture, a lab.

    ``steps`` (list of :class:`Step`), ``final`` (the world that breaks it), ``property``;
    ``table()`` the steps as text; ``session()`` the replay as a lab session (checked step
    by step); ``network()`` its network; ``ladder()`` the ladder diagram; ``lab()`` a
    ConnectionLab that opens at the violation (undo walks it back).
    """

    def __init__(self, model: _Explorer, path: list, prop):
        self._model = model
        self.property = prop
        self.path = list(path)
        self.steps: list[Step] = []
        w = model.initial()
        self.initial = w
        for n, action in enumerate(self.path, 1):
            info: dict = {}
            nxt = model.apply(w, action, info)
            if nxt is None:  # pragma: no cover - the search only records possible steps
                raise ReplayError(f"step {n} ({action}) cannot be taken again")
            self.steps.append(Step(n, action, "", nxt, info))
            w = nxt
        self.final = w
        self._actions: list | None = None
        notation = Notation.from_segments(
            (s.world.now, p.segment) for s in self.steps for p in s.info["emitted"])
        prev = self.initial
        for s in self.steps:
            s.text = self._describe(prev, s, notation)
            prev = s.world

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self):
        return iter(self.steps)

    # ------------------------------------------------------------------ text

    def _describe(self, before: World, s: Step, notation) -> str:
        kind = s.action[0]
        info = s.info
        w = s.world
        if kind == "call":
            h = info["host"]
            call = self._model.scripts[HOSTS.index(h)][before.pos[HOSTS.index(h)]]
            arg = f"'{HOSTS[1 - HOSTS.index(h)]}'" if call.name == "connect" else ""
            what = f"{h} calls {call.name}({arg})"
        elif kind == "time":
            h, name, deadline = info["timer"]
            label = ("retransmission timer" if name == RETRANSMIT else
                     "TIME-WAIT timer (2MSL)" if name == TIME_WAIT else f"{name} timer")
            wait = w.now - before.now
            what = (f"{wait:g} s later, {h}'s {label} expires" if wait > 0
                    else f"at once, {h}'s {label} expires")
            if info.get("expired"):
                what += (f" (meanwhile {len(info['expired'])} segment"
                         f"{'s' if len(info['expired']) > 1 else ''} older than MSL died)")
        elif kind == "deliver":
            p = info["packet"]
            what = f"arrives: {_seg(p.segment, notation, p.born)}"
            if w.delivered.old:
                to = w.delivered.to
                what += (f" (old: a segment of incarnation {p.incarnation}, arriving in "
                         f"{to}'s incarnation {before.inc[HOSTS.index(to)]})")
            elif any(q.segment.src == p.segment.src and q.segment.dst == p.segment.dst
                     for q in before.flight[:s.action[1]]):
                what += " (overtakes an earlier segment)"
        elif kind == "duplicate":
            p = info["packet"]
            what = f"the network copies {_seg(p.segment, notation, p.born)}"
        else:
            p = info["packet"]
            what = f"the network loses {_seg(p.segment, notation, p.born)}"
        changes = []
        for i, h in enumerate(HOSTS):
            if w.eps[i].state is not before.eps[i].state:
                changes.append(f"{h} {before.eps[i].state} → {w.eps[i].state}")
        sent = [_seg(p.segment, notation, p.born) for p in info["emitted"]]
        text = what
        if changes:
            text += "; " + ", ".join(changes)
        if sent:
            text += "; sends " + ", ".join(sent)
        return text

    def table(self) -> str:
        """The steps, one a line, in the lecture's notation, with both hosts' states."""
        lines = [f"  0  A {self.initial.A.state}, B {self.initial.B.state}"]
        lines += [str(s) for s in self.steps]
        f = self.final
        lines.append(f"     → A {f.A.state}, B {f.B.state}: breaks {_name(self.property)}"
                     + (f" ({_doc(self.property)})" if _doc(self.property) else ""))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return (f"<Counterexample of {_name(self.property)}: {len(self)} steps, "
                f"A {self.final.A.state}, B {self.final.B.state}>")

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(self.table())

    def _repr_html_(self) -> str:
        def row(cells, head=False):
            tag = "th" if head else "td"
            return "<tr>" + "".join(
                f'<{tag} style="text-align:{a};padding:1px 8px;vertical-align:top">'
                f"{html.escape(str(c))}</{tag}>" for c, a in zip(cells, aligns)) + "</tr>"
        aligns = ("right", "left", "left", "left")
        rows = [row(("step", "what happens", "A", "B"), head=True),
                row((0, "the start", self.initial.A.state, self.initial.B.state))]
        prev = self.initial
        for s in self.steps:
            w = s.world
            marks = []
            for i in (0, 1):
                st = w.eps[i].state
                marks.append(f"{st}" if st is not prev.eps[i].state else "")
            rows.append(row((s.number, s.text.split("; ")[0] + "".join(
                "; " + part for part in s.text.split("; ")[1:] if part.startswith("sends")),
                marks[0], marks[1])))
            prev = w
        f = self.final
        doc = _doc(self.property)
        return (f'<div class="tcplab-counterexample" style="font-family:sans-serif;'
                f'font-size:13px"><table style="border-collapse:collapse">'
                + "".join(rows) + "</table>"
                f'<p style="margin:4px 0;color:#c92a2a"><b>A {f.A.state}, B {f.B.state}: '
                f"breaks {html.escape(_name(self.property))}</b>"
                + (f" — {html.escape(doc)}" if doc else "") + "</p></div>")

    # ------------------------------------------------------------------ replay

    @property
    def config(self):
        """The :class:`~tcplab.session.LabConfig` of the replay network."""
        m = self._model
        options = dict(seed=0, delay=REPLAY_DELAY, msl=m.msl, handshake=m.handshake,
                       time_wait=m.time_wait, payload=m.payload)
        if all(len(v) == 1 for v in m.iss):
            from .session import LabConfig
            return LabConfig(iss=(m.iss[0][0], m.iss[1][0]), **options)
        return _isn_lab_config()(iss=(m.iss[0][0], m.iss[1][0]), isns=m.iss, **options)

    @property
    def actions(self) -> list[tuple]:
        """The replay as lab-session actions (see :class:`~tcplab.session.Session`)."""
        if self._actions is None:
            self._actions = list(self.session().actions)
        return list(self._actions)

    def session(self):
        """The counterexample replayed on a real network, as a lab session.

        Checked step by step: after each step the real endpoints must be in the explorer's
        states with the explorer's numbers (else :class:`ReplayError`).  The session's
        network is new each call; its actions can rebuild it (``ConnectionLab(config,
        actions)``).
        """
        return _replay(self)

    def network(self):
        """The replay's :class:`~tcplab.network.Network`, at the violation."""
        return self.session().net

    def replayed_world(self, session=None) -> World:
        """The final world with the replay network's endpoints in place of the explorer's.

        ``property(cx.replayed_world())`` is False: the real network breaks it too.
        """
        net = (session or self.session()).net
        f = self.final
        return World((net.hosts["A"].endpoint, net.hosts["B"].endpoint), f.now, f.flight,
                     f.used, f.pos, f.incarnation, f.busy, f.tseq, f.tnext, f.conns, f.inc,
                     f.delivered)

    def ladder(self, notation: str = "symbolic", **kwargs):
        """The ladder (time-sequence) diagram of the replay."""
        from .diagrams import sequence_diagram
        kwargs.setdefault("max_segments", None)
        return sequence_diagram(self.network(), notation, **kwargs)

    def lab(self, **kwargs):
        """A ConnectionLab opened at the violation; undo walks the story back step by step."""
        from .widgets.lab import ConnectionLab
        session = self.session()
        if any(a[0] == "copy" for a in session.actions):
            lab = ConnectionLab(self.config, (), **kwargs)
            lab.session = session
            lab.refresh()
            return lab
        return ConnectionLab(self.config, session.actions, **kwargs)


_ISN_CONFIG = None


def _isn_lab_config():
    """A LabConfig whose hosts take a list of ISNs, one per connection (the last repeats)."""
    global _ISN_CONFIG
    if _ISN_CONFIG is None:
        from .network import Network
        from .session import LabConfig

        @dataclass(frozen=True)
        class IsnLabConfig(LabConfig):
            isns: tuple = ()

            def build(self) -> Network:
                net = Network(seed=self.seed, delay=self.delay, loss=self.loss,
                              duplicate=self.duplicate, msl=self.msl, jitter=self.jitter)
                for name, values in zip(self.hosts, self.isns):
                    net.host(name, handshake=self.handshake, iss=_IsnList(values),
                             time_wait=self.time_wait)
                return net

        _ISN_CONFIG = IsnLabConfig
    return _ISN_CONFIG


class _IsnList:
    """An ISN source for a real endpoint: the next value of a list per connection."""

    def __init__(self, values):
        self.values = tuple(values)
        self.count = 0

    def __call__(self, now: float) -> int:
        value = self.values[min(self.count, len(self.values) - 1)]
        self.count += 1
        return value


def _fates(cx: Counterexample) -> dict[int, tuple]:
    """A first plan for each packet: ("natural", REPLAY_DELAY), ("hold",) or ("drop",).

    A packet travels plainly (arrives one delay after it was sent) if every step between
    its sending and its arrival is a call or the arrival of a plain packet sent before it;
    otherwise it is held and released when the step delivers it.
    """
    emitted_at: dict[int, int] = {}
    delivered_at: dict[int, int] = {}
    order: dict[int, int] = {}
    fate: dict[int, tuple] = {}
    copied: set[int] = set()
    for n, s in enumerate(cx.steps):
        for p in s.info["emitted"]:
            emitted_at[p.id] = n
            order[p.id] = len(order)
        kind = s.action[0]
        if kind == "deliver":
            delivered_at[s.info["packet"].id] = n
        elif kind == "lose":
            fate[s.info["packet"].id] = ("drop",)
        elif kind == "duplicate":
            copied.add(s.info["packet"].id)
            copied.add(s.info["copy"].id)
    for pid in order:
        if pid in copied:
            fate[pid] = ("hold",)          # the network copies held segments only
            continue
        if pid in fate:
            continue
        k = delivered_at.get(pid)
        natural = k is not None
        for n in range(emitted_at[pid] + 1, k if natural else 0):
            s = cx.steps[n]
            if s.action[0] == "time":
                natural = False
                break
            if s.action[0] == "deliver":
                q = s.info["packet"].id
                if fate.get(q) != ("natural", REPLAY_DELAY) or order[q] > order[pid]:
                    natural = False
                    break
        fate[pid] = ("natural", REPLAY_DELAY) if natural else ("hold",)
    for pid in copied:
        fate[pid] = ("hold",)
    return fate


def _timed(cx: Counterexample, times: dict) -> dict[int, tuple]:
    """A better plan from the times of a first replay: every packet that can travels
    plainly, with the transit time that makes it arrive exactly when the step delivers
    it (at most MSL); only copies, expired packets and very slow ones are held."""
    msl = cx._model.msl
    fate: dict[int, tuple] = {}
    copied: set[int] = set()
    delivered: set[int] = set()
    for s in cx.steps:
        kind = s.action[0]
        if kind == "lose":
            fate[s.info["packet"].id] = ("drop",)
        elif kind == "duplicate":
            copied.update((s.info["packet"].id, s.info["copy"].id))
        elif kind == "deliver":
            delivered.add(s.info["packet"].id)
        elif kind == "time":
            for p in s.info.get("expired", ()):
                fate.setdefault(p.id, ("hold",))
    for pid, sent in times["sent"].items():
        if pid in fate:
            continue
        if pid in copied:
            fate[pid] = ("hold",)
            continue
        arrive = times["arrived"].get(pid, times["end"] + REPLAY_DELAY)
        transit = round(arrive - sent, 9)
        fate[pid] = ("natural", transit) if 0 < transit <= msl else ("hold",)
    for pid in copied:
        fate[pid] = ("hold",)
    return fate


def _explorer_session():
    from .session import Session

    class ExplorerSession(Session):
        """A lab session that also knows ("copy", i): the network copies held segment i
        (the copy, injected now, is held too)."""

        def _apply(self, action):
            if action[0] == "copy":
                held = self.held_holds()
                index = action[1]
                if not 0 <= index < len(held):
                    raise ValueError(f"there is no held segment number {index}")
                seg = held[index].segments[0]
                rule = self.net.hold(lambda s: True, count=1)
                self.holds.append(rule)
                self.net.inject(seg)
                return seg
            return super()._apply(action)

    return ExplorerSession


def _run_plan(cx: Counterexample, fate: dict[int, tuple]):
    """Replay ``cx`` on a lab session following ``fate``; check every step."""
    from .session import Session
    copies = any(s.action[0] == "duplicate" for s in cx.steps)
    session = (_explorer_session() if copies else Session)(cx.config)
    net = session.net
    held: list[int] = []        # packet ids held, in the order their holds were made
    times = {"sent": {}, "arrived": {}, "end": 0.0}

    def set_delay(v: float) -> None:
        if session.net.delay != v:
            session.do("set", "delay", v)

    def prepare(s: Step) -> None:
        """Arm faults and set the delay for the segments step ``s`` will send."""
        plans = [fate[p.id] for p in s.info["emitted"]]
        kinds = [f[0] for f in plans]
        i = 0
        while i < len(kinds) and kinds[i] != "natural":
            i += 1
        rest = plans[i:]
        if (any(f[0] != "natural" for f in rest) or kinds.count("hold") > 1
                or kinds.count("drop") > 1 or len({f[1] for f in rest}) > 1):
            raise ReplayError(f"step {s.number} sends {len(kinds)} segments that would "
                              f"need, in this order: {', '.join(kinds)}; a lab arms one "
                              f"hold and one drop for the next segments sent, and they "
                              f"share one delay")
        if rest:
            set_delay(rest[0][1])
        for f, p in zip(plans[:i], s.info["emitted"]):
            session.do("arm", f[0])
            if f[0] == "hold":
                held.append(p.id)

    def check(s: Step) -> None:
        for i, h in enumerate(HOSTS):
            real = session.net.hosts[h].endpoint
            want = s.world.eps[i]
            a = (real.state, real.iss, real.irs, real.snd_una, real.snd_nxt, real.rcv_nxt)
            b = (want.state, want.iss, want.irs, want.snd_una, want.snd_nxt, want.rcv_nxt)
            if a != b:
                raise ReplayError(
                    f"after step {s.number} ({s.text}) the real {h} is {a[0]} with "
                    f"iss/irs/snd_una/snd_nxt/rcv_nxt {a[1:]}, the explorer's {b[0]} with "
                    f"{b[1:]}")

    prev = cx.initial
    for s in cx.steps:
        kind = s.action[0]
        if kind == "call":
            prepare(s)
            h = s.info["host"]
            i = HOSTS.index(h)
            call = cx._model.scripts[i][prev.pos[i]]
            args = ()
            if call.name == "connect":
                args = (HOSTS[1 - i],)
            elif call.name == "send":
                args = (cx._model.payload,)
            session.do("call", h, call.name, *args)
        elif kind == "time":
            prepare(s)
            ev = session.do("step")
            h, name, _ = s.info["timer"]
            if ev is None or ev.kind != "timer" or (ev.host, ev.timer) != (h, name):
                raise ReplayError(f"step {s.number} ({s.text}): the real network's next "
                                  f"event is {ev}, not {h}'s {name} timer")
        elif kind == "deliver":
            p = s.info["packet"]
            if fate[p.id][0] == "hold":
                set_delay(REPLAY_DELAY)
                session.do("release", held.index(p.id))
                held.remove(p.id)
            prepare(s)
            ev = session.do("step")
            if ev is None or ev.kind != "arrive" or ev.segment != p.segment:
                raise ReplayError(f"step {s.number} ({s.text}): the real network's next "
                                  f"event is {ev}, not that arrival")
            times["arrived"][p.id] = net.now
        elif kind == "duplicate":
            p, c = s.info["packet"], s.info["copy"]
            set_delay(REPLAY_DELAY)
            session.do("copy", held.index(p.id))
            held.append(c.id)
        for p in s.info["emitted"]:
            times["sent"][p.id] = net.now
        check(s)
        prev = s.world
    set_delay(REPLAY_DELAY)
    times["end"] = net.now
    return session, times


def _replay(cx: Counterexample):
    """The counterexample on a lab session: timed plainly if possible, else with holds."""
    session, times = _run_plan(cx, _fates(cx))
    try:
        timed, _ = _run_plan(cx, _timed(cx, times))
    except ReplayError:
        return session
    return timed
