"""The trace: what happened on a :class:`~tcplab.Network`, one record per event.

A record names *what* happened with a :class:`Kind` and, where a reader needs
to tell events of one kind apart, *why* with a :class:`Cause`: these are the
fields code tests.  ``detail`` is prose for people and may change wording.

Every segment an endpoint emits (or a lesson injects) starts a **journey**,
numbered by the network: its ``send`` record and every later record of the
same segment on the wire (``hold``, ``release``, ``postpone``, ``drop``,
``lost``, ``arrive``, ``expire``, ``unroutable``) carry that number in
``journey``, and so do the receiver's records about it when it arrives
(``ignore``, ``reply``, ``notify``).  A copy the network makes is a journey of
its own, whose ``duplicate`` record says in ``copy_of`` which journey it copies.  So a reader
follows a segment by its number instead of matching segments and times.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Iterable

from .fsm import State
from .segment import Notation, Segment
from .text import N_, _, ljust, width

__all__ = ["Kind", "Cause", "TraceRecord", "Trace", "InFlight", "Words", "words", "joined", "parts",
           "say"]


class Kind(str, enum.Enum):
    """What a trace record says happened.  A Kind is also its own name as a str
    (``Kind.SEND == "send"``), so tables print as plain words."""

    CALL = "call"                # an application call
    STATE = "state"              # a state entered
    SEND = "send"                # a host emitted a segment
    ARRIVE = "arrive"            # a segment reached a host
    LOST = "lost"                # random loss
    DROP = "drop"                # a drop rule
    DUPLICATE = "duplicate"      # the network made a copy
    HOLD = "hold"                # a hold rule took the segment off the wire
    RELEASE = "release"          # ... and put it back
    POSTPONE = "postpone"        # a slow path: extra delay, still bounded by MSL
    EXPIRE = "expire"            # older than MSL on the wire
    UNROUTABLE = "unroutable"    # no host of that name
    INJECT = "inject"            # a hand-made segment
    TIMER = "timer"
    GIVE_UP = "give-up"
    REPLY = "reply"              # an unexpected segment answered (ACK or RST)
    IGNORE = "ignore"            # an unexpected segment dropped without answer
    NOTIFY = "notify"            # the application is told something
    DELIVER = "deliver"          # bytes handed to the application

    __str__ = str.__str__        # print and format as the plain word
    __format__ = str.__format__


class Cause(str, enum.Enum):
    """Why a record of a given kind happened, where readers need to know."""

    RETRANSMISSION = "retransmission"   # a ``send`` repeating an unacknowledged segment

    __str__ = str.__str__
    __format__ = str.__format__


#: the Kind of each word, for records whose kind arrives as a str (an endpoint's notes)
KINDS = {k.value: k for k in Kind}

#: The word a table shows for each kind: the kind's own word in English, the lecture's
#: word in another language.  Only what is shown is translated: code tests ``kind``.
_SHOWN = {
    "call": N_("call"), "state": N_("state"), "send": N_("send"), "arrive": N_("arrive"),
    "lost": N_("lost"), "drop": N_("drop"), "duplicate": N_("duplicate"),
    "hold": N_("hold"), "release": N_("release"), "postpone": N_("postpone"),
    "expire": N_("expire"), "unroutable": N_("unroutable"), "inject": N_("inject"),
    "timer": N_("timer"), "give-up": N_("give-up"), "reply": N_("reply"),
    "ignore": N_("ignore"), "notify": N_("notify"), "deliver": N_("deliver"),
}


class Words(str):
    """Prose for people that can also say itself in the language spoken.

    The str itself is the English text (what code, recordings and the English edition
    see, as before); :func:`say`, ``str()`` and ``format()`` give it in the language
    spoken, from its catalogued ``template`` and ``values``.  So a trace keeps one text
    and each edition reads its own.
    """

    template: str
    values: dict

    # printed or formatted, it speaks the language (the same text in English); compared,
    # searched or split, it is the English text it is made of
    def __str__(self) -> str:
        return say(self)

    def __format__(self, spec: str) -> str:
        return format(say(self), spec)


def words(template: str, **values) -> Words:
    """``template`` (an English message marked ``N_()``, with ``{name}`` placeholders)
    filled with ``values``, able to say itself in another language (:func:`say`)."""
    # the English text, from the values' English texts (formatting a Words speaks)
    for v in values.values():
        if isinstance(v, Words):
            text = Words(template.format(**{k: str.__str__(v) if isinstance(v, Words) else v
                                            for k, v in values.items()}))
            break
    else:                            # (the usual case: no copy of the values to make)
        text = Words(template.format(**values))
    text.template, text.values = template, values
    return text


#: the separators :func:`joined` knows, as catalogued templates (a language has its own)
_JOINS = {"; ": N_("{first}; {rest}"), ", ": N_("{first}, {rest}")}


def joined(separator: str, items) -> str:
    """``items`` joined by ``separator`` ("; " or ", "): :class:`Words` when one of them
    has words (each item, and the separator, said in the language spoken), else a str."""
    items = list(items)
    if not any(isinstance(item, Words) for item in items):
        return separator.join(map(str, items))
    if len(items) == 1:
        return items[0]
    return words(_JOINS[separator], first=items[0], rest=joined(separator, items[1:]))


def parts(text) -> list:
    """The items :func:`joined` joined by "; " into ``text`` (``[text]`` if it is not)."""
    found = []
    while isinstance(text, Words) and getattr(text, "template", None) == _JOINS["; "]:
        found.append(text.values["first"])
        text = text.values["rest"]
    return found + [text]


def say(text) -> str:
    """``text`` in the language spoken: :class:`Words` from its catalogued template (its
    values said too), any other str as the catalogue has it (else as it is)."""
    if isinstance(text, Words):
        if not hasattr(text, "template"):      # a copy that lost its template
            return str.__str__(text)
        return _(text.template).format(**{k: say(v) for k, v in text.values.items()})
    return _(text) if isinstance(text, str) else text


def shown(kind: str) -> str:
    """The word the trace's "what" column shows for ``kind``, in the language spoken."""
    word = _SHOWN.get(str(kind))
    return _(word) if word else str(kind)


@dataclass(frozen=True, init=False)
class TraceRecord:
    """One line of the trace.

    kind      what happened (a :class:`Kind`, equal to its word: ``"send"`` ...)
    host      the host concerned (the sender for ``send`` and the network's
              records, the receiver for ``arrive``)
    segment   the segment concerned, or None
    state     the state entered, on ``state`` records only
    detail    a few words for people (prose: test ``kind`` and ``cause`` instead)
    sent_at   when the segment left its sender (``arrive``, ``expire`` ...)
    cause     why, where it matters (:class:`Cause`), else None
    journey   the number of the segment's journey on the wire (see the module's
              doc), on records of a segment on the wire and the receiver's records
              about its arrival; None elsewhere
    copy_of   on a ``duplicate`` record: the journey this copy was made from
    port      the port of the host concerned, on records of a connection with ports
              (the host column then shows ``B:80``); None for the host's single,
              port-less connection
    remote    on records of a connection with ports: the other end, (host, port);
              records without a segment (state, call, notify ...) show it in the host
              column (``B:80→A:49152``), to say which of B's connections it is
    """

    time: float
    kind: Kind
    host: str
    segment: Segment | None = None
    state: State | None = None
    detail: str = ""
    sent_at: float | None = None
    cause: Cause | None = None
    journey: int | None = None
    copy_of: int | None = None
    port: int | None = None
    remote: tuple | None = None

    def __init__(self, time: float, kind: Kind, host: str, segment: Segment | None = None,
                 state: State | None = None, detail: str = "", sent_at: float | None = None,
                 cause: Cause | None = None, journey: int | None = None,
                 copy_of: int | None = None, port: int | None = None,
                 remote: tuple | None = None):
        # every field at once: a frozen dataclass's own __init__ sets them one by one
        # through object.__setattr__, which doubles the cost of a long simulation's trace
        self.__dict__.update(time=time, kind=kind, host=host, segment=segment, state=state,
                             detail=detail, sent_at=sent_at, cause=cause, journey=journey,
                             copy_of=copy_of, port=port, remote=remote)

    @property
    def when(self) -> float:
        """The time that decides the lecture's letters: when the segment was sent."""
        return self.time if self.sent_at is None else self.sent_at

    @property
    def where(self) -> str:
        """The host column: ``B``; ``B:80`` on a record of a connection with ports
        (``B:80→A:49152`` on one without a segment)."""
        if self.port is None:
            return self.host
        if self.remote is None or self.segment is not None:
            return f"{self.host}:{self.port}"
        return f"{self.host}:{self.port}→{self.remote[0]}:{self.remote[1]}"

    def describe(self, notation: Notation | None = None) -> str:
        seg = _segment_text(self.segment, notation, self.when)
        return f"{self.time:8.3f}  {self.where:<4} {ljust(shown(self.kind), 10)} {seg:<30} " \
               f"{say(self.detail)}"


def _segment_text(seg: Segment | None, notation, when: float) -> str:
    """The segment column: its line, after its ports (``49152→80``) if it has some."""
    if seg is None:
        return ""
    text = seg.describe(notation, when=when)
    return text if seg.sport is None else f"{seg.sport}→{seg.dport} {text}"


@dataclass(frozen=True)
class InFlight:
    """A segment on the wire now (``Network.in_flight()``).

    ``sent_at`` is when it went on the wire (its sender's send, or its
    release); ``arrives`` is when it will reach ``segment.dst`` (fate "arrive",
    also for a name with no host) or die of old age (fate "expire").  A held
    segment has fate "held" and both times None, until it is released.
    """

    journey: int
    segment: Segment
    sent_at: float | None
    arrives: float | None
    fate: str


class Trace(list):
    """The list of :class:`TraceRecord` values; prints as a readable table."""

    COLUMNS = (N_("time"), N_("host"), N_("what"), N_("segment"), N_("state / detail"))

    def table(self, notation: Notation | str | None = None, *, kinds: Iterable[str] | None = None,
              records: Iterable[TraceRecord] | None = None) -> str:
        """The trace as a text table.

        ``notation`` may be a :class:`Notation`, or "symbolic" to name the
        numbers as the lecture does (x, y, u, v, w), or None for plain numbers.
        ``kinds`` keeps only records of those kinds.
        """
        rows = list(self if records is None else records)
        if notation == "symbolic":
            notation = Notation.from_segments(
                (r.time, r.segment) for r in self if r.kind == "send")
        elif notation == "numeric":
            notation = None
        elif notation is not None and not isinstance(notation, Notation):
            raise ValueError(f"notation must be 'symbolic', 'numeric', None or a "
                             f"tcplab.Notation, got {notation!r}")
        if kinds is not None:
            keep = set(kinds)
            rows = [r for r in rows if r.kind in keep]
        lines = []
        table_rows = []
        for r in rows:
            seg = _segment_text(r.segment, notation, r.when)
            last = str(r.state) if r.state is not None else say(r.detail)
            table_rows.append((f"{r.time:.3f}", r.where, shown(r.kind), seg, last))
        heads = tuple(_(c) for c in self.COLUMNS)
        # padded by screen columns: a Chinese character takes two
        widths = [max([width(c)] + [width(row[i]) for row in table_rows])
                  for i, c in enumerate(heads)]
        widths[-1] = 0
        fmt = lambda row: "  ".join(  # noqa: E731
            (" " * (w - width(cell)) + cell if i == 0 else ljust(cell, w)) for i, (cell, w) in
            enumerate(zip(row, widths))).rstrip()
        lines.append(fmt(heads))
        for row in table_rows:
            lines.append(fmt(row))
        return "\n".join(lines)

    def of(self, kind: str) -> list[TraceRecord]:
        return [r for r in self if r.kind == kind]

    def entered(self, host: str, state: State, after: float = float("-inf")) -> float | None:
        """When ``host`` first entered ``state`` at or after time ``after`` (None: never)."""
        return next((r.time for r in self if r.kind == "state" and r.host == host
                     and r.state is state and r.time >= after), None)

    def __repr__(self) -> str:
        return self.table()

    def _repr_pretty_(self, p, cycle) -> None:  # IPython
        p.text(self.table())
