"""The transition tables an endpoint can follow (its ``table=`` option).

An :class:`~tcplab.endpoint.Endpoint` asks its table for every edge it takes:
``table.lookup(state, event, opened=..., handshake=..., time_wait_syn=...)``
returns the :class:`~tcplab.fsm.Transition` to take, or raises
:class:`~tcplab.fsm.IllegalEvent`.  :data:`LIBRARY_TABLE` is the library's table
(``tcplab.fsm``), every endpoint's default; :class:`PatchedTable` is that table with some
cells replaced or removed, as a student's table is played against the library's stories
(``tcplab.conformance``).
"""

from __future__ import annotations

from typing import Mapping, Protocol

from .fsm import Event, EventKind, IllegalEvent, State, Transition, lookup

__all__ = ["Table", "LibraryTable", "LIBRARY_TABLE", "PatchedTable"]


class Table(Protocol):
    """What an endpoint needs of a transition table."""

    def lookup(self, state: State, event: Event, *, opened: str | None, handshake: str,
               time_wait_syn: str) -> Transition:
        ...


class LibraryTable:
    """The library's transition table (:func:`tcplab.fsm.lookup`)."""

    # fsm.lookup itself (it takes the same arguments): no extra call on every edge taken
    lookup = staticmethod(lookup)

    def __eq__(self, other) -> bool:
        return type(other) is LibraryTable

    def __hash__(self) -> int:
        return hash(LibraryTable)

    def __repr__(self) -> str:
        return "LIBRARY_TABLE"


LIBRARY_TABLE = LibraryTable()


class PatchedTable(LibraryTable):
    """The library's table with some ``(state, event)`` cells replaced.

    ``cells`` maps ``(state, event)`` to the edge to take, or to None for "no edge":
    a segment or timer event is then ignored (the state stays, the edge is a self-loop
    that says so); an application call raises :class:`IllegalEvent`.  Cells of
    SYN-RECEIVED apply after a passive open (from LISTEN); a SYN-RECEIVED reached
    otherwise uses the library's edges.  A segment or timer event for which the library
    has no edge either (a state the patched cells led to) is ignored the same way.

    A patched edge may send an ACK on its way to CLOSED or LISTEN (no library edge does):
    the endpoint sends it before the TCB is deleted, as it does an RST.
    """

    def __init__(self, cells: Mapping[tuple[State, Event], Transition | None]):
        self.cells = dict(cells)

    def lookup(self, state: State, event: Event, *, opened: str | None, handshake: str,
               time_wait_syn: str) -> Transition:
        key = (state, event)
        own = key in self.cells and not (state is State.SYN_RECEIVED and opened != "passive")
        if own:
            t = self.cells[key]
            if t is not None:
                return t
            if event.kind is EventKind.CALL:
                raise IllegalEvent(f"{event.call} is not legal in state {state}: "
                                   "the table has no such cell", state=state,
                                   event=event, legal=())
            return _ignored(state, event)
        try:
            return lookup(state, event, opened=opened, handshake=handshake,
                          time_wait_syn=time_wait_syn)
        except IllegalEvent:
            if event.kind is EventKind.CALL:
                raise
            return _ignored(state, event)

    def __eq__(self, other) -> bool:
        return type(other) is PatchedTable and other.cells == self.cells

    __hash__ = None

    def __repr__(self) -> str:
        return f"PatchedTable({len(self.cells)} cells)"


def _ignored(state: State, event: Event) -> Transition:
    return Transition(state, event, state, "",
                      note="no edge in this table: the event is ignored")
