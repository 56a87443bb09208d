"""Reading a student's table, and the edge each of its cells becomes.

See :mod:`tcplab.grading.conformance` for the forms a table may take.
The names with a leading underscore are shared with the package's other modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ...fsm import NO_CONNECTION, Event, Path, State, Transition, lookup
from ...segment import Flag
from ...text import _
from ..answers import parse_flags, parse_state
from .cells import _BY_KEY, CELLS, GROUPS, STATES

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
            return _("(ignored)")
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
        return Given(raw, problem=_("{target!r} is not a state (the 11 states: {states})").format(
            target=target_raw, states=", ".join(map(str, State))))
    flags = parse_flags("" if action_raw is None else action_raw)
    if flags is None or flags not in _ACTIONS:
        return Given(raw, problem=_("{action!r} is not a segment TCP sends here (write 'SYN', "
                                    "'SYN+ACK', 'ACK', 'FIN', 'RST' or '' for nothing)").format(
            action=action_raw))
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
                raise TypeError(_("each row of the table is (state, event, next state, send), "
                                  "got {row!r}").format(row=row))
            items.append(((row[0], row[1]), tuple(row[2:])))
    else:
        raise TypeError(_("the table should be a dict {{(state, event): (next state, send)}} "
                          "or a list of (state, event, next state, send), not {kind}").format(
            kind=type(student).__name__))
    given: dict[tuple[State, Event], Given] = {}
    notes: list[str] = []
    for key, value in items:
        if not isinstance(key, (tuple, list)) or len(key) != 2:
            notes.append(_("{key!r} is not a (state, event) pair: left out").format(key=key))
            continue
        state, event = parse_state(key[0]), _parse_event(key[1])
        if state is None or event is None:
            said = (_("{key}: {state!r} is not a state: left out") if state is None else
                    _("{key}: {event!r} is not an event of the table: left out"))
            notes.append(said.format(key=repr(tuple(key)), state=key[0], event=key[1]))
            continue
        if (state, event) not in _BY_KEY:
            if state not in STATES:
                notes.append(_("({state}, {event}): {state} is not one of the states of this "
                               "exercise; the library's table is used for it").format(
                    state=state, event=event.label))
            else:
                notes.append(_("({state}, {event}) is not a cell of this exercise: "
                               "left out").format(state=state, event=event.label))
            continue
        g = _parse_value(value)
        if (state, event) in given and given[(state, event)] != g:
            g = Given(value, problem=_("this cell is written twice, with different answers"))
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


# --------------------------------------------------------------------------- the edge of a cell

def _transition(cell_state: State, event: Event, given: Given) -> Transition | None:
    """The edge an endpoint takes for the student's cell (None: no edge)."""
    if given.problem or given.target is None:
        return None
    lib = lookup(cell_state, event, opened="passive")
    action = _ACTIONS[given.action]
    if given.target in NO_CONNECTION and action in ("SYN", "SYN+ACK", "FIN"):
        action = ""     # entering CLOSED or LISTEN deletes the connection: nothing to send it on
    same = given.target is lib.target and action == lib.action
    return Transition(cell_state, event, given.target, action,
                      lib.path if same else Path.OTHER, lib.when,
                      note="the student's table")
