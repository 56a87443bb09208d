"""The TCB in full (传输控制块, RFC 9293 §3.3.1), as a table a lesson prints.

:func:`tcb_table` reads an endpoint's connection — its two ends, the send and receive
sequence variables, the three queues and the running timers — into a :class:`TcbTable`,
which shows itself as text (``print``) and as an HTML table in Jupyter.  It only reads.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from .tcb import Tcb

__all__ = ["TcbRow", "TcbTable", "tcb_table"]


class TcbRow(NamedTuple):
    name: str       # the RFC's name of the variable
    value: str      # its value now, as text
    meaning: str    # what it is, in a few words


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

    def __str__(self) -> str:
        width = max(len(r.name) for r in self.rows)
        vwidth = max(len(r.value) for r in self.rows)
        lines = [self.title] + [f"  {r.name:<{width}}  {r.value:<{vwidth}}  {r.meaning}"
                                for r in self.rows]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td><code>{escape(r.name)}</code></td><td>{escape(r.value)}"
                       f"</td><td>{escape(r.meaning)}</td></tr>" for r in self.rows)
        return (f"<table class='tcplab-tcb'><caption>{escape(self.title)}</caption>"
                f"<tr><th>variable</th><th>value</th><th>meaning</th></tr>{body}</table>")


def _num(value) -> str:
    return "–" if value is None else str(value)


def _queue(items: list[str]) -> str:
    return "empty" if not items else "; ".join(items)


def tcb_table(name: str, state, tcb: Tcb, rcv_wnd: int, timers: dict[str, float],
              now: float) -> TcbTable:
    """The TCB of endpoint ``name`` (in ``state``) at time ``now``."""
    synced = tcb.iss is not None and tcb.peer is not None
    val = (lambda v: _num(v)) if synced else (lambda v: "–")
    rtx = [f"seq={u.seq} {u.describe(tcb.irs is not None)}" + (f" ({len(u.data)} bytes)" if u.data else "")
           for u in tcb.rtx]
    early = [f"seq={seq} ({len(data)} bytes)" for seq, data in sorted(tcb.reassembly.segments.items())]
    if tcb.reassembly.fin is not None:
        early.append(f"FIN at {tcb.reassembly.fin}")
    running = [f"{t} expires at {at:.3f} s (in {at - now:.3f} s)" for t, at in sorted(timers.items())]
    rows = [
        TcbRow("connection", f"{name} ↔ {tcb.peer}" if tcb.peer else f"{name} ↔ –",
               "the two ends: host names (this toy network has no ports)"),
        TcbRow("state", str(state), "where the state machine is"),
        TcbRow("SND.UNA", val(tcb.snd_una), "oldest sequence number not yet acknowledged"),
        TcbRow("SND.NXT", val(tcb.snd_nxt), "next sequence number to send"),
        TcbRow("SND.WND", val(tcb.snd_wnd), "send window: what the peer advertised"),
        TcbRow("ISS", _num(tcb.iss), "initial send sequence number (mine)"),
        TcbRow("RCV.NXT", val(tcb.rcv_nxt) if tcb.irs is not None else "–",
               "next sequence number expected from the peer"),
        TcbRow("RCV.WND", str(rcv_wnd), "receive window: what I advertise"),
        TcbRow("IRS", _num(tcb.irs), "initial receive sequence number (the peer's ISN)"),
        TcbRow("send queue", f"{len(tcb.send_buffer)} bytes" if tcb.send_buffer else "empty",
               "accepted from the application, not yet sent"),
        TcbRow("retransmission queue", _queue(rtx), "sent, not yet acknowledged"),
        TcbRow("reassembly queue", _queue(early), "arrived ahead of RCV.NXT"),
        TcbRow("timers", _queue(running), "running timers"),
    ]
    return TcbTable(f"TCB (传输控制块) of {name} at t={now:.3f} s", rows)
