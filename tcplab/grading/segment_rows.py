"""The segments of a run as rows of a table: what trace exercises show and ask about.

A trace exercise shows the segments a story sent, one row each, with some fields
blanked (:mod:`tcplab.grading.blanks`) or the rows shuffled as cards
(:mod:`tcplab.grading.ordering`).  The rows are read off the trace by its fields
(kind, segment, state), never by its words, and hold the numbers as the student
computes them: absolute sequence and acknowledgment numbers, the control bits as
the lecture writes them, the sender's state when it sends.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..segment import Flag
from ..text import _, ljust, width

__all__ = ["Row", "rows_of", "FIELDS", "field_title", "table_html", "table_text"]

#: the fields of a row a trace exercise may blank, in the table's order
FIELDS = ("flags", "seq", "ack", "len", "state")


@dataclass(frozen=True)
class Row:
    """One segment sent: its number in the story (1, 2, …), when, who to whom, its fields."""

    n: int
    time: float
    src: str
    dst: str
    flags: str          # as the lecture writes them: "SYN", "SYN+ACK", "FIN+ACK", "RST"
    seq: int
    ack: int | None     # None: the ACK bit is off, the field means nothing
    len: int            # bytes of data
    state: str          # the sender's state when it sends ("SYN-SENT", …)

    def value(self, field: str) -> Any:
        return getattr(self, field)

    def occupies(self) -> int:
        """How many sequence numbers the segment takes: its data, +1 for SYN, +1 for FIN."""
        return self.len + int("SYN" in self.flags.split("+")) + int("FIN" in self.flags.split("+"))


def rows_of(net, until: float = float("inf")) -> list[Row]:
    """Every segment sent in ``net`` (first copies and retransmissions), in sending order."""
    states: dict[str, str] = {}
    rows: list[Row] = []
    for record in net.trace:
        if record.time > until:
            break
        kind = str(getattr(record.kind, "value", record.kind))
        if kind == "state" and record.state is not None:
            states[record.host] = str(record.state)
        elif kind == "send" and record.segment is not None:
            s = record.segment
            rows.append(Row(len(rows) + 1, round(record.time, 6), s.src, s.dst, str(s.flags),
                            s.seq, s.ack if Flag.ACK in s.flags else None, len(s.data),
                            states.get(record.host, "CLOSED")))
    return rows


def field_title(field: str) -> str:
    """A column's heading, in the language spoken now."""
    return {"flags": _("flags"), "seq": "seq", "ack": "ack", "len": _("data bytes"),
            "state": _("sender's state")}[field]


def _shown(row: Row, field: str) -> str:
    value = row.value(field)
    if field == "ack" and value is None:
        return "–"
    return str(value)


def _columns(with_time: bool, label: str | None, fields: tuple[str, ...]) -> list[str]:
    head = [label or "#"] + ([_("time (s)")] if with_time else []) + [_("from → to")]
    return head + [field_title(f) for f in fields]


def _cells(row: Row, blank: Callable[[Row, str], str | None], with_time: bool,
           label: str | None, fields: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(text, is a blank) per column of ``row``."""
    first = [(label if label else str(row.n), False)]
    when = [(f"{row.time:g}", False)] if with_time else []
    cells = first + when + [(f"{row.src} → {row.dst}", False)]
    for f in fields:
        name = blank(row, f)
        cells.append((f"{name}=?" if name else _shown(row, f), bool(name)))
    return cells


def table_html(rows: Iterable[Row], blank: Callable[[Row, str], str | None] = lambda r, f: None,
               *, with_time: bool = True, labels: list[str] | None = None,
               caption: str = "", fields: tuple[str, ...] = FIELDS) -> str:
    """The rows as an HTML table; ``blank(row, field)`` names a blanked cell (None: shown)."""
    rows = list(rows)
    head = "".join(f'<th style="padding:2px 8px;text-align:left">{html.escape(c)}</th>'
                   for c in _columns(with_time, _("card") if labels else None, fields))
    body = []
    for i, row in enumerate(rows):
        cells = _cells(row, blank, with_time, labels[i] if labels else None, fields)
        tds = "".join(
            f'<td style="padding:2px 8px;font-family:monospace{";" + _BLANK if is_blank else ""}">'
            f'{html.escape(text)}</td>' for text, is_blank in cells)
        body.append(f"<tr>{tds}</tr>")
    cap = (f'<caption style="caption-side:top;text-align:left;padding:2px 0">'
           f'{html.escape(caption)}</caption>') if caption else ""
    return (f'<table class="tcplab-segments" style="border-collapse:collapse;margin:4px 0">'
            f'{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


#: a blank is marked by a border and bold type, not by colour alone
_BLANK = "border:2px dashed #1f6fb4;font-weight:bold"


def table_text(rows: Iterable[Row], blank: Callable[[Row, str], str | None] = lambda r, f: None,
               *, with_time: bool = True, labels: list[str] | None = None,
               fields: tuple[str, ...] = FIELDS) -> str:
    """The rows as a plain-text table (for a terminal, and for nbval's text/plain)."""
    rows = list(rows)
    lines = [_columns(with_time, _("card") if labels else None, fields)]
    lines += [[text for text, _blank in _cells(row, blank, with_time,
                                               labels[i] if labels else None, fields)]
              for i, row in enumerate(rows)]
    widths = [max(width(line[c]) for line in lines) for c in range(len(lines[0]))]
    return "\n".join("  ".join(ljust(cell, widths[c]) for c, cell in enumerate(line)).rstrip()
                     for line in lines)
