"""Questions asked of the transition table: which table (handshake, rule for a SYN in
TIME-WAIT), the edges leaving a state, the events legal there, the edge an event takes
(:func:`lookup`, or :class:`IllegalEvent` in words a student reads), and the table as
text.  The table is data (``edges.py``); these functions only read it."""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Iterable, Mapping

from .. import refusals
from ..text import _, ljust, width
from .edges import _TABLES, TIME_WAIT_SYN_RULES
from .vocabulary import (_WHEN_SHORT, Event, EventKind, IllegalEvent, Path, State, Transition,
                         accepted_without_change)


def _index(transitions: Iterable[Transition]) -> Mapping[State, Mapping[Event, tuple[Transition, ...]]]:
    index: dict[State, dict[Event, list[Transition]]] = {s: {} for s in State}
    for t in transitions:
        index[t.source].setdefault(t.event, []).append(t)
    return MappingProxyType({
        s: MappingProxyType({e: tuple(ts) for e, ts in events.items()})
        for s, events in index.items()
    })


_INDEXES = {key: _index(ts) for key, ts in _TABLES.items()}

HANDSHAKES = ("three-way", "two-way")
#: How SYN-RECEIVED may have been reached, in the words of Transition.when
_OPENED = ("passive", "active", "reopened")


def _key(handshake: str, time_wait_syn: str) -> tuple[str, str]:
    if handshake not in HANDSHAKES:
        raise ValueError(f"handshake must be one of {', '.join(map(repr, HANDSHAKES))}, "
                         f"not {handshake!r}")
    if time_wait_syn not in TIME_WAIT_SYN_RULES:
        raise ValueError(f"time_wait_syn must be one of "
                         f"{', '.join(map(repr, TIME_WAIT_SYN_RULES))}, not {time_wait_syn!r}")
    return handshake, time_wait_syn


def table(handshake: str = "three-way", *, time_wait_syn: str = "challenge-ack"
          ) -> tuple[Transition, ...]:
    """All edges of the state machine for ``handshake`` ("three-way" or "two-way") and
    the rule for a SYN in TIME-WAIT (see :data:`TIME_WAIT_SYN_RULES`)."""
    return _TABLES[_key(handshake, time_wait_syn)]


def transitions_from(state: State, handshake: str = "three-way", *,
                     time_wait_syn: str = "challenge-ack") -> tuple[Transition, ...]:
    """The edges leaving ``state``, in table order."""
    index = _INDEXES[_key(handshake, time_wait_syn)]
    return tuple(t for ts in index[state].values() for t in ts)


def legal_events(state: State, kind: EventKind | None = None,
                 handshake: str = "three-way", *, time_wait_syn: str = "challenge-ack"
                 ) -> tuple[Event, ...]:
    """The events the table allows in ``state`` (of one kind, if given), in vocabulary order."""
    allowed = _INDEXES[_key(handshake, time_wait_syn)][state]
    return tuple(e for e in Event if e in allowed and (kind is None or e.kind is kind))


def lookup(state: State, event: Event, *, passive: bool | None = None,
           handshake: str = "three-way", time_wait_syn: str = "challenge-ack",
           opened: str | None = None) -> Transition:
    """The edge the table takes for ``event`` in ``state``.

    ``opened`` says how the connection was opened, in the words of
    ``Transition.when`` ("passive": from LISTEN, "active": by connect(), so a
    SYN-RECEIVED is a simultaneous open, "reopened": from TIME-WAIT); an endpoint,
    its TCB and a :class:`Machine` keep it under the same name.  ``passive``
    (True/False) is a short form of the first two, for readers of the table.  It picks among edges that
    carry ``when``.  Raises :class:`IllegalEvent` if the table has no such edge.
    """
    if type(state) is not State:
        raise TypeError(f"state must be a tcplab.State, got {state!r}")
    if type(event) is not Event:
        raise TypeError(f"event must be a tcplab.fsm.Event, got {event!r}")
    if opened is not None and (type(opened) is not str or opened not in _OPENED):
        raise ValueError(f"opened must be None or one of {', '.join(map(repr, _OPENED))}, "
                         f"not {opened!r}")
    wanted = opened or (None if passive is None else ("passive" if passive else "active"))
    return _lookup(state, event, wanted, _key(handshake, time_wait_syn))


# An endpoint asks lookup() on every call and every edge it takes, and the table is
# finite (a few hundred questions at most): the answers are remembered.  Its arguments
# are checked by lookup() first, so every key is made of Enum members and known words.
@lru_cache(maxsize=None)
def _lookup(state: State, event: Event, wanted: str | None, key: tuple[str, str]
            ) -> Transition:
    candidates = _INDEXES[key][state].get(event, ())
    for t in candidates:
        if t.when is None or wanted is None or t.when == wanted:
            return t
    kind = EventKind.CALL if event.kind is EventKind.CALL else None
    legal = legal_events(state, kind, key[0], time_wait_syn=key[1])
    opens = state is not State.CLOSED and event in (Event.CONNECT, Event.LISTEN)
    why = refusals.why(str(state), event.label, connected=opens,
                       only_when=candidates[0].when if candidates else None)
    raise IllegalEvent(
        refusals.refusal(str(state), event.label, event.call, why,
                         [e.call or e.label for e in legal]),
        state=state, event=event, legal=legal)


def format_table(state: State | None = None, handshake: str = "three-way", *,
                 time_wait_syn: str = "challenge-ack", accepted: bool = False) -> str:
    """The transition table as text: one edge a line, grouped by state (or one state's edges).

    With ``accepted=True``, lines after the edges say what each state accepts
    without an edge (:func:`accepted_without_change`): data in ESTABLISHED is
    normal traffic, not an illegal event.
    """
    text = _format_edges(state, handshake, time_wait_syn)
    states = [s for s in State if state in (None, s) and accepted_without_change(s)]
    if not accepted or not states:
        return text
    column = max(len(str(s)) for s in states)
    return "\n".join([text, "", _("also accepted, without changing state (no edge):")]
                     + [f"{str(s):<{column}}  "
                        + _(", ").join(map(_, accepted_without_change(s))) for s in states])


def _format_edges(state: State | None, handshake: str, time_wait_syn: str) -> str:
    rows = [t for t in table(handshake, time_wait_syn=time_wait_syn)
            if state is None or t.source is state]
    paths = {Path.CLIENT: _("client"), Path.SERVER: _("server"), Path.OTHER: ""}
    cells = [(str(t.source), t.event.call or t.event.label
              + (f" [{_(_WHEN_SHORT[t.when])}]" if t.when else ""), t.action or "–",
              _("(stays)") if t.is_loop else str(t.target), paths[t.path])
             for t in rows]
    head = (_("state"), _("event"), _("send"), _("next state"), _("usual path"))
    widths = [max(width(c[i]) for c in cells + [head]) for i in range(len(head))]
    line = lambda c: "  ".join(ljust(x, w) for x, w in zip(c, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head)] + [line(c) for c in cells])
