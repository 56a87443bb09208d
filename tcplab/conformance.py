"""Conformance matrix: check a student's part of the transition table against RFC 9293.

The homework "build the state machine" asks a student to fill in the cells of
the transition table for six states — LISTEN, SYN-RECEIVED, FIN-WAIT-1,
FIN-WAIT-2, CLOSING and TIME-WAIT — ten cells in all (:data:`CELLS`), each
``(state, event) -> (next state, what is sent)``::

    from tcplab import conformance
    my_table = {
        ("LISTEN", "SYN"): ("SYN-RECEIVED", "SYN+ACK"),
        ("FIN-WAIT-2", "FIN"): ("TIME-WAIT", "ACK"),
        ...
    }
    report = conformance.check_table(my_table)
    report                       # per cell: right or wrong, and the story that shows it
    report.score()               # points: 1 per cell (½ if the next state is right but
                                 # what is sent is not)

How a cell is judged
--------------------
* **The table.**  The student's cell is compared with the library's edge
  (:func:`tcplab.fsm.lookup`; SYN-RECEIVED's edges are those after a passive
  open).  Right next state and right segment: 1 point; right next state,
  wrong segment: ½; wrong next state, or no cell at all (the state then
  ignores the event): 0.
* **The story.**  Each cell has a story (:data:`STORIES`: the handshake, an
  old SYN, the four-way close, the simultaneous close, a FIN+ACK in
  FIN-WAIT-1, a lost last ACK) in which one host passes through that cell.
  The story is played twice on a :class:`~tcplab.network.Network` with the
  same seed and ISNs: once by endpoints whose table is the library's with
  *only this cell* replaced by the student's (so every wrong cell is shown on
  its own, whatever the other cells say), once by the library alone.  The
  result says how the two runs differ (the states each host went through,
  the segments sent) and draws both as ladder diagrams
  (:func:`tcplab.sequence_diagram`).

The endpoints that play the student's table are :class:`TableEndpoint`, an
:class:`~tcplab.endpoint.Endpoint` whose ``_lookup`` consults the student's
cells first and the library's table for everything else; the endpoint's
RFC 9293 segment processing is unchanged, so only the table differs (one
detail: an ACK sent on a student's edge into CLOSED or LISTEN goes out
before the connection is deleted, as the endpoint does for RST).  A
segment or timer event that the student's table has no cell for is ignored
(the state stays), as a state machine without that edge would; an
application call without a cell raises :class:`~tcplab.fsm.IllegalEvent`.

:func:`play` runs a whole story with *all* the student's cells at once, to
watch the student's machine: ``sequence_diagram(play(my_table, "four-way close"))``.

A table may be written as a dict ``{(state, event): (next_state, send)}``,
``{(state, event): next_state}`` (sends nothing), or a list of tuples
``(state, event, next_state[, send])``.  States may be :class:`~tcplab.State`
values or names ("SYN-RECEIVED", "syn_received"); events :class:`~tcplab.fsm.Event`
values or their labels ("SYN", "FIN+ACK", "timeout 2MSL"); what is sent a
segment name ("SYN+ACK", "ACK", "" or "nothing" for none) or a
:class:`~tcplab.Flag`.  ``None`` as the next state means "ignore the event".
:func:`skeleton` gives the dict to fill in.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .endpoint import Endpoint
from .exercises.state_machine import parse_flags, parse_state
from .fsm import Event, EventKind, IllegalEvent, Path, State, Transition, lookup
from .network import Network
from .segment import Flag, Segment

__all__ = [
    "STATES", "CELLS", "GROUPS", "STORIES", "Cell", "Story", "StoryRun", "CellResult",
    "Report", "TableEndpoint", "check_table", "read_table", "play", "skeleton",
]

S, E = State, Event

#: The states whose cells the student fills in.
STATES: tuple[State, ...] = (S.LISTEN, S.SYN_RECEIVED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                             S.CLOSING, S.TIME_WAIT)

#: The groups of cells, in order, with what they are about (a group is one graded question).
GROUPS: dict[str, str] = {
    "opening": "the server's side of the three-way handshake (LISTEN, SYN-RECEIVED)",
    "active close": "the active close (FIN-WAIT-1, FIN-WAIT-2)",
    "simultaneous close": "both sides close at once (FIN-WAIT-1, CLOSING)",
    "time-wait": "TIME-WAIT",
}


@dataclass(frozen=True)
class Cell:
    """One cell of the table the student fills in, and the story that shows it."""

    state: State
    event: Event
    group: str
    story: str          # the name of the story in STORIES
    host: str           # the host that passes through this cell in the story
    points: float = 1.0

    @property
    def key(self) -> tuple[str, str]:
        """How the cell is written in a student's table: ``("LISTEN", "SYN")``."""
        return (str(self.state), self.event.label)

    @property
    def expected(self) -> Transition:
        """The library's edge (after a passive open, for SYN-RECEIVED)."""
        return lookup(self.state, self.event, passive=True)

    def __str__(self) -> str:
        return f"{self.state}, {self.event.label}"


#: The cells of the exercise, in the order of the table.
CELLS: tuple[Cell, ...] = (
    Cell(S.LISTEN, E.RCV_SYN, "opening", "handshake", "B"),
    Cell(S.SYN_RECEIVED, E.RCV_ACK, "opening", "handshake", "B"),
    Cell(S.SYN_RECEIVED, E.RCV_RST, "opening", "old SYN", "B"),
    Cell(S.FIN_WAIT_1, E.RCV_ACK, "active close", "four-way close", "A"),
    Cell(S.FIN_WAIT_1, E.RCV_FIN_ACK, "active close", "FIN+ACK in FIN-WAIT-1", "A"),
    Cell(S.FIN_WAIT_2, E.RCV_FIN, "active close", "four-way close", "A"),
    Cell(S.FIN_WAIT_1, E.RCV_FIN, "simultaneous close", "simultaneous close", "A"),
    Cell(S.CLOSING, E.RCV_ACK, "simultaneous close", "simultaneous close", "A"),
    Cell(S.TIME_WAIT, E.RCV_FIN, "time-wait", "lost last ACK", "A"),
    Cell(S.TIME_WAIT, E.TIMEOUT_2MSL, "time-wait", "four-way close", "A"),
)

_BY_KEY: dict[tuple[State, Event], Cell] = {(c.state, c.event): c for c in CELLS}

del S, E


# --------------------------------------------------------------------------- reading a table

def _norm(text: str) -> str:
    return re.sub(r"[\s_\-()]+", "", text.strip().strip("'\"").upper())


_EVENT_NAMES: dict[str, Event] = {}
for _e in Event:
    _EVENT_NAMES[_norm(_e.label)] = _e
    _EVENT_NAMES[_norm(_e.name)] = _e
_EVENT_NAMES.update({"2MSL": Event.TIMEOUT_2MSL, "2MSLTIMEOUT": Event.TIMEOUT_2MSL,
                     "TIMEOUT2MSL": Event.TIMEOUT_2MSL, "SYNACK": Event.RCV_SYN_ACK,
                     "FINACK": Event.RCV_FIN_ACK})
_FLAGS_EVENT = {frozenset({"SYN"}): Event.RCV_SYN, frozenset({"SYN", "ACK"}): Event.RCV_SYN_ACK,
                frozenset({"ACK"}): Event.RCV_ACK, frozenset({"FIN"}): Event.RCV_FIN,
                frozenset({"FIN", "ACK"}): Event.RCV_FIN_ACK, frozenset({"RST"}): Event.RCV_RST}


def _parse_event(value: Any) -> Event | None:
    if isinstance(value, Event):
        return value
    if isinstance(value, Flag):
        return _FLAGS_EVENT.get(parse_flags(value) or frozenset())
    if not isinstance(value, str):
        return None
    key = _norm(value)
    if key.startswith("EVENT."):
        key = key[len("EVENT."):]
    if key in _EVENT_NAMES:
        return _EVENT_NAMES[key]
    flags = parse_flags(value)
    return _FLAGS_EVENT.get(flags) if flags else None


# the segment an action names, as the endpoint's table writes it
_ACTIONS = {frozenset(): "", frozenset({"SYN"}): "SYN", frozenset({"SYN", "ACK"}): "SYN+ACK",
            frozenset({"ACK"}): "ACK", frozenset({"FIN"}): "FIN", frozenset({"FIN", "ACK"}): "FIN",
            frozenset({"RST"}): "RST", frozenset({"RST", "ACK"}): "RST"}


def _action_text(flags: frozenset[str]) -> str:
    order = ["SYN", "FIN", "RST", "ACK"]
    return "+".join(sorted(flags, key=order.index)) if flags else "–"


@dataclass(frozen=True)
class Given:
    """What the student wrote for one cell."""

    raw: Any
    target: State | None = None            # None: the event is ignored (no edge)
    action: frozenset[str] = frozenset()   # the control bits sent ({"SYN", "ACK"}), empty: none
    problem: str = ""                      # why it could not be read ("" if it could)

    def __str__(self) -> str:
        if self.problem:
            return f"{self.raw!r}"
        if self.target is None:
            return "(ignored)"
        return f"{self.target} / {_action_text(self.action)}"


def _filled(value: Any) -> bool:
    return value is not Ellipsis and not (isinstance(value, tuple) and Ellipsis in value)


def _parse_value(raw: Any) -> Given:
    if not _filled(raw):
        return Given(raw, problem="not filled in yet (replace the ...)")
    if isinstance(raw, list):
        raw = tuple(raw)
    if isinstance(raw, tuple):
        if len(raw) == 1:
            target_raw, action_raw = raw[0], ""
        elif len(raw) == 2:
            target_raw, action_raw = raw
        else:
            return Given(raw, problem="write (next state, what is sent), two items")
    else:
        target_raw, action_raw = raw, ""
    if target_raw is None:
        return Given(raw, None, frozenset())
    target = parse_state(target_raw)
    if target is None:
        return Given(raw, problem=f"{target_raw!r} is not a state (the 11 states: "
                                  f"{', '.join(map(str, State))})")
    flags = parse_flags("" if action_raw is None else action_raw)
    if flags is None or flags not in _ACTIONS:
        return Given(raw, problem=f"{action_raw!r} is not a segment TCP sends here (write "
                                  "'SYN', 'SYN+ACK', 'ACK', 'FIN', 'RST' or '' for nothing)")
    return Given(raw, target, flags)


@dataclass(frozen=True)
class ReadTable:
    """A student's table, read: the cells of the exercise, and what else was written."""

    given: Mapping[tuple[State, Event], Given]
    notes: tuple[str, ...]


def read_table(student: Any) -> ReadTable:
    """Read a student's table (see the module's docstring for the forms accepted).

    Raises TypeError, with a sentence, only if ``student`` is no table at all;
    a cell that cannot be read is kept with its ``problem``.
    """
    if isinstance(student, Mapping):
        items = [(k, v) for k, v in student.items()]
    elif isinstance(student, (list, tuple)):
        items = []
        for row in student:
            if not isinstance(row, (list, tuple)) or len(row) not in (3, 4):
                raise TypeError(f"each row of the table is (state, event, next state, send), "
                                f"got {row!r}")
            items.append(((row[0], row[1]), tuple(row[2:])))
    else:
        raise TypeError(f"the table should be a dict {{(state, event): (next state, send)}} "
                        f"or a list of (state, event, next state, send), not "
                        f"{type(student).__name__}")
    given: dict[tuple[State, Event], Given] = {}
    notes: list[str] = []
    for key, value in items:
        if not isinstance(key, (tuple, list)) or len(key) != 2:
            notes.append(f"{key!r} is not a (state, event) pair: left out")
            continue
        state, event = parse_state(key[0]), _parse_event(key[1])
        if state is None or event is None:
            what = f"{key[0]!r} is not a state" if state is None else \
                f"{key[1]!r} is not an event of the table"
            notes.append(f"{tuple(key)!r}: {what}: left out")
            continue
        if (state, event) not in _BY_KEY:
            if state not in STATES:
                notes.append(f"({state}, {event.label}): {state} is not one of the states of "
                             "this exercise; the library's table is used for it")
            else:
                notes.append(f"({state}, {event.label}) is not a cell of this exercise: "
                             "left out")
            continue
        g = _parse_value(value)
        if (state, event) in given and given[(state, event)] != g:
            g = Given(value, problem="this cell is written twice, with different answers")
        given[(state, event)] = g
    return ReadTable(given, tuple(notes))


def skeleton() -> str:
    """The table to fill in, as Python text: every cell of :data:`CELLS` with ``(..., ...)``."""
    width = max(len(repr(c.key)) for c in CELLS) + 1
    lines = ["my_table = {",
             "    # (state, event):" + " " * (width - 18) + "(next state, what is sent)"]
    group = None
    for c in CELLS:
        if c.group != group:
            group = c.group
            lines.append(f"    # {GROUPS[group]}")
        lines.append(f"    {(repr(c.key) + ':').ljust(width)} (..., ...),")
    lines.append("}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the endpoint

def _transition(cell_state: State, event: Event, given: Given) -> Transition | None:
    """The edge an endpoint takes for the student's cell (None: no edge)."""
    if given.problem or given.target is None:
        return None
    lib = lookup(cell_state, event, passive=True)
    action = _ACTIONS[given.action]
    if given.target in (State.CLOSED, State.LISTEN) and action in ("SYN", "SYN+ACK", "FIN"):
        action = ""     # entering CLOSED or LISTEN deletes the connection: nothing to send it on
    same = given.target is lib.target and action == lib.action
    return Transition(cell_state, event, given.target, action,
                      lib.path if same else Path.OTHER, lib.when,
                      note="the student's table")


class TableEndpoint(Endpoint):
    """An endpoint whose transition table is the library's with some cells replaced.

    ``cells`` maps ``(state, event)`` to the edge to take, or to None for "no
    edge" (a segment or timer event is then ignored: the state stays; an
    application call raises :class:`IllegalEvent`).  Cells of SYN-RECEIVED
    apply after a passive open (from LISTEN); a SYN-RECEIVED reached otherwise
    uses the library's edges.  Everything else — RFC 9293's segment checks,
    sequence numbers, timers — is the library's endpoint.
    """

    def __init__(self, name: str, cells: Mapping[tuple[State, Event], Transition | None],
                 **options):
        from .tables import PatchedTable   # the endpoint's public table= option does it all
        super().__init__(name, table=PatchedTable(cells), **options)
        self.cells = self.table.cells


# --------------------------------------------------------------------------- the stories

X, Y = 100, 300          # the ISNs: x and y
OLD_X = 40               # the ISN of A's old, long-gone connection attempt
DELAY = 0.1
MSL = 5.0                # TIME-WAIT lasts 2MSL = 10 s: short stories, same rules
SEED = 9293
MAX_EVENTS = 400         # a story stops after this many network events
MAX_TIME = 600.0         # ... or at this virtual time


@dataclass(frozen=True)
class Story:
    """A short run of two hosts, A (iss=x=100) and B (iss=y=300), that passes through cells."""

    name: str
    description: str
    drive: Callable[[Network, Any, Any], None] = field(repr=False)


class _StoryNetwork(Network):
    """A network that counts the events of a story (a broken table may never settle)."""

    def __init__(self, **options):
        super().__init__(**options)
        self.events = 0
        self.notes: list[str] = []


def _run(net: _StoryNetwork, until: float | None = None) -> None:
    """Run to idle (or to ``until``), but never more than MAX_EVENTS events in a story."""
    limit = MAX_TIME if until is None else until
    while True:
        t = net.next_time()
        if t is None or t > limit or net.events >= MAX_EVENTS:
            break
        net.step()
        net.events += 1
    if until is not None and net.now < until and (net.next_time() is None
                                                  or net.next_time() > until):
        net.run(until=until)     # only moves the clock: nothing is due before until


def _open(net, a, b) -> None:
    b.listen()
    a.connect("B")
    _run(net, until=1.0)


def _handshake(net, a, b) -> None:
    b.listen()
    a.connect("B")
    _run(net)


def _old_syn(net, a, b) -> None:
    b.listen()
    net.inject(Segment("A", "B", Flag.SYN, OLD_X))
    _run(net)


def _four_way(net, a, b) -> None:
    _open(net, a, b)
    a.close()
    _run(net, until=2.0)
    _call(b, "close")
    _run(net)


def _simultaneous(net, a, b) -> None:
    _open(net, a, b)
    _call(a, "close")
    _call(b, "close")
    _run(net)


def _fin_ack(net, a, b) -> None:
    _open(net, a, b)
    # B's separate ACK of A's FIN is lost; B's own FIN, sent just after, acknowledges A's FIN too
    net.drop(lambda s: s.src == "B" and s.flags == Flag.ACK, count=1)
    _call(a, "close")
    _run(net, until=1.15)
    _call(b, "close")
    _run(net)


def _lost_last_ack(net, a, b) -> None:
    _open(net, a, b)
    _call(a, "close")
    _run(net, until=2.0)
    _call(b, "close")
    net.drop(lambda s: s.src == "A" and s.flags == Flag.ACK, count=1)
    _run(net)


def _call(host, name: str) -> None:
    """An application call in a story; illegal in the state it meets: skipped (noted)."""
    try:
        getattr(host, name)()
    except IllegalEvent as exc:
        host.network.notes.append(f"{host.name}.{name}() was refused: {exc}")


#: The stories, by name; each cell of :data:`CELLS` names the one that shows it.
STORIES: dict[str, Story] = {s.name: s for s in (
    Story("handshake", "B listens, A connects: the three-way handshake.", _handshake),
    Story("old SYN", f"B listens; an old SYN of A's (seq={OLD_X}), from a connection attempt "
                     "long gone, arrives; A has no connection and refuses B's answer.",
          _old_syn),
    Story("four-way close", "A and B connect; A closes at t=1 s, B at t=2 s; TIME-WAIT lasts "
                            f"2MSL = {2 * MSL:g} s.", _four_way),
    Story("simultaneous close", "A and B connect, then both close at t=1 s.", _simultaneous),
    Story("FIN+ACK in FIN-WAIT-1", "A and B connect; A closes at t=1 s; B's ACK of A's FIN is "
                                   "lost, and B closes at once: its FIN+ACK also acknowledges "
                                   "A's FIN.", _fin_ack),
    Story("lost last ACK", "A and B connect; A closes at t=1 s, B at t=2 s, and A's last ACK "
                           "is lost: B sends its FIN again.", _lost_last_ack),
)}


@dataclass
class StoryRun:
    """One story played by endpoints with a given table."""

    story: Story
    net: Network
    error: str = ""            # the endpoint failed: why (a student's table can do that)

    @property
    def histories(self) -> dict[str, list[State]]:
        return {name: list(h.history) for name, h in self.net.hosts.items()}

    @property
    def segments(self) -> list[str]:
        return [f"{s.src}→{s.dst} {s.describe()}" for _, s in self.net.sent]

    @property
    def finished(self) -> bool:
        return self.net.idle

    @property
    def notes(self) -> list[str]:
        """Application calls of the story that the table refused, and a failure, if any."""
        return list(self.net.notes) + ([f"the endpoint failed: {self.error}"]
                                       if self.error else [])

    def entered(self, host: str) -> list[tuple[float, State]]:
        """(time, state) for each state ``host`` entered, from the trace."""
        return [(r.time, r.state) for r in self.net.trace
                if r.kind == "state" and r.host == host]

    def path(self, host: str, times: bool = False) -> str:
        """The states ``host`` went through: "CLOSED → LISTEN → ..." (with entry times)."""
        if not times:
            return " → ".join(map(str, self.net.hosts[host].history))
        return " → ".join(["CLOSED"] + [f"{s} ({t:g} s)" for t, s in self.entered(host)])

    def ladder(self, title: str | None = None):
        """The ladder diagram of this run (:func:`tcplab.sequence_diagram`)."""
        from .diagrams import sequence_diagram
        return sequence_diagram(self.net, "numeric", hosts=["A", "B"],
                                title=title or self.story.name, max_segments=None)


def _play(story: Story, cells: Mapping[tuple[State, Event], Transition | None]) -> StoryRun:
    net = _StoryNetwork(seed=SEED, delay=DELAY, msl=MSL)
    hosts = []
    for name, iss in (("A", X), ("B", Y)):
        host = net.host(name, iss=iss)
        host.endpoint = TableEndpoint(name, cells, iss=iss, time_wait=2 * MSL)
        hosts.append(host)
    run = StoryRun(story, net)
    try:
        story.drive(net, *hosts)
    except Exception as exc:  # noqa: BLE001 - a broken table must give a report, not a crash
        run.error = f"{type(exc).__name__}: {exc}"
    return run


_EXPECTED: dict[str, StoryRun] = {}


def _expected(story: str) -> StoryRun:
    if story not in _EXPECTED:
        _EXPECTED[story] = _play(STORIES[story], {})
    return _EXPECTED[story]


def play(student: Any, story: str) -> Network:
    """Play ``story`` (a name in :data:`STORIES`) with *all* the student's cells, on both hosts.

    Returns the network, to look at: ``sequence_diagram(play(my_table, "handshake"))``.
    """
    if story not in STORIES:
        raise ValueError(f"no story called {story!r}; the stories: {', '.join(STORIES)}")
    table = read_table(student)
    cells = {key: _transition(key[0], key[1], g) for key, g in table.given.items()}
    return _play(STORIES[story], cells).net


# --------------------------------------------------------------------------- results

_VERDICT_TEXT = {"right": "right", "half": "½: what is sent is wrong", "wrong": "wrong",
                 "missing": "missing", "unreadable": "cannot be read"}


@dataclass
class CellResult:
    """The verdict on one cell, with the story that shows it."""

    cell: Cell
    given: Given | None            # None: the student's table has no such cell
    verdict: str                   # "right", "half", "wrong", "missing", "unreadable"
    points: float
    yours: StoryRun                # the story with this cell from the student's table
    expected: StoryRun             # the story with the library's table
    reveal: bool = True

    @property
    def right(self) -> bool:
        return self.verdict == "right"

    @property
    def max_points(self) -> float:
        return self.cell.points

    @property
    def story(self) -> Story:
        return self.expected.story

    @property
    def differs(self) -> bool:
        """Did the story turn out differently with the student's cell?"""
        return bool(self.yours.error) or any(
            self.yours.entered(h) != self.expected.entered(h) for h in ("A", "B")
        ) or self.yours.segments != self.expected.segments

    def ladder(self):
        """The story with the student's cell, as a ladder diagram."""
        return self.yours.ladder(f"{self.story.name}: your ({self.cell}) cell")

    def expected_ladder(self):
        """The story with RFC 9293's table, as a ladder diagram."""
        return self.expected.ladder(f"{self.story.name}: RFC 9293")

    def explanation(self) -> str:
        """What is wrong, in words, and what the story shows (empty when right)."""
        if self.right:
            return ""
        exp = self.cell.expected
        parts = []
        if self.verdict == "missing":
            parts.append(f"your table has no cell ({self.cell}): in {self.cell.state} your "
                         f"machine ignores the event '{self.cell.event.label}' "
                         f"({self.cell.event.meaning}).")
        elif self.verdict == "unreadable":
            return f"{self.given.problem}."
        elif self.given is not None:
            if self.given.target is None:
                parts.append(f"your {self.cell.state} ignores '{self.cell.event.label}'"
                             + (f"; RFC 9293 goes to {exp.target}" if self.reveal else "") + ".")
            elif self.given.target is not exp.target:
                parts.append(f"the next state {self.given.target} is wrong"
                             + (f"; RFC 9293 goes to {exp.target}" if self.reveal else "") + ".")
            else:
                parts.append(f"the next state {self.given.target} is right, but sending "
                             f"{_action_text(self.given.action)} is not"
                             + (f"; RFC 9293 sends {exp.action or 'nothing'}"
                                if self.reveal else "") + ".")
        parts.append(self._story_difference())
        return " ".join(p for p in parts if p)

    def _story_difference(self) -> str:
        y, e = self.yours, self.expected
        intro = f"Story '{self.story.name}': "
        if y.error:
            return intro + f"with your cell the endpoint failed ({y.error})."
        host = self.cell.host
        order = [host] + [n for n in ("A", "B") if n != host]
        lines = []
        for name in order:
            if y.entered(name) != e.entered(name):
                times = y.histories[name] == e.histories[name]   # same states, other times
                line = f"{name} went {y.path(name, times)}"
                if self.reveal:
                    line += f" (RFC 9293: {e.path(name, times)})"
                lines.append(line)
        for name in order:
            mine, theirs = y.net.hosts[name].error, e.net.hosts[name].error
            if mine != theirs and mine:
                lines.append(f"{name} ended with the error '{mine}'")
        if lines:
            text = intro + "with your cell " + "; ".join(lines) + "."
        elif y.segments != e.segments:
            ys, es = y.segments, e.segments
            i = next((k for k, (p, q) in enumerate(zip(ys, es)) if p != q), min(len(ys), len(es)))
            if i < len(ys):
                text = (intro + f"the states are the same, but from segment {i + 1} on the "
                        f"segments differ: with your cell {ys[i]}"
                        + (f", with RFC 9293's table {es[i]}" if self.reveal and i < len(es)
                           else "")
                        + (f" ({len(ys)} segments in all, RFC 9293: {len(es)})"
                           if len(ys) != len(es) else "") + ".")
            else:
                text = (intro + f"the states are the same, but with your cell only {len(ys)} "
                        f"segments are sent (RFC 9293: {len(es)}).")
        elif self.verdict == "half":
            exp = self.cell.expected
            why = ("the endpoint acknowledges an arriving FIN while processing it, "
                   "RFC 9293 §3.10.7.4" if exp.action == "ACK" and self.cell.event in
                   (Event.RCV_FIN, Event.RCV_FIN_ACK) else
                   "the endpoint has nothing of that kind left to send here")
            text = (intro + f"this run looks the same as with RFC 9293's table ({why}), "
                    "but the table itself must say what is sent.")
        else:
            text = intro + "this story happens to look the same with your cell."
        if not y.finished:
            text += (f" With your cell the story does not settle: it was stopped after "
                     f"{MAX_EVENTS} network events.")
        return text


def _judge(cell: Cell, given: Given | None, reveal: bool) -> CellResult:
    exp = cell.expected
    if given is None:
        verdict, points = "missing", 0.0
    elif given.problem:
        verdict, points = "unreadable", 0.0
    elif given.target is not exp.target:
        verdict, points = "wrong", 0.0
    elif given.action != (parse_flags(exp.action) or frozenset()):
        verdict, points = "half", cell.points / 2
    else:
        verdict, points = "right", cell.points
    if verdict == "right":
        yours = _expected(cell.story)
    else:
        cells = {(cell.state, cell.event): None if given is None
                 else _transition(cell.state, cell.event, given)}
        yours = _play(STORIES[cell.story], cells)
    return CellResult(cell, given, verdict, points, yours, _expected(cell.story), reveal)


def _img(picture, alt: str) -> str:
    """A picture as an HTML <img> of its SVG (shown by untrusted notebooks and on GitHub)."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(picture.svg().encode("utf-8")).decode()
    return (f'<img class="tcplab-picture" alt="{html.escape(alt)}" '
            f'style="max-width:48%;height:auto;vertical-align:top" src="{uri}"/>')


@dataclass
class Report:
    """The conformance matrix of a student's table: one :class:`CellResult` per cell."""

    results: tuple[CellResult, ...]
    notes: tuple[str, ...] = ()
    reveal: bool = True

    def _pick(self, group: str | None) -> list[CellResult]:
        if group is not None and group not in GROUPS:
            raise ValueError(f"no group called {group!r}; the groups: {', '.join(GROUPS)}")
        return [r for r in self.results if group is None or r.cell.group == group]

    def score(self, group: str | None = None) -> float:
        """Points earned (in one group, or in all): 1 a cell, ½ for a right next state only."""
        return float(sum(r.points for r in self._pick(group)))

    def max_score(self, group: str | None = None) -> float:
        return float(sum(r.max_points for r in self._pick(group)))

    def scores(self) -> dict[str, tuple[float, float]]:
        """{group: (points, maximum)}."""
        return {g: (self.score(g), self.max_score(g)) for g in GROUPS}

    def cell(self, state: Any, event: Any) -> CellResult:
        """The result for one cell: ``report.cell("FIN-WAIT-2", "FIN")``."""
        key = (parse_state(state), _parse_event(event))
        for r in self.results:
            if (r.cell.state, r.cell.event) == key:
                return r
        raise KeyError(f"({state}, {event}) is not a cell of this exercise")

    def wrong(self, group: str | None = None) -> list[CellResult]:
        return [r for r in self._pick(group) if not r.right]

    # ------------------------------------------------------------------ text

    def text(self, group: str | None = None) -> str:
        rows = self._pick(group)
        head = ["state", "event", "yours"] + (["RFC 9293"] if self.reveal else []) + \
            ["verdict", "points", "shown by the story"]
        cells = []
        for r in rows:
            exp = r.cell.expected
            line = [str(r.cell.state), r.cell.event.label,
                    "(none)" if r.given is None else str(r.given)]
            if self.reveal:
                line.append(f"{exp.target} / {exp.action or '–'}")
            line += [("✔ " if r.right else "✘ ") + _VERDICT_TEXT[r.verdict],
                     f"{r.points:g}/{r.max_points:g}", r.story.name]
            cells.append(line)
        widths = [max(len(c[i]) for c in cells + [head]) for i in range(len(head))]
        fmt = lambda c: "  ".join(x.ljust(w) for x, w in zip(c, widths)).rstrip()  # noqa: E731
        title = (f"Conformance of your table, {GROUPS[group]}" if group
                 else "Conformance of your table")
        out = [f"{title}: {self.score(group):g} of {self.max_score(group):g} points",
               fmt(head)] + [fmt(c) for c in cells]
        wrong = [r for r in rows if not r.right]
        if wrong:
            out.append("")
            out += [f"✘ {r.cell}: {r.explanation()}" for r in wrong]
        notes = self.notes if group is None else ()
        if notes:
            out.append("")
            out += [f"note: {n}" for n in notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(self.text())

    # ------------------------------------------------------------------ HTML

    def _repr_html_(self) -> str:
        return self.html()

    def html(self, group: str | None = None, ladders: bool = True) -> str:
        """The matrix as an HTML table; under each wrong cell its story as ladder diagrams."""
        esc = html.escape
        rows = self._pick(group)
        head = ["state", "event", "yours"] + (["RFC 9293"] if self.reveal else []) + \
            ["verdict", "points", "story"]
        out = ['<div class="tcplab-conformance" style="font-family:sans-serif">',
               f'<p><b>Conformance of your table</b>: {self.score(group):g} of '
               f'{self.max_score(group):g} points</p>',
               '<table style="border-collapse:collapse">',
               "<tr>" + "".join(f'<th style="text-align:left;padding:2px 8px">{esc(h)}</th>'
                                for h in head) + "</tr>"]
        for r in rows:
            exp = r.cell.expected
            colour, bg = (("#2b8a3e", "#ebfbee") if r.right else
                          ("#e67700", "#fff9db") if r.verdict == "half" else
                          ("#c92a2a", "#fff5f5"))
            cells = [str(r.cell.state), r.cell.event.label,
                     "(none)" if r.given is None else str(r.given)]
            if self.reveal:
                cells.append(f"{exp.target} / {exp.action or '–'}")
            cells += [("✔ " if r.right else "✘ ") + _VERDICT_TEXT[r.verdict],
                      f"{r.points:g}/{r.max_points:g}", r.story.name]
            out.append(f'<tr style="background:{bg}">' + "".join(
                f'<td style="padding:2px 8px;color:{colour if i == len(cells) - 3 else "inherit"}">'
                f'{esc(c)}</td>' for i, c in enumerate(cells)) + "</tr>")
            if not r.right:
                span = len(head)
                body = f'<p style="margin:2px 0">{esc(r.explanation())}</p>'
                if ladders and r.verdict != "unreadable":
                    body += (f'<p style="margin:2px 0;color:#555">{esc(r.story.description)}'
                             '</p><div>' + _img(r.ladder(), "your cell"))
                    if self.reveal:
                        body += " " + _img(r.expected_ladder(), "RFC 9293")
                    body += "</div>"
                out.append(f'<tr><td colspan="{span}" style="padding:2px 8px 10px 24px">'
                           f'{body}</td></tr>')
        out.append("</table>")
        if self.notes and group is None:
            out.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in self.notes) + "</ul>")
        out.append("</div>")
        return "".join(out)


def check_table(student: Any, *, reveal: bool = True) -> Report:
    """Judge a student's table, cell by cell (:data:`CELLS`), with the story of each cell.

    ``reveal=False`` leaves RFC 9293's answers (the expected cells, paths and
    ladders) out of the report: the student sees what is wrong and what the
    story does with their cell, not the answer.
    """
    table = read_table(student)
    results = tuple(_judge(c, table.given.get((c.state, c.event)), reveal) for c in CELLS)
    return Report(results, table.notes, reveal)
