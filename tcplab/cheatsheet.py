"""The one-page cheat sheet: connection management on one A4 page, read off the library.

Nothing on the sheet is typed that the library knows: the segments of the three-way
handshake and the four-way close are the ones :func:`tcplab.stories.closed_by` sends, in
the trace's symbolic notation (``seq=x``, ``ack=x+1`` ...) and in numbers; the ladders are
:func:`tcplab.sequence_diagram` of that story; the 11 states are :class:`tcplab.State`
with their explanations, and who passes through each is read off the hosts' histories in
the stories (active/passive opener and closer, simultaneous open and close); the timers
are the endpoint's (:class:`tcplab.tcb.Timer`), their values those a host gets by
default, the back-off played on an unanswered SYN; the sequence space a segment takes is
``Segment.len``; the RST rules are :func:`tcplab.resets.rst_positions`.  Only the
sentences that frame them are written here, catalogued for both languages.

:func:`cheat_sheet` returns a :class:`CheatSheet`: it shows itself in Jupyter
(``_repr_html_``), ``page()`` is a standalone HTML page made to print on one A4 page
(print CSS, fonts with a CJK fallback), ``save(path)`` writes it.  From a shell::

    python -m tcplab.cheatsheet --lang zh -o sheet.html
"""

from __future__ import annotations

import argparse
import html
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import stories
from .diagrams import sequence_diagram
from .fsm import Event, State, lookup
from .network import Network
from .real.kernel import LINUX_TIME_WAIT
from .resets import rst_positions
from .segment import Flag, Notation, Segment
from .tcb import Timer
from .text import N_, _, language, set_language

__all__ = ["CheatSheet", "cheat_sheet", "Row", "segments", "roles", "backoff", "main"]

#: who passes through a state, in the order the states' column lists them
_ROLES = {"active-open": N_("active opener"), "passive-open": N_("passive opener"),
          "active-close": N_("active closer"), "passive-close": N_("passive closer"),
          "simultaneous-open": N_("simultaneous open"),
          "simultaneous-close": N_("simultaneous close")}


@contextmanager
def _speaking(lang: str | None):
    """Speak ``lang`` inside the block (None: the language spoken now), then as before."""
    before = language()
    if lang is not None:
        set_language(lang)
    try:
        yield
    finally:
        set_language(before)


# --------------------------------------------------------------------------- the facts

@dataclass(frozen=True)
class Row:
    """One segment of the story: when, who to whom, the lecture's notation, the numbers,
    the state its sender is in when it sends it and the state its receiver enters."""

    time: float
    src: str
    dst: str
    symbolic: str
    numeric: str
    sender_state: State | None
    receiver_state: State | None
    flags: Flag


def _state_at(net: Network, host: str, time: float, exact: bool) -> State | None:
    found = None
    for r in net.trace:
        if r.kind == "state" and r.host == host and (r.time == time if exact else r.time <= time):
            found = r.state
    return found


def segments(net: Network) -> list[Row]:
    """Every segment the story's hosts sent, as :class:`Row` values, in order."""
    notation = Notation.from_segments(net.sent)
    arrivals = {r.journey: r.time for r in net.trace if r.kind == "arrive"}
    rows = []
    for r in net.trace:
        if r.kind != "send":
            continue
        seg = r.segment
        arrived = arrivals.get(r.journey)
        rows.append(Row(r.time, seg.src, seg.dst, seg.describe(notation, when=r.time),
                        seg.describe(), _state_at(net, seg.src, r.time, exact=False),
                        None if arrived is None else _state_at(net, seg.dst, arrived, True),
                        seg.flags))
    return rows


def _phases(history: list[State]) -> tuple[list[State], list[State]]:
    """A history split at its first ESTABLISHED: (opening states, closing states)."""
    cut = history.index(State.ESTABLISHED)
    return history[:cut + 1], history[cut:]


def roles() -> dict[State, list[str]]:
    """For each state, the role keys (:data:`_ROLES`) of the hosts that pass through it
    in the stories: the four-way close closed by A, simultaneous open and close."""
    _net, a, b = stories.closed_by("A")
    seen: dict[str, list[State]] = {}
    seen["active-open"], seen["active-close"] = _phases(a.history)
    seen["passive-open"], seen["passive-close"] = _phases(b.history)
    net, a, b = stories.simultaneous_open()
    net.run()
    seen["simultaneous-open"] = _phases(a.history)[0] + _phases(b.history)[0]
    net, a, b = stories.simultaneous_close()
    net.run()
    seen["simultaneous-close"] = _phases(a.history)[1] + _phases(b.history)[1]
    return {s: [k for k in _ROLES if s in seen[k]] for s in State}


def backoff() -> tuple[list[float], float]:
    """An unanswered SYN on a host with the default settings: the times it is sent
    (first and retransmissions) and when the host gives up."""
    net = Network()
    a = net.host("A", iss=stories.X)
    a.connect("nobody")
    net.run()
    sent = [r.time for r in net.trace if r.kind == "send"]
    given_up = next(r.time for r in net.trace if r.kind == "give-up")
    return sent, given_up


def _sequence_space() -> list[tuple[str, int]]:
    """What a segment takes of the sequence space (SEG.LEN), by kind."""
    kinds = (("SYN", Flag.SYN, b""), ("FIN", Flag.FIN | Flag.ACK, b""),
             ("ACK", Flag.ACK, b""), ("RST", Flag.RST, b""), ("data", Flag.ACK, b"hello"))
    return [(name if not data else f"{_('data')} ({len(data)} B)",
             Segment("A", "B", flags, 1, 1 if Flag.ACK in flags else 0, data).len)
            for name, flags, data in kinds]


# --------------------------------------------------------------------------- the page

_CSS = """
.tcplab-cheatsheet { font-family: "DejaVu Sans", "Noto Sans", Arial, "Noto Sans CJK SC",
  "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 8pt;
  line-height: 1.2; color: #111; max-width: 190mm; }
.tcplab-cheatsheet h1 { font-size: 13pt; margin: 0 0 1mm 0; }
.tcplab-cheatsheet h2 { font-size: 9.5pt; margin: 1.5mm 0 0.8mm 0; border-bottom: 1px solid #888; }
.tcplab-cheatsheet p { margin: 0.6mm 0; }
.tcplab-cheatsheet .sub { color: #333; }
.tcplab-cheatsheet .two { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.tcplab-cheatsheet table { border-collapse: collapse; width: 100%; font-size: inherit; }
.tcplab-cheatsheet th, .tcplab-cheatsheet td { border: 1px solid #bbb; padding: 0.3mm 1mm;
  text-align: left; vertical-align: top; }
.tcplab-cheatsheet th { background: #eee; }
.tcplab-cheatsheet code { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace;
  font-size: 8pt; white-space: nowrap; }
.tcplab-cheatsheet .ladder svg { width: 100%; height: auto; max-height: 50mm; }
.tcplab-cheatsheet .num { color: #555; }
.tcplab-cheatsheet .st, .tcplab-cheatsheet .way { white-space: nowrap; }
.tcplab-cheatsheet .note { font-size: 7.5pt; color: #333; }
"""

_PAGE_CSS = """
@page { size: A4; margin: 9mm; }
html, body { margin: 0; padding: 0; }
@media print { .tcplab-cheatsheet { max-width: none; }
  .tcplab-cheatsheet section, .tcplab-cheatsheet tr { break-inside: avoid; } }
"""


def _e(text) -> str:
    return html.escape(str(text))


def _table(head: tuple, rows: list[tuple], raw: bool = False) -> str:
    """An HTML table; cells are escaped unless ``raw`` (then they are HTML already)."""
    cell = (lambda c: str(c)) if raw else _e
    return ("<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>"
                      for row in rows) + "</table>")


def _segment_rows(rows: list[Row]) -> str:
    def states(r: Row) -> str:
        parts = [f"{_e(r.src)}: {_e(r.sender_state)}"] if r.sender_state else []
        if r.receiver_state:
            parts.append(f"{_e(r.dst)} → {_e(r.receiver_state)}")
        return "<br>".join(f"<span class='st'>{p}</span>" for p in parts)
    return _table((_("from → to"), _("segment: lecture's letters / numbers"), _("states")),
                  [(f"<span class='way'>{_e(r.src)} → {_e(r.dst)}</span>", f"<code>{_e(r.symbolic)}</code><br>"
                    f"<code class='num'>{_e(r.numeric)}</code>", states(r)) for r in rows],
                  raw=True)


def _ladder(net: Network, start: float | None, end: float | None) -> str:
    return f'<div class="ladder">{sequence_diagram(net, start=start, end=end).svg()}</div>'


def _opening_and_close() -> str:
    net, a, b = stories.closed_by("A")
    rows = segments(net)
    first_fin = next(i for i, r in enumerate(rows) if Flag.FIN in r.flags)
    opening, closing = rows[:first_fin], rows[first_fin:]
    fin_open = opening[-1].time + 0.15
    half = lookup(State.CLOSE_WAIT, Event.SEND)
    half_closed = lookup(State.FIN_WAIT_1, Event.RCV_ACK)
    acks = all(Flag.ACK in r.flags for r in rows[1:])
    left = ("<section><h2>" + _e(_("Three-way handshake (三次握手)")) + "</h2>"
            + _segment_rows(opening) + _ladder(net, None, fin_open) + "</section>")
    right = ("<section><h2>" + _e(_("Four-way close (四次挥手), A closes first")) + "</h2>"
             + _segment_rows(closing)
             + '<p class="note">' + _e(_("Half-close (半关闭): after B's ACK, {a} is in "
                                          "{fw2} ({why}); B in {cw}: {may}.").format(
                 a="A", fw2=half_closed.target, why=half_closed.explanation,
                 cw=half.source, may=half.explanation))
             + (" " + _e(_("After the first SYN every segment carries ACK, so A's FIN "
                           "is FIN+ACK; the lecture writes only FIN=1.")) if acks else "")
             + "</p>" + _ladder(net, fin_open + 0.5, None) + "</section>")
    return f'<div class="two">{left}{right}</div>'


def _states() -> str:
    who = roles()
    rows = [(str(s), s.explanation, _(", ").join(_(_ROLES[k]) for k in who[s])
             if len(who[s]) < len(_ROLES) else _("everyone")) for s in State]
    return ("<section><h2>" + _e(_("The 11 states (有限状态机)")) + "</h2>"
            + _table((_("state"), _("meaning"), _("who passes through it")), rows)
            + "</section>")


def _timers() -> str:
    sent, given_up = backoff()
    host = Network().host("A")
    ep = host.endpoint
    msl = Network().msl
    rows = [
        (str(Timer.RETRANSMIT), Event.TIMEOUT_RETRANSMIT.meaning,
         _("RTO {first:g} s, doubled after each expiry (at most {cap:g} s): an unanswered "
           "SYN is sent at {times} s; after {n} retransmissions the host gives up at "
           "{end:g} s").format(first=ep.rto_initial, cap=ep.rto_max,
                               times=", ".join(f"{t:g}" for t in sent),
                               n=ep.max_retries, end=given_up)),
        (str(Timer.TIME_WAIT), Event.TIMEOUT_2MSL.meaning,
         _("2MSL = 2 × {msl:g} s = {tw:g} s (msl is the network's); Linux: {linux:g} s "
           "always (TCP_TIMEWAIT_LEN), no MSL setting").format(
             msl=msl, tw=ep.time_wait, linux=LINUX_TIME_WAIT)),
        (str(Timer.USER), Event.TIMEOUT_USER.meaning,
         _("off unless set (user_timeout=…); then the connection is given up")
         if ep.user_timeout is None else f"{ep.user_timeout:g} s"),
    ]
    return ("<section><h2>" + _e(_("Timers")) + "</h2>"
            + _table((_("timer"), _("fires when"), _("tcplab's value")), rows) + "</section>")


def _rules() -> str:
    taken = _sequence_space()
    space = _table((_("segment"),) + tuple(name for name, _n in taken),
                   [(_("sequence numbers it takes"),) + tuple(n for _k, n in taken)])
    probes = rst_positions()
    def fate(p) -> str:
        answer = _("answers {seg}").format(seg=p.answer.flags) if p.answer else _("no answer")
        return f"{answer}, {p.after}"
    rst = _table((_("an RST arrives in ESTABLISHED with seq ="), _("what happens")),
                 [(p.where, fate(p)) for p in probes])
    return ("<section><h2>" + _e(_("Key rules")) + "</h2>" + space
            + '<p class="note">' + _e(_("A SYN and a FIN take one sequence number each, "
                                         "so the reply acknowledges x+1, u+1; an ACK alone "
                                         "takes none, so the next segment reuses its seq."))
            + "</p>" + rst + '<p class="note">' + _e(_(
                "Only an RST at exactly RCV.NXT resets (RFC 5961, as Linux); one elsewhere "
                "in the window gets a challenge ACK; one outside is dropped. An RST is never "
                "answered and takes no sequence number.")) + "</p></section>")


class CheatSheet:
    """The cheat sheet in one language: ``html()`` (a fragment), ``page()`` (standalone,
    one A4 page), ``save(path)``; it shows itself in Jupyter."""

    def __init__(self, lang: str | None = None):
        with _speaking(lang):
            self.language = language()
            self._body = self._build()

    def _build(self) -> str:
        title = _e(_("TCP connection management: cheat sheet"))
        sub = _e(_("Computed by tcplab from its own stories: A is the client (ISN x = {x}), "
                   "B the server (ISN y = {y}); RFC 9293.").format(x=stories.X, y=stories.Y))
        return (f"<h1>{title}</h1><p class='sub'>{sub}</p>" + _opening_and_close()
                + _states() + f'<div class="two">{_timers()}{_rules()}</div>')

    def html(self) -> str:
        """The sheet as an HTML fragment (its own style inside)."""
        return f'<div class="tcplab-cheatsheet"><style>{_CSS}</style>{self._body}</div>'

    def _repr_html_(self) -> str:
        return self.html()

    def page(self) -> str:
        """A standalone HTML page that prints on one A4 page."""
        lang = "zh-Hans" if self.language == "zh" else "en"
        with _speaking(self.language):
            title = _e(_("TCP connection management: cheat sheet"))
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
                f"<title>{title}</title><style>{_PAGE_CSS}</style></head>"
                f"<body>{self.html()}</body></html>\n")

    def save(self, path) -> Path:
        """Write :meth:`page` to ``path``; returns the path."""
        path = Path(path)
        path.write_text(self.page(), encoding="utf-8")
        return path


def cheat_sheet(lang: str | None = None) -> CheatSheet:
    """The cheat sheet in ``lang`` ("en", "zh"; None: the language tcplab speaks now)."""
    return CheatSheet(lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tcplab.cheatsheet",
                                     description="Write the one-page cheat sheet as HTML.")
    parser.add_argument("--lang", default=None, help="en or zh (default: TCPLAB_LANG or en)")
    parser.add_argument("-o", "--output", default="cheatsheet.html", help="the HTML file")
    args = parser.parse_args(argv)
    print(cheat_sheet(args.lang).save(args.output))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
