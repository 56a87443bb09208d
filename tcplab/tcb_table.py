"""The TCB in full (传输控制块, RFC 9293 §3.3.1), as a table a lesson prints.

:func:`tcb_table` reads an endpoint's connection — its two ends, the send and receive
sequence variables, the three queues and the running timers — into a :class:`TcbTable`,
which shows itself as text (``print``) and as an HTML table in Jupyter.  It only reads.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from .tcb import Tcb
from .text import N_, _, ljust, width
from .trace import joined, say, words

__all__ = ["TcbRow", "TcbTable", "tcb_table"]


class TcbRow(NamedTuple):
    name: str       # the RFC's name of the variable
    value: str      # its value now, as text (Words where it has words: English as data)
    meaning: str    # what it is, in a few words (a catalogued message, said when shown)


class TcbTable:
    """An endpoint's TCB as rows of (RFC name, value, meaning)."""

    def __init__(self, title: str, rows: list[TcbRow]):
        self.title = title
        self.rows = list(rows)

    def __getitem__(self, name: str) -> str:
        for row in self.rows:
            if row.name == name:
                return row.value
        raise KeyError(f"the TCB table has no row {name!r}; it has "
                       f"{', '.join(r.name for r in self.rows)}")

    def _said(self) -> list[tuple[str, str, str]]:
        # the RFC's variable names stay as they are; the other names, values and meanings
        # are said in the language spoken (the English text is the data)
        return [(_(r.name) if r.name in _NAMED else r.name, say(r.value), _(r.meaning))
                for r in self.rows]

    def __str__(self) -> str:
        said = self._said()
        nwidth = max(width(n) for n, _v, _m in said)
        vwidth = max(width(v) for _n, v, _m in said)
        lines = [say(self.title)] + [f"  {ljust(n, nwidth)}  {ljust(v, vwidth)}  {m}"
                                     for n, v, m in said]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        heads = (_("variable"), _("value"), _("meaning"))
        body = "".join(f"<tr><td><code>{escape(n)}</code></td><td>{escape(v)}"
                       f"</td><td>{escape(m)}</td></tr>" for n, v, m in self._said())
        return (f"<table class='tcplab-tcb'><caption>{escape(say(self.title))}</caption>"
                + "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in heads)
                + f"</tr>{body}</table>")


#: the rows whose names are words, not the RFC's variable names
_NAMED = (N_("connection"), N_("state"), N_("send queue"), N_("retransmission queue"),
          N_("reassembly queue"), N_("timers"))


def _num(value) -> str:
    return "–" if value is None else str(value)


def _queue(items: list) -> str:
    if not items:
        return words(N_("empty"))
    return joined("; ", items)


def _bytes(count: int) -> str:
    return words(N_("{count} bytes"), count=count)


def tcb_table(name: str, state, tcb: Tcb, rcv_wnd: int, timers: dict[str, float],
              now: float) -> TcbTable:
    """The TCB of endpoint ``name`` (in ``state``) at time ``now``."""
    synced = tcb.iss is not None and tcb.peer is not None
    val = (lambda v: _num(v)) if synced else (lambda v: "–")
    rtx = [words(N_("seq={seq} {segment} ({count} bytes)"), seq=u.seq, segment=u.describe(
               tcb.irs is not None), count=len(u.data)) if u.data
           else f"seq={u.seq} {u.describe(tcb.irs is not None)}" for u in tcb.rtx]
    early = [words(N_("seq={seq} ({count} bytes)"), seq=seq, count=len(data))
             for seq, data in sorted(tcb.reassembly.segments.items())]
    if tcb.reassembly.fin is not None:
        early.append(words(N_("FIN at {seq}"), seq=tcb.reassembly.fin))
    running = [words(N_("{timer} expires at {at} s (in {left} s)"), timer=t, at=f"{at:.3f}",
                     left=f"{at - now:.3f}") for t, at in sorted(timers.items())]
    rows = [
        TcbRow("connection", f"{name} ↔ {tcb.peer}" if tcb.peer else f"{name} ↔ –",
               N_("the two ends: host names (this toy network has no ports)")),
        TcbRow("state", str(state), N_("where the state machine is")),
        TcbRow("SND.UNA", val(tcb.snd_una), N_("oldest sequence number not yet acknowledged")),
        TcbRow("SND.NXT", val(tcb.snd_nxt), N_("next sequence number to send")),
        TcbRow("SND.WND", val(tcb.snd_wnd), N_("send window: what the peer advertised")),
        TcbRow("ISS", _num(tcb.iss), N_("initial send sequence number (mine)")),
        TcbRow("RCV.NXT", val(tcb.rcv_nxt) if tcb.irs is not None else "–",
               N_("next sequence number expected from the peer")),
        TcbRow("RCV.WND", str(rcv_wnd), N_("receive window: what I advertise")),
        TcbRow("IRS", _num(tcb.irs), N_("initial receive sequence number (the peer's ISN)")),
        TcbRow("send queue", _bytes(len(tcb.send_buffer)) if tcb.send_buffer else _queue([]),
               N_("accepted from the application, not yet sent")),
        TcbRow("retransmission queue", _queue(rtx), N_("sent, not yet acknowledged")),
        TcbRow("reassembly queue", _queue(early), N_("arrived ahead of RCV.NXT")),
        TcbRow("timers", _queue(running), N_("running timers")),
    ]
    return TcbTable(words(N_("TCB (传输控制块) of {name} at t={now} s"), name=name,
                          now=f"{now:.3f}"), rows)
