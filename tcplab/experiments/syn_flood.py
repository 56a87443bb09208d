"""Lesson 11's experiment: a SYN flood against a listening socket, with and without SYN cookies.

One run (:func:`syn_flood_run`): B listens on port 80 with a small backlog; from
t = 0 an attacker sends SYNs from spoofed addresses (names with no host behind
them, so nobody ever answers B's SYN+ACK), as a Poisson stream of ``rate`` SYNs
per second.  Each such SYN takes a place on B's SYN queue for as long as B
retransmits its SYN+ACK (about two minutes with tcplab's 6 retries; Linux's
tcp_synack_retries = 5 make it about one).
At a random moment of the first ``window`` seconds a real client, A, connects;
it succeeds when it is ESTABLISHED within ``patience`` seconds (its own SYN is
retransmitted meanwhile).  With cookies (``syn_cookies=True``) B answers a SYN
that finds the queue full with a SYN cookie and keeps no state, so the flood
fills nothing.

:func:`syn_flood_experiment` plays ``n`` runs per flood rate, both ways, with
the same draws for both, and counts; the result prints as a table and shows, in
a notebook, as a plot (an SVG drawn here: no plotting library) beside it.
"""

from __future__ import annotations

import html
import math
import random
from dataclasses import dataclass
from typing import Sequence

from ..fsm import State
from ..network import Network
from ..segment import Flag, Segment
from ..text import N_, _
from .garbage import runs_let_go
from .show import GREEN, RED, _html_table, _percent, _text_table

#: The flood rates (spoofed SYNs per second) the experiment tries by default.
RATES = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


@dataclass(frozen=True)
class FloodRun:
    """One run: did the real client get in, and how many spoofed SYNs were sent."""

    rate: float
    cookies: bool
    connected: bool
    spoofed: int
    arrived: float           # when the client connected


def _spoofed(i: int, rng: random.Random) -> Segment:
    # a source address with no host behind it: the SYN+ACK goes nowhere
    return Segment(f"X{i}", "B", Flag.SYN, rng.randrange(2 ** 32), sport=1024 + i % 60000,
                   dport=80)


def syn_flood_run(rate: float, cookies: bool, seed: int = 0, *, backlog: int = 8,
                  window: float = 20.0, patience: float = 10.0) -> FloodRun:
    """A flood of ``rate`` spoofed SYNs per second against ``backlog``; one client (see the
    module's help)."""
    if rate < 0:
        raise ValueError(f"rate must be >= 0, got {rate!r}")
    rng = random.Random(f"syn flood {rate} {seed}")     # the same draws with and without
    net = Network(seed=seed, delay=0.05)
    a, b = net.host("A"), net.host("B", syn_cookies=cookies)
    b.listen(port=80, backlog=backlog)
    start = rng.uniform(0.0, window)
    end = start + patience
    next_syn = rng.expovariate(rate) if rate else math.inf
    conn, sent = None, 0
    while True:
        t = min(next_syn, start) if conn is None else next_syn
        if t > end:
            break
        net.run(until=t)
        if conn is None and t == start:
            conn = a.connect("B", port=80)
            continue
        net.inject(_spoofed(sent, rng))
        sent += 1
        next_syn += rng.expovariate(rate)
    net.run(until=end)
    return FloodRun(rate, cookies, conn.state is State.ESTABLISHED, sent, start)


@dataclass(frozen=True)
class FloodRow:
    rate: float
    runs: int
    without: int             # clients that got in, no cookies
    with_cookies: int        # clients that got in, with cookies


@dataclass(frozen=True)
class FloodResult:
    """What :func:`syn_flood_experiment` counted; prints as a table, shows as a plot."""

    rows: tuple[FloodRow, ...]
    n: int
    seed: int
    backlog: int
    patience: float

    HEADERS = (N_("spoofed SYNs per second"), N_("runs"), N_("got in, no cookies"),
               N_("got in, SYN cookies"))

    def __getitem__(self, rate: float) -> FloodRow:
        for row in self.rows:
            if abs(row.rate - rate) < 1e-9:
                return row
        raise KeyError(f"no row for rate={rate!r}")

    def caption(self) -> str:
        return _("{n} runs per flood rate, backlog {backlog}: did a real client get in within "
                 "{patience} s? (seed {seed})").format(n=self.n, backlog=self.backlog,
                                                      patience=f"{self.patience:g}",
                                                      seed=self.seed)

    def _cells(self, r: FloodRow) -> list:
        return [(f"{r.without} ({_percent(r.without, r.runs)})", r.without / r.runs, RED),
                (f"{r.with_cookies} ({_percent(r.with_cookies, r.runs)})",
                 r.with_cookies / r.runs, GREEN)]

    def table(self) -> str:
        rows = [[f"{r.rate:g}", str(r.runs)] + [c[0] for c in self._cells(r)]
                for r in self.rows]
        return self.caption() + "\n" + _text_table([_(h) for h in self.HEADERS], rows)

    def __repr__(self) -> str:
        return self.table()

    def svg(self) -> str:
        """Success rate against flood rate, one line each way."""
        return _plot(self.rows, [(_("no cookies"), lambda r: r.without, RED),
                                 (_("SYN cookies"), lambda r: r.with_cookies, GREEN)],
                     _("spoofed SYNs per second"), _("clients that got in"))

    def _repr_html_(self) -> str:
        rows = [[f"{r.rate:g}", r.runs] + self._cells(r) for r in self.rows]
        table = _html_table(self.caption(), [_(h) for h in self.HEADERS], rows)
        return (f'<div style="display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap">'
                f'<div>{self.svg()}</div><div>{table}</div></div>')


def _plot(rows: Sequence[FloodRow], lines, x_label: str, y_label: str) -> str:
    """A small line chart: x = the rows' rates (evenly spaced, labelled), y = 0..100 %."""
    w, h, left, bottom, top, right = 380, 230, 48, 40, 12, 110
    pw, ph = w - left - right, h - top - bottom
    xs = [left + pw * i / max(1, len(rows) - 1) for i in range(len(rows))]
    y = lambda frac: top + ph * (1 - frac)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'font-family="sans-serif" font-size="11">',
             f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" '
             f'stroke="#888"/>']
    for frac in (0, 0.5, 1):
        parts.append(f'<text x="{left - 4}" y="{y(frac) + 4:.1f}" text-anchor="end">'
                     f'{frac * 100:.0f}%</text>')
    for x, r in zip(xs, rows):
        parts.append(f'<text x="{x:.1f}" y="{top + ph + 14}" text-anchor="middle">'
                     f'{r.rate:g}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{h - 6}" text-anchor="middle">'
                 f'{html.escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{top + ph / 2:.1f}" text-anchor="middle" '
                 f'transform="rotate(-90 12 {top + ph / 2:.1f})">{html.escape(y_label)}</text>')
    for k, (name, value, colour) in enumerate(lines):
        points = " ".join(f"{x:.1f},{y(value(r) / r.runs):.1f}" for x, r in zip(xs, rows))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y(value(r) / r.runs):.1f}" r="3" '
                  f'fill="{colour}"/>' for x, r in zip(xs, rows)]
        parts.append(f'<text x="{left + pw + 8}" y="{top + 14 + 16 * k}" fill="{colour}">'
                     f'{html.escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def syn_flood_experiment(rates: Sequence[float] = RATES, n: int = 20, seed: int = 0, *,
                         backlog: int = 8, patience: float = 10.0, **options) -> FloodResult:
    """:func:`syn_flood_run` ``n`` times per rate, without and with SYN cookies (the same
    draws both ways), counted."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    rows = []
    with runs_let_go() as let_go:
        for rate in rates:
            got = {False: 0, True: 0}
            for cookies in (False, True):
                for i in range(n):
                    got[cookies] += syn_flood_run(float(rate), cookies, seed * 100_000 + i,
                                                  backlog=backlog, patience=patience,
                                                  **options).connected
                    let_go()
            rows.append(FloodRow(float(rate), n, got[False], got[True]))
    return FloodResult(tuple(rows), n, seed, backlog, patience)
