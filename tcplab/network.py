"""A deterministic toy network in virtual time.

The network is a heap and a clock, as SimPy's core is: a heap of
``(time, sequence id, event)`` entries, where the running id keeps events of
equal time in the order they were scheduled, so a run is the same bit for bit
for the same seed.  ``now`` only moves when :meth:`Network.step` takes the
next event.

It owns the hosts (each a :class:`Host`: an :class:`~tcplab.endpoint.Endpoint`
wired to this network, and, once it uses ports, its listening sockets and many
connections, :mod:`tcplab.sockets`; a segment with ports is handed to the host to
demultiplex), carries their segments with a one-way ``delay`` (plus
optional ``jitter``, which reorders), loses or duplicates them at random with
the given probabilities, kills any segment older than ``msl`` on the wire, and
obeys fault rules that a lesson sets: drop, duplicate, or hold (a held
segment stays off the wire, for as long as the lesson likes, until it is
released).  Everything that happens is appended to :attr:`Network.trace`
(:mod:`tcplab.trace`), each segment's records tied together by a journey number.
"""

from __future__ import annotations

from heapq import heappop, heappush
import inspect
import itertools
import random
from dataclasses import dataclass
from typing import Any, Callable

from .endpoint import (Endpoint, Note, StartTimer, StateChange, StopTimer, Transmit,
                       clock_isn)
from .faults import Hold, Postpone, Rule, _check_count, _check_match, _seconds
from .isn import KeyedIsn
from .fsm import State
from .host import Host
from .segment import Notation, Segment
from .sockets import ManySockets
from .text import N_
from .trace import KINDS, Cause, InFlight, Kind, Trace, TraceRecord, words

# the kinds recorded on every segment, as module constants: Kind.X is a slow class
# attribute (an Enum's), looked up each time
_SEND, _STATE, _ARRIVE = Kind.SEND, Kind.STATE, Kind.ARRIVE
# ... and their words, the keys of Network.counts
_SEND_WORD, _STATE_WORD, _ARRIVE_WORD = _SEND._value_, _STATE._value_, _ARRIVE._value_
# the details that name no value: made once, not per record (nor per segment lost or
# copied when no trace keeps them)
_RETRANSMISSION = words(N_("retransmission"))
_LOST = words(N_("lost at random"))
_COPIED = words(N_("the network made a copy"))

__all__ = ["Network", "Host", "TraceRecord", "Trace", "Kind", "Cause", "InFlight", "Rule",
           "Hold", "Postpone", "NetEvent", "ManySockets"]


_OUTPUT_KINDS = frozenset((Transmit, StateChange, StartTimer, StopTimer, Note))


def _output_kind(out) -> type | None:
    """Which of the endpoint's five outputs ``out`` is (None: none of them): its class,
    looked up at once; a subclass of one of them by isinstance."""
    cls = out.__class__
    if cls in _OUTPUT_KINDS:
        return cls
    return next((kind for kind in _OUTPUT_KINDS if isinstance(out, kind)), None)


@dataclass(frozen=True)
class NetEvent:
    """What :meth:`Network.step` processed: a segment arriving or a timer expiring."""

    time: float
    kind: str                 # "arrive", "timer", "expire"
    host: str
    segment: Segment | None = None
    timer: str | None = None


_new = object.__new__
_set = object.__setattr__


def _event(time: float, kind: str, host: str, segment: Segment | None, timer: str | None
           ) -> NetEvent:
    """NetEvent(...) with its fields at once: step() makes one per event, and a frozen
    dataclass's __init__ sets each field through object.__setattr__."""
    event = _new(NetEvent)
    _set(event, "__dict__", {"time": time, "kind": kind, "host": host, "segment": segment,
                             "timer": timer})
    return event


# --------------------------------------------------------------------------- the network

def _probability(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a probability between 0 and 1, got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability between 0 and 1, got {value!r}")
    return float(value)


_ENDPOINT_OPTIONS = frozenset(
    p for p in inspect.signature(Endpoint.__init__).parameters
    if p not in ("self", "name", "handshake", "iss", "time_wait") and not p.startswith("_"))


class Network:
    """A deterministic network of hosts in virtual time.

    Network(seed=0, delay=0.1, loss=0.0, duplicate=0.0, msl=30.0, jitter=0.0)

    ``delay`` is the one-way delay in seconds; ``jitter`` adds a uniform random
    extra delay in [0, jitter) to each segment (segments may then overtake each
    other); ``loss`` and ``duplicate`` are probabilities (kept as
    ``loss_rate`` and ``duplicate_rate``); no segment lives longer than ``msl``
    on the wire.  The same seed gives the same run.  ``record=False`` keeps
    only ``counts`` instead of the whole ``trace`` and ``sent`` (long experiments);
    ``keep=k`` is every host's :class:`~tcplab.endpoint.Endpoint` option ``keep``
    (unless ``host()`` gives its own): a host's ``history``, ``transitions`` and
    ``received`` forget all but its last k finished connections, so that with
    ``record=False`` a network running connection after connection stays flat in
    memory.  None (the default) keeps everything.
    """

    def __init__(self, seed: int = 0, delay: float = 0.1, loss: float = 0.0,
                 duplicate: float = 0.0, msl: float = 30.0, jitter: float = 0.0,
                 record: bool = True, keep: int | None = None):
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"seed must be an int, got {seed!r}")
        self.seed = seed
        self.delay = _seconds("delay", delay)
        self.jitter = _seconds("jitter", jitter)
        self.loss_rate = _probability("loss", loss)
        self.duplicate_rate = _probability("duplicate", duplicate)
        self.msl = _seconds("msl", msl, positive=True)
        if self.delay > self.msl:
            raise ValueError(f"delay ({delay} s) cannot exceed msl ({msl} s): every "
                             "segment would die on the wire")
        self._rng = random.Random(seed)
        self._now = 0.0
        # (when, order, "arrive" or "expire", segment, sent at, journey)
        # or (when, order, "timer", host or connection, timer, generation)
        self._heap: list[tuple[float, int, str, Any, Any, Any]] = []
        self._ids = itertools.count()
        self._journeys = itertools.count(1)    # numbers the segments' journeys (trace.py)
        self.hosts: dict[str, Host] = {}
        self.sent: list[tuple[float, Segment]] = []
        self.trace = Trace()
        self._rules: list[Rule] = []
        self._holds: list[Hold] = []
        #: keep ``trace`` and ``sent`` (False: only ``counts``, for long experiments whose
        #: memory must stay flat)
        self.record = bool(record)
        #: the hosts' default ``keep`` (None: they remember every connection)
        if keep is not None and (isinstance(keep, bool) or not isinstance(keep, int)
                                 or keep < 0):
            raise ValueError(f"keep must be None or a whole number >= 0, got {keep!r}")
        self.keep = keep
        #: how many trace records of each kind happened (kept even when not recording)
        self.counts: dict[str, int] = {}
        self._rule_error: ValueError | None = None   # a match function that failed

    # ------------------------------------------------------------------ clock

    @property
    def now(self) -> float:
        """Current virtual time, in seconds."""
        return self._now

    # ------------------------------------------------------------------ hosts

    def host(self, name: str, handshake: str = "three-way", iss: int | str | None = None,
             time_wait: float | None = None, *, syn_cookies: bool = False,
             tw_reuse: bool = False, port_range: tuple[int, int] | None = None,
             **options) -> Host:
        """Create the host ``name``.

        ``iss``: None lets the network choose a random ISN per connection (from
        the seed), an int fixes it, "clock" uses RFC 793's 4 µs clock, "rfc6528"
        that clock plus a keyed hash of the two ends (RFC 6528; the host's secret
        comes from the seed).
        ``time_wait`` defaults to 2*msl.  Other ``options`` go to
        :class:`~tcplab.endpoint.Endpoint` (``mss``, ``window``,
        ``max_retries``, ``user_timeout`` ...).  For a host with ports (its sysctls,
        :mod:`tcplab.sockets`): ``syn_cookies``, ``tw_reuse`` and ``port_range`` (the
        ephemeral ports, Linux's 32768-60999 by default).
        """
        if not isinstance(name, str) or not name:
            raise TypeError(f"a host's name must be a non-empty string such as 'A', got {name!r}")
        if name in self.hosts:
            raise ValueError(f"there is already a host named {name!r} on this network")
        if iss is None:
            rng = self._rng
            source: Any = lambda now: rng.getrandbits(32)
        elif iss == "clock":
            source = clock_isn
        elif iss == "rfc6528":
            source = KeyedIsn.from_seed(self.seed, name)
        elif isinstance(iss, str):
            raise ValueError(f"iss must be None (random), an int, 'clock' or 'rfc6528'; "
                             f"got {iss!r}")
        else:
            source = iss
        if time_wait is None:
            time_wait = 2 * self.msl
        allowed = _ENDPOINT_OPTIONS
        unknown = sorted(set(options) - allowed) if options else ()
        if unknown:
            raise TypeError(f"host() has no option {', '.join(map(repr, unknown))}; its "
                            f"options are handshake, iss, time_wait, syn_cookies, "
                            f"tw_reuse, port_range, {', '.join(sorted(allowed))}")
        if self.keep is not None:
            options.setdefault("keep", self.keep)
        settings = dict(handshake=handshake, iss=source, time_wait=time_wait, **options)
        endpoint = Endpoint(name, **settings)
        host = Host(self, endpoint, settings, syn_cookies=syn_cookies, tw_reuse=tw_reuse,
                    port_range=port_range)
        self.hosts[name] = host
        return host

    def __getitem__(self, name: str) -> Host:
        return self.hosts[name]

    # ------------------------------------------------------------------ fault rules

    def drop(self, match: Callable[[Segment], bool], count: int | None = None) -> Rule:
        """Drop segments for which ``match(segment)`` is true (``count`` of them; None: all)."""
        _check_match(match)
        _check_count(count)
        rule = Rule("drop", match, count, self)
        self._rules.append(rule)
        return rule

    def duplicate(self, match: Callable[[Segment], bool], count: int | None = None) -> Rule:
        """Deliver a second copy of matching segments."""
        _check_match(match)
        _check_count(count)
        rule = Rule("duplicate", match, count, self)
        self._rules.append(rule)
        return rule

    def hold(self, match: Callable[[Segment], bool], count: int | None = 1) -> Hold:
        """Keep matching segments off the wire until ``release()``."""
        _check_match(match)
        _check_count(count)
        rule = Hold("hold", match, count, self)
        self._rules.append(rule)
        self._holds.append(rule)
        return rule

    def postpone(self, match: Callable[[Segment], bool],
                 by: float | Callable[[Segment], float], count: int | None = 1) -> Postpone:
        """Matching segments take a slow path: ``by`` extra seconds in the network.

        ``by`` is a number of seconds, or a function of the segment giving one
        (e.g. ``lambda s: rng.uniform(0, 40)``).  Unlike a hold, this obeys
        MSL: a segment whose delay plus ``by`` exceeds ``msl`` expires on the
        wire at ``msl``, as any segment would (the trace says ``expire``).
        """
        _check_match(match)
        _check_count(count)
        if not callable(by):
            by = _seconds("by", by)
        rule = Postpone("postpone", match, count, self, by=by)
        self._rules.append(rule)
        return rule

    @property
    def held(self) -> list[Segment]:
        """All segments held now, in the order they were held."""
        return [s for h in self._holds for s in h.segments]

    def inject(self, segment: Segment) -> None:
        """Put a hand-made segment on the wire now (its src may be any name)."""
        if not isinstance(segment, Segment):
            raise TypeError(f"inject() takes a tcplab.Segment, got {type(segment).__name__}")
        journey = next(self._journeys)
        self._record(Kind.INJECT, segment.src, segment, words(N_("hand-made segment")), journey=journey)
        self._transmit(segment, journey, apply_faults=True)
        self._raise_rule_error()

    def _raise_rule_error(self) -> None:
        error, self._rule_error = self._rule_error, None
        if error is not None:
            raise error

    # ------------------------------------------------------------------ moving segments

    def _record(self, kind: Kind, host: str, segment: Segment | None = None,
                detail: str = "", state: State | None = None,
                sent_at: float | None = None, cause: Cause | None = None,
                journey: int | None = None, copy_of: int | None = None,
                port: int | None = None, remote: tuple | None = None) -> None:
        word = kind._value_            # (a plain attribute: .value is a slower property)
        self.counts[word] = self.counts.get(word, 0) + 1
        if self.record:
            if port is None and segment is not None and segment.sport is not None:
                # the ports of the host concerned (the sender, or the receiver) and its peer
                if host == segment.src:
                    port, remote = segment.sport, (segment.dst, segment.dport)
                else:
                    port, remote = segment.dport, (segment.src, segment.sport)
            # the record's fields at once (TraceRecord() is a call more, with keywords)
            record = _new(TraceRecord)
            _set(record, "__dict__", {
                "time": self._now, "kind": kind, "host": host, "segment": segment,
                "state": state, "detail": detail, "sent_at": sent_at, "cause": cause,
                "journey": journey, "copy_of": copy_of, "port": port, "remote": remote})
            self.trace.append(record)

    def _rule_for(self, seg: Segment) -> Rule | None:
        for rule in self._rules:
            if rule.count is not None and rule.taken >= rule.count:
                continue
            try:
                hit = rule.match(seg)
            except Exception as exc:  # a student's predicate must not break the run:
                # the rule does not match; the error is raised once the step is complete
                if self._rule_error is None:
                    self._rule_error = ValueError(
                        f"the match function of a {rule.action} rule failed on {seg}: "
                        f"{exc!r}")
                    self._rule_error.__cause__ = exc
                continue
            if hit:
                rule.taken += 1
                return rule
        return None

    def _transmit(self, seg: Segment, journey: int, apply_faults: bool = True) -> None:
        """``seg`` leaves its sender now, on journey number ``journey``."""
        copies = 1
        extra = 0.0                      # seconds on a slow path (a postpone rule)
        rng = self._rng
        if apply_faults:
            rule = self._rule_for(seg) if self._rules else None
            if rule is not None:
                if rule.action == "drop":
                    self._record(Kind.DROP, seg.src, seg, words(N_("dropped by a drop rule")),
                                 journey=journey)
                    return
                if rule.action == "hold":
                    assert isinstance(rule, Hold)
                    rule.segments.append(seg)
                    rule.journeys.append(journey)
                    self._record(Kind.HOLD, seg.src, seg, words(N_("held in the network")),
                                 journey=journey)
                    return
                if rule.action == "duplicate":
                    copies = 2
                if rule.action == "postpone":
                    assert isinstance(rule, Postpone)
                    extra = rule.extra(seg)
                    self._record(Kind.POSTPONE, seg.src, seg,
                                 words(N_("slow path: {extra:g} s extra in the network"), extra=extra),
                                 journey=journey)
            if self.loss_rate and rng.random() < self.loss_rate:
                self._record(Kind.LOST, seg.src, seg, _LOST, journey=journey)
                return
            if self.duplicate_rate and rng.random() < self.duplicate_rate:
                copies += 1
        now, heap = self._now, self._heap
        for i in range(copies):
            this = journey
            if i:                        # a copy travels on a journey of its own
                this = next(self._journeys)
                self._record(Kind.DUPLICATE, seg.src, seg, _COPIED, journey=this,
                             copy_of=journey)
            transit = self.delay + (rng.random() * self.jitter if self.jitter else 0.0)
            transit += extra
            # a flat heap entry (when, order, kind, segment, sent at, journey): no tuple
            # inside a tuple per segment
            if transit > self.msl:
                heappush(heap, (now + self.msl, next(self._ids), "expire", seg, now, this))
            else:
                heappush(heap, (now + transit, next(self._ids), "arrive", seg, now, this))

    def _apply(self, host, outputs, arrived: Segment | None = None,
               journey: int | None = None) -> None:
        """Carry out what ``host`` (a Host, or one of its connections or listening
        sockets) asked for; its notes about the segment that just ``arrived`` (ignore,
        reply, notify) belong to that segment's ``journey``."""
        # without a trace (record=False: long experiments) a record is only counted, here:
        # a call of _record per output is a sixth of the network's time per segment
        recording, counts = self.record, self.counts
        stamp = host._stamp        # a connection writes its ports on what it sends
        # (properties of a connection: read only for the records)
        name, port, remote = ((host.name, host._trace_port, host._trace_remote)
                              if recording else (None, None, None))
        for out in outputs:
            # which of the five an output is: its class at once (an isinstance chain, or
            # a call, costs more on every output); a subclass through _output_kind
            kind = out.__class__
            if kind not in _OUTPUT_KINDS:
                kind = _output_kind(out)
            if kind is Transmit:
                seg = out.segment if stamp is None else stamp(out.segment)
                number = next(self._journeys)      # a new journey begins
                if not recording:
                    counts[_SEND_WORD] = counts.get(_SEND_WORD, 0) + 1
                elif out.retransmission:
                    self.sent.append((self._now, seg))
                    self._record(_SEND, name, seg, _RETRANSMISSION,
                                 cause=Cause.RETRANSMISSION, journey=number)
                else:
                    self.sent.append((self._now, seg))
                    self._record(_SEND, name, seg, journey=number)
                self._transmit(seg, number)
            elif kind is StateChange:
                t = out.transition
                if t.source is t.target:           # (a self-loop enters nothing)
                    pass
                elif not recording:
                    counts[_STATE_WORD] = counts.get(_STATE_WORD, 0) + 1
                else:
                    self._record(_STATE, name, None, t.label, state=t.target, port=port,
                                 remote=remote)
            elif kind is StartTimer:
                gen = host._generation.get(out.timer, 0) + 1
                host._generation[out.timer] = gen
                heappush(self._heap, (self._now + out.delay, next(self._ids), "timer", host,
                                      out.timer, gen))
            elif kind is StopTimer:
                host._generation[out.timer] = host._generation.get(out.timer, 0) + 1
            elif kind is Note:
                note = KINDS[out.kind]
                if not recording:
                    counts[note._value_] = counts.get(note._value_, 0) + 1
                else:
                    self._record(note, name, out.segment, out.text,
                                 journey=journey if out.segment is arrived else None,
                                 port=port if out.segment is None else None, remote=remote)
        settle = host._settle
        if settle is not None:
            settle()
        if self._rule_error is not None:
            self._raise_rule_error()   # only once every output is applied: the run stays whole

    # ------------------------------------------------------------------ running

    def step(self) -> NetEvent | None:
        """Process the next event and return it; None when nothing is left to do."""
        heap = self._heap
        while heap:
            at, _, kind, seg, sent_at, journey = heappop(heap)
            if kind == "timer":
                host, timer, gen = seg, sent_at, journey   # a Host, or one of its connections
                if host._generation.get(timer) != gen:
                    continue          # stopped or restarted since: not an event
                self._now = at
                self._apply(host, host.endpoint.timer_expired(timer, now=at))
                return _event(at, "timer", host.name, None, timer)
            self._now = at
            if kind == "expire":
                self._record(Kind.EXPIRE, seg.src, seg,
                             words(N_("older than MSL ({msl:g} s): gone"), msl=self.msl),
                             sent_at=sent_at, journey=journey)
                return NetEvent(at, "expire", seg.dst, seg)
            host = self.hosts.get(seg.dst)
            if host is None:
                self._record(Kind.UNROUTABLE, seg.src, seg,
                             words(N_("no host named {host}: lost"), host=repr(seg.dst)),
                             sent_at=sent_at, journey=journey)
                return NetEvent(at, "arrive", seg.dst, seg)
            if self.record:
                self._record(_ARRIVE, seg.dst, seg, sent_at=sent_at, journey=journey)
            else:                     # counts only (as in _apply: a call less per segment)
                counts = self.counts
                counts[_ARRIVE_WORD] = counts.get(_ARRIVE_WORD, 0) + 1
            if seg.dport is None:     # no ports: the host's own single endpoint
                self._apply(host, host.endpoint.receive(seg, now=at), seg, journey)
            else:
                target, outputs = host._demultiplex(seg, at)
                self._apply(target, outputs, seg, journey)
            return _event(at, "arrive", seg.dst, seg, None)
        return None

    def next_time(self) -> float | None:
        """When the next live event happens (None when idle)."""
        heap = self._heap
        while heap:
            at, _, kind, host, timer, gen = heap[0]
            if kind == "timer" and host._generation.get(timer) != gen:
                heappop(heap)
                continue
            return at
        return None

    def run(self, until: float | None = None) -> "Network":
        """Process events until idle, or until virtual time ``until`` (then ``now == until``)."""
        if until is not None:
            until = _seconds("until", until)
            if until < self._now:
                raise ValueError(f"until={until} lies in the past: the network is at "
                                 f"t={self._now:g} s")
        while True:
            t = self.next_time()
            if t is None or (until is not None and t > until):
                break
            self.step()
        if until is not None:
            self._now = until
        return self

    def in_flight(self) -> list[InFlight]:
        """Every segment on the wire now, in the order it will arrive (or expire),
        then every held segment, in the order it was held."""
        wire = sorted((e for e in self._heap if e[2] != "timer"), key=lambda e: e[:2])
        out = [InFlight(journey, seg, sent_at, at, kind)
               for at, _, kind, seg, sent_at, journey in wire]
        out += [InFlight(journey, seg, None, None, "held")
                for h in self._holds for seg, journey in zip(h.segments, h.journeys)]
        return out

    @property
    def idle(self) -> bool:
        return self.next_time() is None

    def notation(self) -> Notation:
        """The lecture's letters (x, y, u, v, w) for the segments sent so far."""
        return Notation.from_segments(self.sent)

    def __repr__(self) -> str:
        hosts = ", ".join(f"{h.name}:{h._brief()}" for h in self.hosts.values())
        return f"<Network t={self._now:g} s {hosts}>"
