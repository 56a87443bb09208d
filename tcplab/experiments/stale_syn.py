"""Lesson 03's experiment: old connection requests, with two segments and with three.

A's SYNs are held in the network at random and come out at a random later
time (已失效的连接请求报文段).  With the two-way handshake B opens connections
nobody asked for and waits in them; with the three-way handshake it never does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..fsm import State
from ..network import Host, Network
from ..segment import Flag, Segment
from ..stories import serve
from ..text import N_, _
from .garbage import runs_let_go
from .show import GREEN, GREY, RED, _html_table, _percent, _text_table

S = State

#: States in which a host holds a connection (a TCB with a peer) of its own making.
_OPEN = frozenset({S.SYN_SENT, S.SYN_RECEIVED, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                   S.CLOSING, S.CLOSE_WAIT, S.LAST_ACK})


@dataclass
class StaleSynRun:
    """One run of the stale-SYN experiment (see :func:`stale_syn_run`)."""

    handshake: str
    net: Network = field(repr=False)
    a: Host = field(repr=False)
    b: Host = field(repr=False)
    held: int            # A's SYNs held in the network
    answered: int        # times B answered a SYN that belonged to no connection of A's
    established: int     # ... and reached ESTABLISHED for it
    stuck: bool          # B is still ESTABLISHED for nobody at the end of the run
    waits: tuple[float, ...]  # how long each of those connections lasted, once it ended
    worked: int          # A's connections that did their job (of 2)


class _HeldSyns:
    """A's SYNs, each held in the network with probability ``p_hold`` and released at a
    random time up to ``hold_max`` seconds later (a request stuck in a router)."""

    def __init__(self, net: Network, rng: random.Random, p_hold: float, hold_max: float):
        self.net, self.rng, self.p_hold, self.hold_max = net, rng, p_hold, hold_max
        self.pending: list[tuple[float, int, Any]] = []   # (release time, number, hold)
        self.held = 0
        self._arm()

    def _is_syn(self, s: Segment) -> bool:
        return s.src == "A" and s.flags == Flag.SYN and self.rng.random() < self.p_hold

    def _arm(self) -> None:
        self.rule = self.net.hold(self._is_syn, count=1)

    def collect(self) -> None:
        """After each event: if a SYN was just held, choose when it comes out."""
        if self.rule.segments:
            self.held += 1
            self.pending.append((self.net.now + self.rng.uniform(0.0, self.hold_max),
                                 self.held, self.rule))
            self.pending.sort(key=lambda e: (e[0], e[1]))
            self._arm()

    def due(self, t: float | None) -> bool:
        """Is a held SYN to come out before the network's next event (at ``t``)?"""
        return bool(self.pending) and (t is None or self.pending[0][0] <= t)

    def release_next(self) -> None:
        at, _, hold = self.pending.pop(0)
        self.net.run(until=max(at, self.net.now))
        hold.release()                 # the old SYN leaves the router


class _NobodysConnections:
    """B's connections that no connection of A's wants: counted, and how long each lasted."""

    def __init__(self, net: Network, a: Host, b: Host):
        self.net, self.a, self.b = net, a, b
        self.answered = self.established = 0
        self.waits: list[float] = []
        self.since: list[float] = []     # when B's current connection-for-nobody began
        self.seen = len(b.history)

    def look(self) -> None:
        """After each event: read the states B entered since the last look."""
        a, b = self.a, self.b
        for state in b.history[self.seen:]:
            if state in (S.SYN_RECEIVED, S.ESTABLISHED):
                wanted = (a.peer == "B" and a.state in _OPEN
                          and a.iss == b.endpoint.irs)
                if not wanted:
                    if not self.since:
                        self.answered += 1
                        self.since.append(self.net.now)
                    if state is S.ESTABLISHED:
                        self.established += 1
            elif state in (S.LISTEN, S.CLOSED) and self.since:
                self.waits.append(self.net.now - self.since.pop())
        self.seen = len(b.history)

    @property
    def stuck(self) -> bool:
        """B is still ESTABLISHED for nobody."""
        return bool(self.since) and self.b.state is S.ESTABLISHED


class _TwoRequests:
    """A's application: connect, send ``request 1``, close; when that connection is over
    (TIME-WAIT waited out, or given up), do it again with ``request 2``."""

    def __init__(self, a: Host):
        self.a = a
        self.connections = 1
        self.asked = 0

    def request(self) -> None:
        a = self.a
        if a.state is S.ESTABLISHED and self.asked < self.connections:
            self.asked = self.connections
            a.send(b"request %d" % self.connections)
            a.close()

    def again(self) -> None:
        a = self.a
        if (self.connections == 1 and a.state is S.CLOSED
                and (S.TIME_WAIT in a.history or a.error)):
            self.connections = 2
            a.connect("B")


def stale_syn_run(handshake: str = "three-way", seed: int = 0, *, p_hold: float = 0.3,
                  hold_max: float = 150.0, delay: float = 0.1, jitter: float = 0.1,
                  horizon: float = 1000.0) -> StaleSynRun:
    """A client connects twice to a server while its SYNs may be stuck in the network.

    B is a server: it listens, closes when the client has closed, and listens
    again.  A connects, sends ``request 1`` and closes; when its TIME-WAIT is
    over it connects again, sends ``request 2`` and closes.  Each SYN that A
    sends is held in the network with probability ``p_hold`` and released at
    a random time up to ``hold_max`` seconds later (a request stuck in a
    router, 已失效的连接请求报文段); meanwhile A retransmits as usual.  The
    network has a one-way ``delay`` plus a random ``jitter``.

    Counted: how often B answers a SYN that belongs to no connection A still
    wants, how often it becomes ESTABLISHED for it, whether it is still
    waiting in such a connection at the end, and how many of A's two
    connections did their job (their request reached B's application).
    """
    rng = random.Random(f"stale-syn {seed}")
    net = Network(seed=seed, delay=delay, jitter=jitter)
    a = net.host("A", handshake=handshake)
    b = net.host("B", handshake=handshake)
    syns = _HeldSyns(net, rng, p_hold, hold_max)
    nobodys = _NobodysConnections(net, a, b)
    client = _TwoRequests(a)
    b.listen()
    a.connect("B")
    syns.collect()
    while True:
        t = net.next_time()
        if syns.due(t):
            syns.release_next()
        elif t is None or t > horizon:
            break
        else:
            net.step()
        syns.collect()
        nobodys.look()
        client.request()               # the applications
        serve(b)
        client.again()
        syns.collect()
        nobodys.look()
    worked = sum(b"request %d" % k in b.received for k in (1, 2))
    return StaleSynRun(handshake, net, a, b, syns.held, nobodys.answered,
                       nobodys.established, nobodys.stuck, tuple(nobodys.waits), worked)


@dataclass(frozen=True)
class StaleSynRow:
    """The counts of :func:`stale_syn_experiment` for one handshake."""

    handshake: str
    runs: int
    held: int           # SYNs held, over all runs
    answered: int       # runs in which B answered an old SYN (a connection nobody wanted)
    established: int    # runs in which B became ESTABLISHED for nobody
    stuck: int          # runs that ended with B still ESTABLISHED for nobody
    longest_wait: float  # the longest such connection that did end, seconds (0: none)
    worked: int         # A's connections that did their job
    connections: int    # A's connections (2 per run)


@dataclass(frozen=True)
class StaleSynResult:
    """What :func:`stale_syn_experiment` counted; prints as a table."""

    rows: tuple[StaleSynRow, ...]
    n: int
    seed: int
    p_hold: float
    hold_max: float

    def __getitem__(self, handshake: str) -> StaleSynRow:
        for row in self.rows:
            if row.handshake == handshake:
                return row
        raise KeyError(f"no row for handshake {handshake!r}; there are: "
                       f"{', '.join(r.handshake for r in self.rows)}")

    # "handshake" alone is already a story's name (三次握手) in the catalogue: the heading
    # stays English until the catalogue has contexts
    HEADERS = ("handshake", N_("runs"), N_("B answered an old SYN"),
               N_("B ESTABLISHED for nobody"), N_("still waiting at the end"),
               N_("A's connections that worked"))

    # the handshakes' names are data (``result["two-way"]``); only the table says them
    _NAMES = (N_("two-way"), N_("three-way"))

    def _headers(self) -> list[str]:
        return [self.HEADERS[0]] + [_(h) for h in self.HEADERS[1:]]

    def _cells(self, row: StaleSynRow) -> list[tuple[str, float, str]]:
        n = row.runs
        return [(f"{row.answered} ({_percent(row.answered, n)})", row.answered / n, GREY),
                (f"{row.established} ({_percent(row.established, n)})",
                 row.established / n, RED),
                (f"{row.stuck} ({_percent(row.stuck, n)})", row.stuck / n, RED),
                (_("{worked} of {connections}").format(worked=row.worked,
                                                       connections=row.connections),
                 row.worked / row.connections, GREEN)]

    def table(self) -> str:
        rows = [[_(r.handshake), str(r.runs)] + [c[0] for c in self._cells(r)]
                for r in self.rows]
        return self.caption() + "\n" + _text_table(self._headers(), rows)

    def caption(self) -> str:
        return _("{n} runs of two connections each; every SYN held with probability "
                 "{p_hold} for up to {hold_max} s (seed {seed})").format(
            n=self.n, p_hold=f"{self.p_hold:g}", hold_max=f"{self.hold_max:g}", seed=self.seed)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        rows = [[_(r.handshake), r.runs] + self._cells(r) for r in self.rows]
        return _html_table(self.caption(), self._headers(), rows,
                           note=_("runs: how many runs this happened in (at least once)."))


def stale_syn_experiment(n: int = 200, seed: int = 0, *, p_hold: float = 0.3,
                         hold_max: float = 150.0,
                         handshakes: Iterable[str] = ("two-way", "three-way"),
                         **options) -> StaleSynResult:
    """Play :func:`stale_syn_run` ``n`` times for each handshake and count.

    Run ``i`` uses the seed ``seed * 100_000 + i`` for both handshakes, so both
    see the same delays and the same SYNs held for the same times, as long as
    their stories stay alike.  ``options`` go to :func:`stale_syn_run`
    (``delay``, ``jitter``, ``horizon``).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    rows = []
    with runs_let_go() as let_go:
        for handshake in handshakes:
            counts = _Counts()
            for i in range(n):
                counts.add(stale_syn_run(handshake, seed * 100_000 + i, p_hold=p_hold,
                                         hold_max=hold_max, **options))
                let_go()
            rows.append(counts.row(handshake, n))
    return StaleSynResult(tuple(rows), n, seed, p_hold, hold_max)


class _Counts:
    """What :func:`stale_syn_experiment` keeps of each run (not the run itself: its
    network and trace are let go as soon as they are counted)."""

    def __init__(self):
        self.held = self.answered = self.established = self.stuck = self.worked = 0
        self.longest_wait = 0.0

    def add(self, run: StaleSynRun) -> None:
        self.held += run.held
        self.answered += run.answered > 0
        self.established += run.established > 0
        self.stuck += run.stuck
        self.worked += run.worked
        self.longest_wait = max((self.longest_wait, *run.waits))

    def row(self, handshake: str, n: int) -> "StaleSynRow":
        return StaleSynRow(handshake, n, self.held, self.answered, self.established,
                           self.stuck, round(self.longest_wait, 3), self.worked, 2 * n)
