"""The endpoint that plays a student's table: the library's with some cells replaced."""

from __future__ import annotations

from typing import Mapping

from ...endpoint import Endpoint
from ...fsm import Event, State, Transition
from ...tables import PatchedTable


class TableEndpoint(Endpoint):
    """An endpoint whose transition table is the library's with some cells replaced.

    ``cells`` maps ``(state, event)`` to the edge to take, or to None for "no
    edge" (a segment or timer event is then ignored: the state stays; an
    application call raises :class:`IllegalEvent`).  Cells of SYN-RECEIVED
    apply after a passive open (from LISTEN); a SYN-RECEIVED reached otherwise
    uses the library's edges.  Everything else — RFC 9293's segment checks,
    sequence numbers, timers — is the library's endpoint: the patched table is
    its public ``table=`` option (:class:`tcplab.tables.PatchedTable`).
    """

    def __init__(self, name: str, cells: Mapping[tuple[State, Event], Transition | None],
                 **options):
        super().__init__(name, table=PatchedTable(cells), **options)
        self.cells = self.table.cells
