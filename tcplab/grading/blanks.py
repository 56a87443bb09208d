"""Trace exercises with blanked fields: a story's segments with some fields to fill in.

The exercise shows the segments its story sent (:mod:`.segment_rows`) with a few
fields replaced by a name such as ``ack2`` (the ack of segment 2) and checks each
one the student fills in, with a hint per field that says which rule gives it,
pointing at other rows of the table rather than at the answer::

    HANDSHAKE = Blanks(("ack2", "seq3", "ack3", "state2"))

    @exercise("trace-handshake", N_("… fill in the blanks …"), LESSON, kind="trace",
              vary=dict(x=…, y=…), parts=HANDSHAKE.names,
              figure=lambda v: HANDSHAKE.figure(_rows(v)))
    def trace_handshake(v, /, **answers):
        return HANDSHAKE.judge(_rows(v), answers)

Which fields are blank is the same for every student (the notebook's answer cell
names them); the numbers in them are the student's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..text import _
from .answers import mistake, read_flags_part, read_state_part
from .framework import Feedback, Part, compare
from .segment_rows import FIELDS, Row, table_html, table_text

__all__ = ["Blanks", "Blanked"]

_NAME = re.compile(r"(%s)(\d+)" % "|".join(FIELDS))


def _split(name: str) -> tuple[str, int]:
    found = _NAME.fullmatch(name)
    if not found:
        raise ValueError(f"a blank is a field and a row number, like 'ack2', not {name!r}")
    return found[1], int(found[2])


def _what(row: Row) -> str:
    """What a segment occupies in the sequence space, in words."""
    bits = row.flags.split("+")
    said = []
    if row.len:
        said.append(_("{n} data bytes").format(n=row.len))
    if "SYN" in bits:
        said.append(_("1 for its SYN"))
    if "FIN" in bits:
        said.append(_("1 for its FIN"))
    return ", ".join(said) if said else _("nothing: a bare ACK takes no number")


def _earlier(rows: list[Row], row: Row, src: str) -> Row | None:
    """The last segment ``src`` sent before ``row``."""
    before = [r for r in rows if r.n < row.n and r.src == src]
    return before[-1] if before else None


def _seq_hint(rows: list[Row], row: Row) -> str:
    prev = _earlier(rows, row, row.src)
    if prev is None:
        return _("segment {n} is the first {src} sends: its seq is {src}'s initial sequence "
                 "number (ISN)").format(n=row.n, src=row.src)
    if prev.seq == row.seq and prev.flags == row.flags and prev.len == row.len:
        return _("segment {n} carries the same as segment {p}, sent again: a retransmission "
                 "keeps its sequence number").format(n=row.n, p=prev.n)
    return _("the seq of segment {n} follows {src}'s previous segment, {p}: its seq plus "
             "what it occupied ({what})").format(n=row.n, src=row.src, p=prev.n,
                                                  what=_what(prev))


def _ack_hint(rows: list[Row], row: Row) -> str:
    heard = _earlier(rows, row, row.dst)
    if heard is None:
        return _("ack is the next number {src} expects from {dst}").format(src=row.src,
                                                                            dst=row.dst)
    return _("ack is the next number {src} expects from {dst}: the seq of {dst}'s segment "
             "{k} plus what it occupied ({what})").format(src=row.src, dst=row.dst, k=heard.n,
                                                          what=_what(heard))


def _number_part(name: str, expected: int, given: Any, usual: str) -> Part:
    known = {expected - 1: _("{given} is one short: ack names the NEXT number expected, "
                             "not the last one received").format(given=expected - 1)
             } if name.startswith("ack") else {}
    return Part(name, expected, mistake(given, usual, known))


@dataclass(frozen=True)
class Blanks:
    """The blanked fields of a trace exercise, by name ("seq3": the seq of segment 3)."""

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        for name in self.names:
            _split(name)

    def blank(self, row: Row, field: str) -> str | None:
        name = f"{field}{row.n}"
        return name if name in self.names else None

    def figure(self, rows: list[Row], caption: str = "") -> "Blanked":
        return Blanked(rows, self, caption)

    def _part(self, rows: list[Row], name: str, given: Any) -> tuple[Any, Part]:
        field, n = _split(name)
        row = rows[n - 1]
        expected = row.value(field)
        if field == "seq":
            return given, _number_part(name, expected, given, _seq_hint(rows, row))
        if field == "ack":
            return given, _number_part(name, expected, given, _ack_hint(rows, row))
        if field == "len":
            return given, _number_part(name, expected, given, _(
                "the bytes of data segment {n} carries").format(n=n))
        if field == "flags":
            return read_flags_part(name, expected, given, _(
                "a SYN opens, a FIN closes, an RST resets; every segment after the first SYN "
                "carries ACK"))
        return read_state_part(name, _state(expected), given, _(
            "the sender's state when it sends segment {n}: the one it entered on the call "
            "or the segment that made it send").format(n=n))

    def judge(self, rows: list[Row], answers: dict[str, Any]) -> Feedback:
        """Each blank checked, with its hint; a name that is not a blank is said."""
        seen, parts = {}, []
        for name in self.names:
            given, part = self._part(rows, name, answers.get(name))
            seen[name] = given
            parts.append(part)
        extra = {k: v for k, v in answers.items() if k not in self.names}
        return compare({**seen, **extra}, parts,
                       praise=_("every blank is right: the table reads as TCP sent it"))


def _state(name: str):
    from ..fsm import State
    return State(name)


class Blanked:
    """A trace exercise's table, to display under its question."""

    def __init__(self, rows: list[Row], blanks: Blanks, caption: str = ""):
        self.rows, self.blanks, self.caption = rows, blanks, caption

    def _repr_html_(self) -> str:
        return table_html(self.rows, self.blanks.blank, caption=self.caption)

    def __str__(self) -> str:
        return table_text(self.rows, self.blanks.blank)

    __repr__ = __str__
