"""Mutants: a wrong rule of TCP that the library can play.

A misconception is played, not described: its :class:`Mutant` is either a patched
transition table (:class:`~tcplab.tables.PatchedTable`, both hosts follow it), host
options (``time_wait=``: a wrong TIME-WAIT length), a wrong rule for judging an arriving
RST (``resets_by_ack``: by its ACK field, :mod:`.ack_judged`), or a wrong *numbering* rule
(:class:`Numbering`: how many sequence numbers a SYN, a FIN, an ACK or data occupy, and
what an ACK number names) applied to the story the library played (the states and times
stay the library's: only the numbers differ).  Playing gives a
:class:`Played`: the segments sent (renumbered for a numbering mutant), the network to
draw the ladder of, and the network whose states the story reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..fsm import Event, IllegalEvent, State, Transition
from ..network import Network
from ..segment import Flag, Segment
from ..tables import PatchedTable
from ..trace import Trace, TraceRecord
from .ack_judged import judge_resets_by_ack

__all__ = ["Numbering", "Mutant", "Played", "RIGHT", "edge", "renumber", "Renumbered"]


def edge(source: State, event: Event, target: State, action: str = "") -> tuple:
    """One patched cell: ``(source, event)`` now leads to ``target``, sending ``action``."""
    return (source, event), Transition(source, event, target, action,
                                       note="a misconception's edge")


@dataclass(frozen=True)
class Numbering:
    """How many sequence numbers each kind of segment occupies, and what ack names.

    The right rule: a SYN and a FIN one each, a data byte one, a bare ACK none, and the
    acknowledgment number is the *next* number expected (``ack_offset=0``; -1 names the
    last number received instead)."""

    syn: int = 1
    fin: int = 1
    bare_ack: int = 0
    data: bool = True
    ack_offset: int = 0

    def length(self, s: Segment) -> int:
        n = (self.syn if Flag.SYN in s.flags else 0) + (self.fin if Flag.FIN in s.flags else 0)
        n += len(s.data) if self.data else 0
        if s.flags == Flag.ACK and not s.data:
            n += self.bare_ack
        return n


def renumber(sent: list[tuple[float, Segment]], rule: Numbering) -> list[tuple[float, Segment]]:
    """The segments of a story numbered by ``rule``: each number moves by what the
    earlier segments of its sender would have occupied under ``rule`` instead of the
    right one."""
    out = []
    for i, (t, s) in enumerate(sent):
        def shift(host: str, n: int, inclusive: bool) -> int:
            seen, d = set(), 0
            for _, p in sent[:i]:
                ident = (p.seq, p.flags, p.data)
                if p.src != host or ident in seen or (p is s) or \
                        ident == (s.seq, s.flags, s.data):
                    continue
                if p.seq < n or (inclusive and p.seq == n):
                    seen.add(ident)
                    d += rule.length(p) - p.len
            return d
        seq = s.seq + shift(s.src, s.seq, inclusive=True)
        ack = s.ack
        if Flag.ACK in s.flags:
            ack = s.ack + shift(s.dst, s.ack, inclusive=False) + rule.ack_offset
        out.append((t, Segment(s.src, s.dst, s.flags, seq, ack, s.data, s.window)))
    return out


class Renumbered:
    """The network a story ran on, its segments numbered by a wrong rule: what the ladder
    of a numbering mutant draws (the same states and times, the mutant's numbers)."""

    def __init__(self, net: Network, renumbered: list[tuple[float, Segment]]):
        new = {old: seg for (_, old), (_, seg) in zip(net.sent, renumbered)}
        self.trace = Trace(_with_segment(r, new.get(r.segment, r.segment)) for r in net.trace)
        self.sent = renumbered
        self.now, self.hosts, self.delay = net.now, net.hosts, net.delay
        self._flying = [replace(f, segment=new.get(f.segment, f.segment))
                        for f in net.in_flight()]

    def in_flight(self) -> list:
        return list(self._flying)


def _with_segment(r: TraceRecord, segment: Segment | None) -> TraceRecord:
    if segment is r.segment:
        return r
    return TraceRecord(r.time, r.kind, r.host, segment, r.state, r.detail, r.sent_at,
                       r.cause, r.journey, r.copy_of, r.port, r.remote)


@dataclass(frozen=True)
class Mutant:
    """A wrong rule to play: patched cells, host options, or a numbering rule."""

    cells: tuple = ()                    # ((state, event), Transition | None) pairs
    host_options: tuple = ()             # (name, value or f(numbers)) pairs for both hosts
    numbering: Numbering | None = None
    resets_by_ack: bool = False          # both hosts judge an RST by its ACK field
                                         # (.ack_judged), not by its seq

    def options(self, numbers: dict[str, Any] | None = None) -> dict[str, Any]:
        """The hosts' options; a callable value is computed from the story's numbers."""
        options = {name: value(numbers or {}) if callable(value) else value
                   for name, value in self.host_options}
        if self.cells:
            options["table"] = PatchedTable(dict(self.cells))
        return options


RIGHT = Mutant()


@dataclass
class Played:
    """A story played by a mutant (or by the library: :data:`RIGHT`)."""

    net: Network                         # the network the story ran on (its states)
    sent: list = field(default_factory=list)   # (time, segment), renumbered if so
    ladder_net: Renumbered | None = None  # what to draw (net itself unless renumbered)

    def drawn(self) -> Network | Renumbered:
        return self.ladder_net if self.ladder_net is not None else self.net


def tolerant_call(host, name: str, *args) -> Any:
    """Call ``name`` on ``host``; a call the mutant's table refuses is simply not made
    (the mutant's application cannot make it)."""
    try:
        return getattr(host, name)(*args)
    except IllegalEvent:
        return None


def play(mutant: Mutant, build: Callable[..., tuple], drive: Callable[..., None],
         numbers: dict[str, Any] | None = None) -> Played:
    """``build(**host_options)`` makes ``(net, a, b)``; ``drive(net, a, b)`` plays the story
    (``numbers``: the story's numbers, for options computed from them)."""
    net, a, b = build(**mutant.options(numbers))
    if mutant.resets_by_ack:
        judge_resets_by_ack(a)
        judge_resets_by_ack(b)
    drive(net, a, b)
    sent = list(net.sent)
    if mutant.numbering is None:
        return Played(net, sent)
    sent = renumber(sent, mutant.numbering)
    return Played(net, sent, Renumbered(net, sent))
