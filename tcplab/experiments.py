"""The lessons' experiments: many connections on the toy network, counted.

A story shows what *can* happen once; an experiment plays the same story a few
hundred times with random delays and counts what *does* happen.  Each
experiment here is built from a single run that a notebook can also show on
its own (its network, its trace, its pictures):

stale_syn_run / stale_syn_experiment     lesson 03.  Old connection requests
    (已失效的连接请求报文段): A's SYNs are held in the network at random and
    come out at a random later time.  With the two-way handshake B opens
    connections nobody asked for and waits in them; with the three-way
    handshake it never does.
time_wait_run / time_wait_experiment     lesson 04.  Old duplicates and
    TIME-WAIT: a fast sender's segment takes a slow path (bounded by MSL, as
    every segment is); A reconnects after TIME-WAIT with a clock-driven ISN.
    With a short TIME-WAIT the old segment can land in the new connection's
    window and corrupt its data; with 2MSL it never can.

Everything is deterministic: the same arguments give the same numbers.
Results print as text tables and show as HTML tables in Jupyter.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .fsm import State
from .network import Host, Network
from .segment import Flag, Segment

__all__ = [
    "StaleSynRun", "StaleSynRow", "StaleSynResult", "stale_syn_run", "stale_syn_experiment",
    "TimeWaitRun", "TimeWaitRow", "TimeWaitResult", "time_wait_run", "time_wait_experiment",
    "lost_last_ack", "side_by_side", "TIME_WAIT_SETUP",
]

S = State

#: States in which a host holds a connection (a TCB with a peer) of its own making.
_OPEN = frozenset({S.SYN_SENT, S.SYN_RECEIVED, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                   S.CLOSING, S.CLOSE_WAIT, S.LAST_ACK})


# --------------------------------------------------------------------------- tables

def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(  # noqa: E731
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths])]
                     + [line(r) for r in rows])


def _html_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                note: str = "") -> str:
    """An HTML table; a cell given as (text, fraction, colour) gets a small bar."""
    head = "".join(f'<th style="padding:3px 8px;text-align:{"left" if i == 0 else "right"};'
                   f'border-bottom:1px solid #888">{html.escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            style = f'padding:3px 8px;text-align:{"left" if i == 0 else "right"}'
            if isinstance(cell, tuple):
                text, fraction, colour = cell
                width = max(0.0, min(1.0, fraction)) * 60
                bar = (f'<span style="display:inline-block;vertical-align:middle;width:60px;'
                       f'height:9px;background:#eee;margin-left:6px">'
                       f'<span style="display:block;width:{width:.1f}px;height:9px;'
                       f'background:{colour}"></span></span>')
                cells.append(f'<td style="{style};white-space:nowrap">'
                             f'{html.escape(text)}{bar}</td>')
            else:
                cells.append(f'<td style="{style}">{html.escape(str(cell))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    foot = (f'<div style="font-size:12px;color:#555;margin-top:4px">{html.escape(note)}'
            f'</div>' if note else "")
    return (f'<div class="tcplab-experiment" style="font-family:sans-serif;font-size:13px">'
            f'<table style="border-collapse:collapse">'
            f'<caption style="caption-side:top;text-align:left;font-weight:bold;'
            f'padding-bottom:4px">{html.escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'{foot}</div>')


RED, GREEN, GREY = "#c92a2a", "#2b8a3e", "#868e96"


# --------------------------------------------------------------------------- side by side

class SideBySide:
    """Pictures (or anything with ``svg()`` or ``_repr_html_``) in a row, with titles."""

    def __init__(self, items: Sequence[Any], titles: Sequence[str] = ()):
        self.items = list(items)
        self.titles = list(titles) + [""] * (len(self.items) - len(titles))

    def _cell(self, item: Any) -> str:
        if hasattr(item, "_repr_mimebundle_"):     # a Picture: its SVG as an <img>, which
            bundle = item._repr_mimebundle_()       # untrusted notebooks and GitHub show
            if "text/html" in bundle:
                return bundle["text/html"]
        if hasattr(item, "svg"):
            from .diagrams.picture import svg_as_img
            return svg_as_img(item.svg())
        if hasattr(item, "_repr_html_"):
            return item._repr_html_()
        return f"<pre>{html.escape(str(item))}</pre>"

    def _repr_html_(self) -> str:
        width = 100 / max(1, len(self.items))
        cells = "".join(
            f'<div style="flex:1 1 {width:.0f}%;min-width:0;padding:0 6px">'
            f'<div style="font-family:sans-serif;font-weight:bold;text-align:center;'
            f'margin-bottom:4px">{html.escape(title)}</div>{self._cell(item)}</div>'
            for item, title in zip(self.items, self.titles))
        return f'<div class="tcplab-side-by-side" style="display:flex">{cells}</div>'

    def __repr__(self) -> str:
        return " | ".join(t or type(i).__name__ for i, t in zip(self.items, self.titles))


def side_by_side(*items: Any, titles: Sequence[str] = ()) -> SideBySide:
    """Show pictures next to each other: ``side_by_side(pic1, pic2, titles=("a", "b"))``."""
    return SideBySide(items, titles)


# --------------------------------------------------------------------------- lesson 03

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
    pending: list[tuple[float, int, Any]] = []
    held = 0
    rule: list[Any] = []

    def is_syn(s: Segment) -> bool:
        return s.src == "A" and s.flags == Flag.SYN and rng.random() < p_hold

    def arm() -> None:
        rule[:] = [net.hold(is_syn, count=1)]

    def collect() -> None:            # a SYN was just held: choose when it comes out
        nonlocal held
        if rule[0].segments:
            held += 1
            pending.append((net.now + rng.uniform(0.0, hold_max), held, rule[0]))
            pending.sort(key=lambda e: (e[0], e[1]))
            arm()

    answered = established = 0
    waits: list[float] = []
    since: list[float] = []           # when B's current connection-for-nobody began
    seen = len(b.history)

    def watch_b() -> None:
        nonlocal seen, answered, established
        for state in b.history[seen:]:
            if state in (S.SYN_RECEIVED, S.ESTABLISHED):
                wanted = (a.peer == "B" and a.state in _OPEN
                          and a.iss == b.endpoint.irs)
                if not wanted:
                    if not since:
                        answered += 1
                        since.append(net.now)
                    if state is S.ESTABLISHED:
                        established += 1
            elif state in (S.LISTEN, S.CLOSED) and since:
                waits.append(net.now - since.pop())
        seen = len(b.history)

    arm()
    b.listen()
    a.connect("B")
    collect()
    connections = 1
    asked = 0
    while True:
        t = net.next_time()
        if pending and (t is None or pending[0][0] <= t):
            at, _, hold = pending.pop(0)
            net.run(until=max(at, net.now))
            hold.release()                 # the old SYN leaves the router
        elif t is None or t > horizon:
            break
        else:
            net.step()
        collect()
        watch_b()
        # the applications
        if a.state is S.ESTABLISHED and asked < connections:
            asked = connections
            a.send(b"request %d" % connections)
            a.close()
        if b.state is S.CLOSE_WAIT:
            b.close()
        if b.state is S.CLOSED:
            b.listen()
        if (connections == 1 and a.state is S.CLOSED
                and (S.TIME_WAIT in a.history or a.error)):
            connections = 2
            a.connect("B")
        collect()
        watch_b()
    worked = sum(b"request %d" % k in b.received for k in (1, 2))
    return StaleSynRun(handshake, net, a, b, held, answered, established,
                       bool(since) and b.state is S.ESTABLISHED, tuple(waits), worked)


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

    HEADERS = ("handshake", "runs", "B answered an old SYN",
               "B ESTABLISHED for nobody", "still waiting at the end",
               "A's connections that worked")

    def _cells(self, row: StaleSynRow) -> list[tuple[str, float, str]]:
        n = row.runs
        return [(f"{row.answered} ({_percent(row.answered, n)})", row.answered / n, GREY),
                (f"{row.established} ({_percent(row.established, n)})",
                 row.established / n, RED),
                (f"{row.stuck} ({_percent(row.stuck, n)})", row.stuck / n, RED),
                (f"{row.worked} of {row.connections}", row.worked / row.connections, GREEN)]

    def table(self) -> str:
        rows = [[r.handshake, str(r.runs)] + [c[0] for c in self._cells(r)]
                for r in self.rows]
        return self.caption() + "\n" + _text_table(self.HEADERS, rows)

    def caption(self) -> str:
        return (f"{self.n} runs of two connections each; every SYN held with probability "
                f"{self.p_hold:g} for up to {self.hold_max:g} s (seed {self.seed})")

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        rows = [[r.handshake, r.runs] + self._cells(r) for r in self.rows]
        return _html_table(self.caption(), self.HEADERS, rows,
                           note="runs: how many runs this happened in (at least once).")


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
    for handshake in handshakes:
        runs = [stale_syn_run(handshake, seed * 100_000 + i, p_hold=p_hold,
                              hold_max=hold_max, **options) for i in range(n)]
        ended = [w for r in runs for w in r.waits]
        rows.append(StaleSynRow(
            handshake, n, sum(r.held for r in runs),
            sum(r.answered > 0 for r in runs), sum(r.established > 0 for r in runs),
            sum(r.stuck for r in runs), round(max(ended, default=0.0), 3),
            sum(r.worked for r in runs), 2 * n))
    return StaleSynResult(tuple(rows), n, seed, p_hold, hold_max)


# --------------------------------------------------------------------------- lesson 04

#: The fast network of the TIME-WAIT experiment (see :func:`time_wait_run`).
TIME_WAIT_SETUP = dict(delay=0.01, msl=1.0, window=65535, mss=65535, rto=0.2)

OLD_BYTE, NEW_BYTE = b"o", b"n"


@dataclass
class TimeWaitRun:
    """One run of the TIME-WAIT experiment (see :func:`time_wait_run`)."""

    time_wait: float
    net: Network = field(repr=False)
    a: Host = field(repr=False)
    b: Host = field(repr=False)
    slow: Segment | None     # the old segment that took the slow path
    slow_sent: float | None  # when it left A
    fate: str                # what became of it: see FATES
    fate_time: float | None  # when it arrived or expired
    old_closed: float | None  # when A entered TIME-WAIT (the old connection's end for A)
    reconnect: float | None  # when A connected again (after TIME-WAIT)
    new_open: float | None   # when B's new connection began (SYN-RECEIVED)
    x1: int | None           # A's ISN in the old connection
    x2: int | None           # A's ISN in the new connection
    new_bytes: bytes = field(repr=False, default=b"")  # B's application, new connection

    FATES = {
        "expired": "died on the wire, older than MSL",
        "before": "arrived before the new connection existed: harmless",
        "harmless": "arrived during the new connection, outside its window: dropped",
        "corrupted": "arrived during the new connection, inside its window: "
                     "B took old bytes for new ones",
        "none": "no segment took the slow path",
    }

    @property
    def corrupted(self) -> bool:
        return self.fate == "corrupted"

    @property
    def old_bytes(self) -> int:
        """How many bytes of the old connection B's application got in the new one."""
        return self.new_bytes.count(OLD_BYTE)

    def summary(self) -> str:
        lines = [f"TIME-WAIT {self.time_wait:g} s (MSL {self.net.msl:g} s)"]
        if self.old_closed is not None:
            lines.append(f"A entered TIME-WAIT at t={self.old_closed:.3f} s")
        if self.reconnect is not None:
            lines.append(f"A connected again at t={self.reconnect:.3f} s: x1={self.x1}, "
                         f"x2={self.x2} (the clock moved {self.x2 - self.x1} ticks)"
                         if self.x1 is not None and self.x2 is not None else
                         f"A connected again at t={self.reconnect:.3f} s")
        if self.slow is not None:
            lines.append(f"the slow segment seq={self.slow.seq} len={len(self.slow.data)} "
                         f"left A at t={self.slow_sent:.3f} s and "
                         + (f"expired at t={self.fate_time:.3f} s"
                            if self.fate == "expired" else
                            f"reached B at t={self.fate_time:.3f} s"))
        lines.append("→ " + self.FATES[self.fate])
        lines.append(f"B's application got {len(self.new_bytes)} bytes in the new connection, "
                     f"{self.old_bytes} of them from the old one")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def time_wait_run(time_wait: float, *, start: float = 0.3, slow_segment: int = 1,
                  slow_by: float = 0.8, seed: int = 0, old_segments: int = 5,
                  think: float | None = None, delay: float = TIME_WAIT_SETUP["delay"],
                  msl: float = TIME_WAIT_SETUP["msl"], window: int = TIME_WAIT_SETUP["window"],
                  mss: int = TIME_WAIT_SETUP["mss"],
                  rto: float = TIME_WAIT_SETUP["rto"]) -> TimeWaitRun:
    """Two incarnations of the connection A–B, with one old segment on a slow path.

    The network is fast (one-way ``delay`` 10 ms, MSL ``msl``); both hosts
    take their ISNs from RFC 793's 4 µs clock (``iss="clock"``), advertise a
    ``window`` of 65535 bytes (the most without window scaling) and
    retransmit after ``rto`` (0.2 s, Linux's minimum).

    1. At ``start`` A connects and uploads ``old_segments`` full segments (a
       fast sender: about 3 MB/s, twelve times the ISN clock's 250 000
       numbers per second, so its sequence numbers run ahead of the clock),
       then closes.  Its data segment number ``slow_segment`` (0 = the first)
       takes a slow path, ``slow_by`` extra seconds in the network — but no
       segment lives longer than MSL, so if the delay exceeds ``msl`` it
       expires on the wire.  A retransmits it and the upload completes.
    2. A waits ``time_wait`` seconds in TIME-WAIT, then connects again: the
       same two ends, a new incarnation, a new ISN from the clock.  After
       ``think`` seconds (default: ``msl``) it sends four messages of 16 000
       bytes and closes.  B, a server, listens again whenever it is CLOSED.

    The run reports the slow segment's fate (``expired``, arrived ``before``
    the new connection, ``harmless`` in it, or ``corrupted`` it: B's
    application got old bytes in the new connection).
    """
    think = msl if think is None else think
    net = Network(seed=seed, delay=delay, msl=msl)
    kw = dict(iss="clock", window=window, mss=mss, rto_initial=rto, time_wait=time_wait)
    a, b = net.host("A", **kw), net.host("B", **kw)
    old_data = OLD_BYTE * (mss * old_segments)
    message = NEW_BYTE * 16_000
    new_data = message * 4
    data_sent = [0]

    def slow(s: Segment) -> bool:
        if s.src == "A" and s.data and OLD_BYTE in s.data[:1]:
            data_sent[0] += 1
            return data_sent[0] == slow_segment + 1
        return False

    net.postpone(slow, by=slow_by)
    b.listen()
    net.run(until=start)
    a.connect("B")
    phase = "old"
    old_closed = reconnect = new_open = established = None
    x1 = x2 = None
    mark = 0
    sent_new = False
    while True:
        if phase == "new" and established is not None and not sent_new:
            t = net.next_time()
            if t is None or t > established + think:
                net.run(until=established + think)
                for _ in range(4):
                    a.send(memoryview(message))    # (a memoryview: the trace says send())
                a.close()
                sent_new = True
        if net.step() is None:
            break
        if phase == "old":
            if a.state is S.ESTABLISHED and x1 is None:
                x1 = a.iss
                a.send(memoryview(old_data))
                a.close()
            if a.state is S.TIME_WAIT and old_closed is None:
                old_closed = net.now
            if a.state is S.CLOSED and old_closed is not None:
                phase = "new"
                reconnect = net.now
                mark = len(b.received)
                a.connect("B")
                x2 = a.iss
        else:
            if b.state is S.SYN_RECEIVED and new_open is None:
                new_open = net.now
            if a.state is S.ESTABLISHED and established is None:
                established = net.now
        if b.state is S.CLOSE_WAIT:
            b.close()
        if b.state is S.CLOSED:
            b.listen()
    new_bytes = b.received[mark:] if reconnect is not None else b""
    postponed = next((r for r in net.trace if r.kind == "postpone"), None)
    fate, fate_time, seg, sent = "none", None, None, None
    if postponed is not None:
        seg, sent = postponed.segment, postponed.time
        end = next(r for r in net.trace if r.kind in ("arrive", "expire")
                   and r.journey == postponed.journey)
        fate_time = end.time
        if end.kind == "expire":
            fate = "expired"
        elif new_open is None or end.time < new_open:
            fate = "before"
        elif new_bytes != new_data:
            fate = "corrupted"
        else:
            fate = "harmless"
    return TimeWaitRun(time_wait, net, a, b, seg, sent, fate, fate_time, old_closed,
                       reconnect, new_open, x1, x2, new_bytes)


@dataclass(frozen=True)
class TimeWaitRow:
    """The counts of :func:`time_wait_experiment` for one TIME-WAIT length."""

    time_wait: float
    runs: int
    expired: int     # the slow segment died on the wire (MSL)
    before: int      # it arrived before the new connection existed
    harmless: int    # it arrived during the new connection, outside its window
    corrupted: int   # it arrived inside the new connection's window: data corrupted

    @property
    def in_new(self) -> int:
        """Runs in which the old segment met the new connection."""
        return self.harmless + self.corrupted


@dataclass(frozen=True)
class TimeWaitResult:
    """What :func:`time_wait_experiment` counted; prints as a table."""

    rows: tuple[TimeWaitRow, ...]
    n: int
    seed: int
    msl: float

    def __getitem__(self, time_wait: float) -> TimeWaitRow:
        for row in self.rows:
            if abs(row.time_wait - time_wait) < 1e-9:
                return row
        raise KeyError(f"no row for time_wait={time_wait!r}; there are: "
                       f"{', '.join(f'{r.time_wait:g}' for r in self.rows)}")

    HEADERS = ("TIME-WAIT", "runs", "died on the wire (MSL)", "arrived before the new conn.",
               "met the new connection", "corrupted its data")

    def _label(self, tw: float) -> str:
        m = tw / self.msl
        name = {0: "0", 0.25: "¼ MSL", 0.5: "½ MSL", 0.75: "¾ MSL", 1: "MSL",
                1.5: "1.5 MSL", 2: "2MSL"}.get(round(m, 9), f"{m:g} MSL")
        return f"{tw:g} s" + ("" if name == "0" else f" = {name}")

    def _cells(self, r: TimeWaitRow) -> list[tuple[str, float, str]]:
        n = r.runs
        return [(f"{r.expired} ({_percent(r.expired, n)})", r.expired / n, GREY),
                (f"{r.before} ({_percent(r.before, n)})", r.before / n, GREY),
                (f"{r.in_new} ({_percent(r.in_new, n)})", r.in_new / n, "#e8590c"),
                (f"{r.corrupted} ({_percent(r.corrupted, n)})", r.corrupted / n, RED)]

    def caption(self) -> str:
        return (f"{self.n} runs per TIME-WAIT length, MSL = {self.msl:g} s (seed {self.seed}): "
                "what became of the old segment on the slow path")

    def table(self) -> str:
        rows = [[self._label(r.time_wait), str(r.runs)] + [c[0] for c in self._cells(r)]
                for r in self.rows]
        return self.caption() + "\n" + _text_table(self.HEADERS, rows)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        rows = [[self._label(r.time_wait), r.runs] + self._cells(r) for r in self.rows]
        return _html_table(self.caption(), self.HEADERS, rows)


def time_wait_experiment(time_waits: Sequence[float] | None = None, n: int = 150,
                         seed: int = 0, *, msl: float = TIME_WAIT_SETUP["msl"],
                         old_segments: int = 5, **options) -> TimeWaitResult:
    """Play :func:`time_wait_run` ``n`` times for each TIME-WAIT length and count.

    ``time_waits`` defaults to 0, ¼, ½, 1 and 2 MSL.  Each run draws when A
    first connects (so the clock gives a different ISN), which of its data
    segments takes the slow path, and how long that path is (uniform between
    0 and 1.5 MSL, so a third of them outlive MSL and expire).  The same ``n``
    draws are replayed for every TIME-WAIT length, so the rows differ only by
    TIME-WAIT.  ``options`` go to :func:`time_wait_run`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if time_waits is None:
        time_waits = [f * msl for f in (0, 0.25, 0.5, 1, 2)]
    rng = random.Random(f"time-wait {seed}")
    draws = [(rng.uniform(0.0, 1.0), rng.randrange(old_segments), rng.uniform(0.0, 1.5 * msl))
             for _ in range(n)]
    rows = []
    for tw in time_waits:
        counts = {"expired": 0, "before": 0, "harmless": 0, "corrupted": 0, "none": 0}
        for i, (start, index, by) in enumerate(draws):
            run = time_wait_run(tw, start=start, slow_segment=index, slow_by=by,
                                seed=seed * 100_000 + i, msl=msl, old_segments=old_segments,
                                **options)
            counts[run.fate] += 1
        rows.append(TimeWaitRow(float(tw), n, counts["expired"], counts["before"],
                                counts["harmless"], counts["corrupted"]))
    return TimeWaitResult(tuple(rows), n, seed, msl)


# --------------------------------------------------------------------------- lesson 04 (a)

def lost_last_ack(time_wait: float | None = None):
    """The scenario "lost-last-ack" played to the end, with A's TIME-WAIT of ``time_wait``.

    A closed first; B's FIN+ACK has just been delivered and A's last ACK is
    dropped.  Returns the :class:`~tcplab.session.Session` after
    everything has happened (``.net``, ``.host("A")``, ``.host("B")``).
    ``time_wait=None`` is the usual 2MSL; ``time_wait=0`` is a host that
    closes at once.
    """
    from dataclasses import replace

    from .scenarios import get
    from .session import Session
    scenario = get("lost-last-ack")
    session = Session(replace(scenario.config, time_wait=time_wait), scenario.actions)
    session.do("run")
    return session
