"""Lesson 04's experiments: why TIME-WAIT lasts 2MSL.

Old duplicates and TIME-WAIT (:func:`time_wait_run`,
:func:`time_wait_experiment`): a fast sender's segment takes a slow path
(bounded by MSL, as every segment is); A reconnects after TIME-WAIT with a
clock-driven ISN.  With a short TIME-WAIT the old segment can land in the new
connection's window and corrupt its data; with 2MSL it never can.  And the
lost last ACK (:func:`lost_last_ack`), which TIME-WAIT is there to answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from ..fsm import State
from ..network import Host, Network
from ..scenarios import get
from ..segment import Segment
from ..session import Session
from ..stories import serve
from ..text import N_, _
from .garbage import runs_let_go
from .show import GREY, RED, _html_table, _percent, _text_table

S = State


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
        "expired": N_("died on the wire, older than MSL"),
        "before": N_("arrived before the new connection existed: harmless"),
        "harmless": N_("arrived during the new connection, outside its window: dropped"),
        "corrupted": N_("arrived during the new connection, inside its window: "
                        "B took old bytes for new ones"),
        "none": N_("no segment took the slow path"),
    }

    @property
    def corrupted(self) -> bool:
        return self.fate == "corrupted"

    @property
    def old_bytes(self) -> int:
        """How many bytes of the old connection B's application got in the new one."""
        return self.new_bytes.count(OLD_BYTE)

    def summary(self) -> str:
        t = lambda x: f"{x:.3f}"  # noqa: E731
        lines = [_("TIME-WAIT {time_wait} s (MSL {msl} s)").format(
            time_wait=f"{self.time_wait:g}", msl=f"{self.net.msl:g}")]
        if self.old_closed is not None:
            lines.append(_("A entered TIME-WAIT at t={t} s").format(t=t(self.old_closed)))
        if self.reconnect is not None:
            lines.append(_("A connected again at t={t} s: x1={x1}, x2={x2} (the clock moved "
                           "{ticks} ticks)").format(t=t(self.reconnect), x1=self.x1, x2=self.x2,
                                                    ticks=self.x2 - self.x1)
                         if self.x1 is not None and self.x2 is not None else
                         _("A connected again at t={t} s").format(t=t(self.reconnect)))
        if self.slow is not None:
            lines.append((_("the slow segment seq={seq} len={len} left A at t={sent} s and "
                            "expired at t={t} s") if self.fate == "expired" else
                          _("the slow segment seq={seq} len={len} left A at t={sent} s and "
                            "reached B at t={t} s")).format(
                seq=self.slow.seq, len=len(self.slow.data), sent=t(self.slow_sent),
                t=t(self.fate_time)))
        lines.append("→ " + _(self.FATES[self.fate]))
        lines.append(_("B's application got {got} bytes in the new connection, {old} of them "
                       "from the old one").format(got=len(self.new_bytes), old=self.old_bytes))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _nth_old_segment(n: int) -> Callable[[Segment], bool]:
    """Matches A's data segment number ``n`` of the old connection (0 = the first)."""
    data_sent = [0]

    def slow(s: Segment) -> bool:
        if s.src == "A" and s.data and OLD_BYTE in s.data[:1]:
            data_sent[0] += 1
            return data_sent[0] == n + 1
        return False
    return slow


class _Incarnations:
    """A's application over the two incarnations, and the moments the run reports.

    Old: once ESTABLISHED, A uploads ``old_data`` and closes; when its TIME-WAIT
    is over it connects again.  New: ``think`` seconds after ESTABLISHED it
    sends four messages and closes.
    """

    def __init__(self, net: Network, a: Host, b: Host, old_data: bytes, message: bytes,
                 think: float):
        self.net, self.a, self.b = net, a, b
        self.old_data, self.message, self.think = old_data, message, think
        self.phase = "old"
        self.old_closed = self.reconnect = self.new_open = self.established = None
        self.x1 = self.x2 = None
        self.mark = 0                  # B's bytes received before the new connection
        self.sent_new = False

    def send_new_when_due(self) -> None:
        """Before each event: in the new connection, send once ``think`` has passed."""
        if self.phase != "new" or self.established is None or self.sent_new:
            return
        t = self.net.next_time()
        due = self.established + self.think
        if t is None or t > due:
            self.net.run(until=due)
            for _ in range(4):
                self.a.send(memoryview(self.message))   # (a memoryview: the trace says send())
            self.a.close()
            self.sent_new = True

    def after_event(self) -> None:
        a, b, now = self.a, self.b, self.net.now
        if self.phase == "old":
            if a.state is S.ESTABLISHED and self.x1 is None:
                self.x1 = a.iss
                a.send(memoryview(self.old_data))
                a.close()
            if a.state is S.TIME_WAIT and self.old_closed is None:
                self.old_closed = now
            if a.state is S.CLOSED and self.old_closed is not None:
                self.phase = "new"
                self.reconnect = now
                self.mark = len(b.received)
                a.connect("B")
                self.x2 = a.iss
        else:
            if b.state is S.SYN_RECEIVED and self.new_open is None:
                self.new_open = now
            if a.state is S.ESTABLISHED and self.established is None:
                self.established = now


def _fate(net: Network, new_open: float | None, new_bytes: bytes, new_data: bytes):
    """(fate, when it arrived or expired, the slow segment, when it left A)."""
    postponed = next((r for r in net.trace if r.kind == "postpone"), None)
    if postponed is None:
        return "none", None, None, None
    seg, sent = postponed.segment, postponed.time
    end = next(r for r in net.trace if r.kind in ("arrive", "expire")
               and r.journey == postponed.journey)
    if end.kind == "expire":
        fate = "expired"
    elif new_open is None or end.time < new_open:
        fate = "before"
    elif new_bytes != new_data:
        fate = "corrupted"
    else:
        fate = "harmless"
    return fate, end.time, seg, sent


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
    message = NEW_BYTE * 16_000
    play = _Incarnations(net, a, b, OLD_BYTE * (mss * old_segments), message, think)
    net.postpone(_nth_old_segment(slow_segment), by=slow_by)
    b.listen()
    net.run(until=start)
    a.connect("B")
    while True:
        play.send_new_when_due()
        if net.step() is None:
            break
        play.after_event()
        serve(b)
    new_bytes = b.received[play.mark:] if play.reconnect is not None else b""
    fate, fate_time, seg, sent = _fate(net, play.new_open, new_bytes, message * 4)
    return TimeWaitRun(time_wait, net, a, b, seg, sent, fate, fate_time, play.old_closed,
                       play.reconnect, play.new_open, play.x1, play.x2, new_bytes)


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

    HEADERS = ("TIME-WAIT", N_("runs"), N_("died on the wire (MSL)"),
               N_("arrived before the new conn."), N_("met the new connection"),
               N_("corrupted its data"))

    def _headers(self) -> list[str]:
        return [_(h) for h in self.HEADERS]

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
        return _("{n} runs per TIME-WAIT length, MSL = {msl} s (seed {seed}): what became "
                 "of the old segment on the slow path").format(n=self.n, msl=f"{self.msl:g}",
                                                               seed=self.seed)

    def table(self) -> str:
        rows = [[self._label(r.time_wait), str(r.runs)] + [c[0] for c in self._cells(r)]
                for r in self.rows]
        return self.caption() + "\n" + _text_table(self._headers(), rows)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        rows = [[self._label(r.time_wait), r.runs] + self._cells(r) for r in self.rows]
        return _html_table(self.caption(), self._headers(), rows)


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
    with runs_let_go() as let_go:
        for tw in time_waits:
            counts = {"expired": 0, "before": 0, "harmless": 0, "corrupted": 0, "none": 0}
            for i, (start, index, by) in enumerate(draws):
                counts[time_wait_run(tw, start=start, slow_segment=index, slow_by=by,
                                     seed=seed * 100_000 + i, msl=msl,
                                     old_segments=old_segments, **options).fate] += 1
                let_go()
            rows.append(TimeWaitRow(float(tw), n, counts["expired"], counts["before"],
                                    counts["harmless"], counts["corrupted"]))
    return TimeWaitResult(tuple(rows), n, seed, msl)


def lost_last_ack(time_wait: float | None = None):
    """The scenario "lost-last-ack" played to the end, with A's TIME-WAIT of ``time_wait``.

    A closed first; B's FIN+ACK has just been delivered and A's last ACK is
    dropped.  Returns the :class:`~tcplab.session.Session` after
    everything has happened (``.net``, ``.host("A")``, ``.host("B")``).
    ``time_wait=None`` is the usual 2MSL; ``time_wait=0`` is a host that
    closes at once.
    """
    scenario = get("lost-last-ack")
    session = Session(replace(scenario.config, time_wait=time_wait), scenario.actions)
    session.do("run")
    return session
