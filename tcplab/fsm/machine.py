"""The bare state machine: the transition table walked one event at a time, with no
segments, timers or network (lesson 05's StateMachineExplorer is its face)."""

from __future__ import annotations

from .queries import legal_events, lookup, table
from .vocabulary import NO_CONNECTION, Event, IllegalEvent, State, Transition


class Machine:
    """The bare state machine: a state, how SYN-RECEIVED was reached, and the edges taken.

    No segments, no timers, no network: the table alone, walked one event at a
    time (lesson 05's StateMachineExplorer is its face).  It has the attributes a
    state diagram reads (``name``, ``state``, ``history``, ``transitions``,
    ``handshake``), so ``state_diagram(machine)`` draws it.
    """

    def __init__(self, name: str = "you", handshake: str = "three-way"):
        table(handshake)
        self.name = name
        self.handshake = handshake
        self.reset()

    def reset(self) -> None:
        self.state = State.CLOSED
        self.opened: str | None = None       # "passive" or "active", as Transition.when
        self.history: list[State] = [State.CLOSED]
        self.transitions: list[Transition] = []

    def legal(self) -> tuple[Event, ...]:
        events = legal_events(self.state, handshake=self.handshake)
        return tuple(e for e in events if self._edge(e) is not None)

    def _edge(self, event: Event) -> Transition | None:
        try:
            return lookup(self.state, event, opened=self.opened, handshake=self.handshake)
        except IllegalEvent:
            return None

    def fire(self, event: Event) -> Transition:
        """Take the table's edge for ``event``; IllegalEvent (nothing changed) if there is none."""
        t = lookup(self.state, event, opened=self.opened, handshake=self.handshake)
        if t.source is State.LISTEN and t.target is State.SYN_RECEIVED:
            self.opened = "passive"
        elif event is Event.CONNECT:
            self.opened = "active"
        if t.target in NO_CONNECTION:
            self.opened = None
        self.transitions.append(t)
        if t.target is not self.state:
            self.history.append(t.target)
        self.state = t.target
        return t