"""The endpoint that plays a student's table: the library's with some cells replaced."""

from __future__ import annotations

from typing import Mapping

from ...endpoint import Endpoint
from ...fsm import Event, EventKind, IllegalEvent, State, Transition
from ...segment import Flag


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
        super().__init__(name, **options)
        self.cells = dict(cells)

    def _lookup(self, event: Event) -> Transition:
        key = (self.state, event)
        own = key in self.cells and not (
            self.state is State.SYN_RECEIVED and (self.passive is not True or self.reopened))
        if own:
            t = self.cells[key]
            if t is not None:
                return t
            if event.kind is EventKind.CALL:
                raise IllegalEvent(f"{event.call} is not legal in state {self.state}: "
                                   "the table has no such cell", state=self.state,
                                   event=event, legal=())
            return self._ignored(event)
        try:
            return super()._lookup(event)
        except IllegalEvent:
            if event.kind is EventKind.CALL:
                raise
            return self._ignored(event)   # a state the student's table led to has no edge

    def _take(self, event: Event) -> Transition:
        # A student's edge may send an ACK on its way to CLOSED or LISTEN (no edge of the
        # library does).  Entering those states deletes the TCB, so the ACK goes out
        # first, while the numbers are known (the endpoint does the same for RST).
        t = self._lookup(event)
        ack_first = (t.action == "ACK" and t.target in (State.CLOSED, State.LISTEN)
                     and self.peer is not None)
        if ack_first:
            self._emit(Flag.ACK, self.snd_nxt, self.rcv_nxt)
        taken = super()._take(event)
        if ack_first:
            self._ack_needed = False
        return taken

    def _ignored(self, event: Event) -> Transition:
        return Transition(self.state, event, self.state, "",
                          note="no edge in this table: the event is ignored")
